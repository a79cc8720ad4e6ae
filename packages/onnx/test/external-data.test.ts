import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile, mkdir, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, loadOnnxModel, mergeAdapter, mergeAdapterFile, OnnxExternalDataError, OnnxPathError, saveOnnxModel } from '../src/index';
import { linearModel, maxRelDiff, randomAdapter, runModel, seeded } from './helpers';

let dir: string;
const spec = { rows: 6, cols: 5, op: 'matmul' as const, seed: 4 };

/** Writes the linear model with its kernel as external data (location given), returns the model path. */
async function writeExternal(sub: string, location: string, options: { dataBytes?: Uint8Array; offset?: number } = {}): Promise<string> {
  const d = join(dir, sub);
  await mkdir(d, { recursive: true });
  const model = decodeModel(linearModel(spec).bytes);
  const kernel = model.graph!.initializer![0]!;
  const raw = Uint8Array.from(kernel.rawData!);
  const offset = options.offset ?? 16;
  const data = options.dataBytes ?? new Uint8Array(offset + raw.length);
  if (!options.dataBytes) data.set(raw, offset);
  kernel.rawData = new Uint8Array(0);
  kernel.dataLocation = 1;
  kernel.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: String(offset) },
    { key: 'length', value: String(raw.length) },
  ];
  if (!location.startsWith('/') && !location.includes('..')) await writeFile(join(d, location), data);
  const path = join(d, 'model.onnx');
  await writeFile(path, encodeModel(model));
  return path;
}

async function digest(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-onnx-ext-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('external data', () => {
  it('round trip: merge a model with external data into a new model + data file, inputs untouched', async () => {
    const input = await writeExternal('ok', 'weights.bin');
    const hashes = [await digest(input), await digest(join(dir, 'ok', 'weights.bin'))];
    const { w0 } = linearModel(spec);
    const adapter = randomAdapter('dense', spec.rows, spec.cols, w0, { n: 4, alpha: 5 });
    const output = join(dir, 'ok', 'merged.onnx');
    const report = await mergeAdapterFile(input, adapter, output);
    expect(report.files).toEqual([output, `${output}.data`]);
    expect([await digest(input), await digest(join(dir, 'ok', 'weights.bin'))]).toEqual(hashes);
    const saved = decodeModel(await readFile(output));
    expect(saved.graph!.initializer![0]!.dataLocation).toBe(1);
    expect(saved.graph!.initializer![0]!.externalData!.find((e) => e.key === 'location')!.value).toBe('merged.onnx.data');
    expect((await readdir(join(dir, 'ok'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // ORT reads the written external data from the output's directory; compare with the in-memory merge.
    const x = new ort.Tensor('float32', seeded(2 * spec.rows, 8), [2, spec.rows]);
    const fromFile = await runModel(output, { x });
    const inMemory = await runModel(await mergeAdapter(input, adapter), { x });
    expect(maxRelDiff(fromFile['y']!, inMemory['y']!)).toBe(0);
    const base = await runModel(linearModel(spec).bytes, { x });
    expect(maxRelDiff(fromFile['y']!, base['y']!)).toBeGreaterThan(1e-4);
  });

  it('refuses an existing output unless overwrite, and an output equal to the input or its data file', async () => {
    const input = await writeExternal('paths', 'merged.onnx.data');
    const { w0 } = linearModel(spec);
    const adapter = randomAdapter('dense', spec.rows, spec.cols, w0);
    await expect(mergeAdapterFile(input, adapter, input)).rejects.toThrow(OnnxPathError);
    await expect(mergeAdapterFile(input, adapter, input)).rejects.toThrow(/equals the input path/);
    // merged.onnx would write merged.onnx.data: the input's own external file.
    await expect(mergeAdapterFile(input, adapter, join(dir, 'paths', 'merged.onnx'))).rejects.toThrow(/input model or one of its external data files/);
    const out = join(dir, 'paths', 'other.onnx');
    await mergeAdapterFile(input, adapter, out);
    await expect(mergeAdapterFile(input, adapter, out)).rejects.toThrow(/already exists/);
    await expect(mergeAdapterFile(input, adapter, out, { overwrite: true })).resolves.toBeDefined();
  });

  it.each([
    ['../outside.bin', /contains '\.\.'/],
    ['sub/../../outside.bin', /contains '\.\.'/],
    ['/etc/passwd', /absolute path/],
  ])('refuses location %s', async (location, message) => {
    const input = await writeExternal(`escape${Math.random().toString(16).slice(2)}`, location);
    await expect(loadOnnxModel(input)).rejects.toThrow(OnnxExternalDataError);
    await expect(loadOnnxModel(input)).rejects.toThrow(message);
  });

  it('refuses a symlink that resolves outside the model directory', async () => {
    const outside = join(dir, 'secret.bin');
    await writeFile(outside, new Uint8Array(1024));
    const d = join(dir, 'link');
    await mkdir(d);
    await symlink(outside, join(d, 'weights.bin'));
    const input = await writeExternal('link', 'weights-missing-placeholder.bin');
    // Point the model at the symlink.
    const model = decodeModel(await readFile(input));
    model.graph!.initializer![0]!.externalData![0]!.value = 'weights.bin';
    await writeFile(input, encodeModel(model));
    await expect(loadOnnxModel(input)).rejects.toThrow(/outside the model's directory/);
  });

  it('reports a missing external file', async () => {
    const input = await writeExternal('missing', 'weights.bin');
    await rm(join(dir, 'missing', 'weights.bin'));
    await expect(loadOnnxModel(input)).rejects.toThrow(OnnxExternalDataError);
    await expect(loadOnnxModel(input)).rejects.toThrow(/weights\.bin is missing/);
  });

  it('reports an external file shorter than declared, with offsets', async () => {
    const input = await writeExternal('short', 'weights.bin');
    await truncate(join(dir, 'short', 'weights.bin'), 50);
    await expect(loadOnnxModel(input)).rejects.toThrow(/has 50 bytes, shorter than declared \(offset 16 \+ length 120 = 136\)/);
  });

  it('refuses external data given as bytes without baseDir', async () => {
    const input = await writeExternal('bytes', 'weights.bin');
    await expect(loadOnnxModel(await readFile(input))).rejects.toThrow(/without options.baseDir/);
    await expect(loadOnnxModel(await readFile(input), { baseDir: join(dir, 'bytes') })).resolves.toBeDefined();
  });

  it('saveOnnxModel leaves no file behind when the target directory is missing', async () => {
    const model = decodeModel(linearModel(spec).bytes);
    await expect(saveOnnxModel(model, join(dir, 'nope', 'm.onnx'))).rejects.toThrow();
  });
});
