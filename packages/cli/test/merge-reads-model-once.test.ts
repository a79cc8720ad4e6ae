import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { adapterFromLayers } from '@ssh-peft/adapter';
import { saveAdapter } from '@ssh-peft/adapter/node';
import { encodeModel } from '@ssh-peft/onnx';
import { fingerprintWeights } from '@ssh-peft/selection';
import { cli } from './helpers';

/** Every whole-file read (sync or async) of the process, by path: what `merge` reads and how often. */
const { reads, recording } = vi.hoisted(() => {
  const reads: string[] = [];
  /** `read` with the path of every call recorded in `reads`. */
  const recording = <F>(read: F): F =>
    ((path: unknown, ...rest: unknown[]) => {
      reads.push(String(path));
      return (read as (...args: unknown[]) => unknown)(path, ...rest);
    }) as F;
  return { reads, recording };
});
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const readFileSync = recording(actual.readFileSync);
  return { ...actual, default: { ...actual, readFileSync }, readFileSync };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = recording(actual.readFile);
  return { ...actual, default: { ...actual, readFile }, readFile };
});

const dir = mkdtempSync(join(tmpdir(), 'cli-merge-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  reads.length = 0;
});

async function writeInputs(name: string): Promise<{ model: string; adapter: string }> {
  const at = join(dir, name);
  mkdirSync(at);
  const rows = 6;
  const cols = 4;
  const w = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.7));
  const valueInfo = (name: string, width: number) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: width }] } } } });
  const model = join(at, 'base.onnx');
  writeFileSync(
    model,
    encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'one',
        node: [{ opType: 'MatMul', name: 'dense/MatMul', input: ['x', 'dense'], output: ['y'] }],
        initializer: [{ name: 'dense', dataType: 1, dims: [rows, cols], rawData: new Uint8Array(w.buffer) }],
        input: [valueInfo('x', rows)],
        output: [valueInfo('y', cols)],
      },
    }),
  );
  const adapter = join(at, 'a.safetensors');
  const layer = { name: 'dense', rows, cols, indices: new Uint32Array([1, 9, 17]), coefficients: new Float32Array([0.5, -1, 2]), alpha: 3, fingerprint: fingerprintWeights(w, rows, cols) };
  await saveAdapter(adapterFromLayers([layer]), adapter);
  return { model, adapter };
}

describe('ssh-peft merge reads the model once', () => {
  it('one whole read of the model file (the merge), none to check it', async () => {
    const { model, adapter } = await writeInputs('once');
    const out = join(dir, 'merged.onnx');
    reads.length = 0;
    const r = await cli(['--json', 'merge', '--model', model, '--adapter', adapter, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, layers: [{ layer: 'dense', weight: 'dense', orientation: 'matmul' }], coefficients: 3 });
    const real = realpathSync(model);
    expect(reads.filter((p) => p === model || p === real)).toHaveLength(1);
  });

  it('a missing or directory model is still a CliInputError before the adapter is read', async () => {
    const { adapter } = await writeInputs('missing');
    reads.length = 0;
    const missing = await cli(['merge', '--model', join(dir, 'absent.onnx'), '--adapter', adapter, '--out', join(dir, 'o1.onnx')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^error: CliInputError: .*absent\.onnx: model not found$/);
    const folder = join(dir, 'folder.onnx');
    mkdirSync(folder);
    const directory = await cli(['merge', '--model', folder, '--adapter', adapter, '--out', join(dir, 'o2.onnx')]);
    expect(directory.stderr.trim()).toMatch(/^error: CliInputError: .*folder\.onnx: model is not a regular file$/);
    expect(reads).toEqual([]);
  });
});
