import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, loadOnnxModel, mergeAdapterFile, OnnxExternalDataError } from '../src/index';
import { linearModel, randomAdapter } from './helpers';

let dir: string;
const spec = { rows: 6, cols: 5, op: 'matmul' as const, seed: 4 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-onnx-kinds-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The linear model with its kernel declared external at `location`; `prepare` creates what is there. */
async function modelWithLocation(sub: string, location: string, prepare: (d: string) => Promise<void>): Promise<string> {
  const d = join(dir, sub);
  await mkdir(d, { recursive: true });
  const model = decodeModel(linearModel(spec).bytes);
  const kernel = model.graph!.initializer![0]!;
  const length = kernel.rawData!.length;
  kernel.rawData = new Uint8Array(0);
  kernel.dataLocation = 1;
  kernel.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: String(length) },
  ];
  await prepare(d);
  const path = join(d, 'model.onnx');
  await writeFile(path, encodeModel(model));
  return path;
}

async function refusal(path: string): Promise<OnnxExternalDataError> {
  const e = await loadOnnxModel(path).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OnnxExternalDataError);
  return e as OnnxExternalDataError;
}

describe('external data must be a regular file inside the model directory, checked before opening', () => {
  it('a FIFO is refused at once (no hang), for loading and for mergeAdapterFile; nothing is written', async () => {
    const path = await modelWithLocation('fifo', 'weights.bin', async (d) => {
      execFileSync('mkfifo', [join(d, 'weights.bin')]);
    });
    const e = await refusal(path);
    expect(e.message).toMatch(/^tensor "dense\/kernel": external data location "weights\.bin": .*weights\.bin is a FIFO, not a regular file; refused$/);
    const adapter = randomAdapter('dense', spec.rows, spec.cols, new Float32Array(spec.rows * spec.cols));
    await expect(mergeAdapterFile(path, adapter, join(dir, 'fifo', 'out.onnx'))).rejects.toThrow(/is a FIFO/);
    expect((await readdir(join(dir, 'fifo'))).sort()).toEqual(['model.onnx', 'weights.bin']);
  }, 20_000);

  it('a directory is a typed error naming tensor and location, not a raw EISDIR', async () => {
    const path = await modelWithLocation('dir', 'weights', async (d) => {
      await mkdir(join(d, 'weights'));
    });
    const e = await refusal(path);
    expect(e.message).toMatch(/^tensor "dense\/kernel": external data location "weights": .*weights is a directory, not a regular file; refused$/);
  });

  it('location "." (and "./") names the model directory itself, said as such', async () => {
    for (const [sub, location] of [['dot', '.'], ['dotslash', './']] as const) {
      const path = await modelWithLocation(sub, location, async () => undefined);
      const e = await refusal(path);
      expect(e.message).toBe(`tensor "dense/kernel": external data location ${JSON.stringify(location)} names the model's directory itself, not a data file inside it; refused`);
      expect(e.message).not.toMatch(/outside/);
    }
  });

  it('a symlink to the model directory itself is refused as such', async () => {
    const path = await modelWithLocation('selflink', 'here', async (d) => {
      await symlink(d, join(d, 'here'));
    });
    const e = await refusal(path);
    expect(e.message).toMatch(/resolves \(through a symlink\) to the model's directory .* itself, not a data file; refused$/);
  });
});
