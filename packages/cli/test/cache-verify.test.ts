import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelCache } from '../src/cache/model-cache';
import { modelToBytes } from '../src/cache/model-artifacts';
import { CliCacheError } from '../src/errors';
import { useBackend } from '../src/train/backends';
import { cli } from './helpers';

const root = mkdtempSync(join(tmpdir(), 'cli-cache-verify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => useBackend('cpu'));

function twoLayerModel(): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  const h = tfl.layers.dense({ units: 4, activation: 'relu', name: 'hidden', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 4, name: 'out', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

type Manifest = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const edits: Array<[string, (m: Manifest, dir: string) => void]> = [
  ['two weight names swapped', (m) => {
    const [a, b] = [m.weightSpecs[0].name, m.weightSpecs[2].name];
    m.weightSpecs[0].name = b;
    m.weightSpecs[2].name = a;
  }],
  ['an activation changed', (m) => {
    const text = JSON.stringify(m.modelTopology).replace('"activation":"relu"', '"activation":"tanh"');
    m.modelTopology = JSON.parse(text);
  }],
  ['extras deleted', (m) => delete m.extras],
  ['modelTopology nulled', (m) => (m.modelTopology = null)],
  ['a weight spec shape changed', (m) => (m.weightSpecs[0].shape = [4, 3])],
  ['a stray file in the entry', (_m, dir) => writeFileSync(join(dir, 'notes.txt'), 'x')],
  ['weights.bin truncated', (_m, dir) => writeFileSync(join(dir, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 8))],
];

describe('the demo cache verifies an entry as a whole', () => {
  it.each(edits)('%s: a miss with a reason (never a hit, never a TypeError); saving again repairs it', async (_name, edit) => {
    const cache = new ModelCache(join(root, 'c'));
    const config = { seed: 5, recipe: 'two-layer' };
    const path = await cache.save('kind', config, await modelToBytes(twoLayerModel()), { losses: [1, 0.5], seconds: 1 });
    expect(cache.lookup('kind', config).hit?.path).toBe(path);
    const manifest = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as Manifest;
    edit(manifest, path);
    writeFileSync(join(path, 'model.json'), JSON.stringify(manifest));
    const found = cache.lookup('kind', config);
    expect(found.hit).toBeUndefined();
    expect(found.reason).toMatch(/./);
    expect(found.reason).not.toBe('no entry');
    expect(cache.load('kind', config)).toBeNull();
    await cache.save('kind', config, await modelToBytes(twoLayerModel()), { losses: [1, 0.5], seconds: 1 });
    expect(cache.lookup('kind', config).hit?.path).toBe(path);
  });

  it('a cache root that is a file is reported before any work (demo exits 1 at once, no report folder)', async () => {
    const file = join(root, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => new ModelCache(file).assertUsable()).toThrow(CliCacheError);
    expect(() => new ModelCache(join(file, 'sub')).assertUsable()).toThrow(/cannot be used \(ENOTDIR\)/);
    const out = join(root, 'report');
    const started = performance.now();
    const r = await cli(['demo', '--quick', '--out', out, '--cache-dir', file], root);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`error: CliCacheError: cache directory ${file} exists and is not a directory; choose another with --cache-dir or SSH_PEFT_CACHE_DIR`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(existsSync(out)).toBe(false);
    mkdirSync(join(root, 'fine'));
    expect(() => new ModelCache(join(root, 'fine', 'deeper')).assertUsable()).not.toThrow();
  });
});
