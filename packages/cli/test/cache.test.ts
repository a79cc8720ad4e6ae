import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson, configHash } from '../src/cache/config-hash';
import { ModelCache, defaultCacheDirectory } from '../src/cache/model-cache';
import { modelFromBytes, modelToBytes } from '../src/cache/model-artifacts';
import { useBackend } from '../src/train/backends';

const root = mkdtempSync(join(tmpdir(), 'cli-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => useBackend('cpu'));

function tinyModel(seed: number): tfl.LayersModel {
  const input = tfl.input({ shape: [3] });
  const out = tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed }) }).apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: out });
}

describe('config hash', () => {
  it('does not depend on key order, and changes with any value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.integer(), fc.string(), fc.boolean())), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(configHash(reversed)).toBe(configHash(obj));
        expect(configHash({ ...obj, __extra: 1 })).not.toBe(configHash(obj));
      }),
    );
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: null })).toBe('{"a":null,"b":[1,{"c":3,"d":2}]}');
    expect(() => canonicalJson({ x: NaN })).toThrow(/non-finite/);
  });
});

describe('ModelCache', () => {
  it('round-trips a model bit-identically and treats other configs or damaged entries as misses', async () => {
    const cache = new ModelCache(join(root, 'c'));
    const model = tinyModel(3);
    const config = { seed: 3, steps: 10 };
    expect(cache.load('kind', config)).toBeNull();
    const path = await cache.save('kind', config, await modelToBytes(model), { losses: [1, 0.5] });
    expect(readdirSync(join(root, 'c'))).toEqual([path.split('/').pop()]);
    const hit = cache.load<{ losses: number[] }>('kind', config);
    expect(hit?.extras.losses).toEqual([1, 0.5]);
    const loaded = await modelFromBytes(hit!.bytes);
    const x = tf.tensor2d([[0.1, -2, 3]]);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((model.predict(x) as tf.Tensor).dataSync());
    expect(cache.load('kind', { seed: 3, steps: 11 })).toBeNull();
    writeFileSync(join(path, 'weights.bin'), new Uint8Array(hit!.bytes.weights.length));
    expect(cache.load('kind', config)).toBeNull();
    writeFileSync(join(path, 'model.json'), '{ not json');
    expect(cache.load('kind', config)).toBeNull();
  });

  it('honours SSH_PEFT_CACHE_DIR, else uses node_modules/.cache above the working directory', () => {
    const saved = process.env.SSH_PEFT_CACHE_DIR;
    try {
      process.env.SSH_PEFT_CACHE_DIR = join(root, 'env');
      expect(defaultCacheDirectory()).toBe(join(root, 'env'));
      delete process.env.SSH_PEFT_CACHE_DIR;
      expect(defaultCacheDirectory(__dirname)).toMatch(/node_modules\/\.cache\/ssh-peft$/);
    } finally {
      if (saved === undefined) delete process.env.SSH_PEFT_CACHE_DIR;
      else process.env.SSH_PEFT_CACHE_DIR = saved;
    }
  });
});
