import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  applySSH,
  attachSSH,
  buildTinyViT,
  SshAdapterMismatchError,
  SshBudgetError,
  SshDense,
  SshNonFiniteError,
  SshTargetError,
} from '../src/index';
import { randomArray, relativeError, useCpu, saveAndLoad } from './helpers';

beforeAll(useCpu);

const vit = (seed = 3) => buildTinyViT({ dim: 16, depth: 1, heads: 2, mlpDim: 24, numClasses: 4, seed });

/** A small learnable task: the class is the quadrant of the image holding the brightest blob. */
function quadrantData(count: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const noise = randomArray(count * 784, seed);
  const pixels = new Float32Array(count * 784);
  const labels = new Float32Array(count * 4);
  for (let i = 0; i < count; i++) {
    const q = i % 4;
    const [r0, c0] = [q < 2 ? 2 : 16, q % 2 === 0 ? 2 : 16];
    for (let p = 0; p < 784; p++) pixels[i * 784 + p] = 0.1 * noise[i * 784 + p];
    for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) pixels[i * 784 + (r0 + r) * 28 + c0 + c] += 1;
    labels[i * 4 + q] = 1;
  }
  return { x: tf.tensor2d(pixels, [count, 784]), y: tf.tensor2d(labels, [count, 4]) };
}

const weightsByName = (m: tfl.LayersModel) => new Map(m.weights.map((w) => [w.originalName, Float32Array.from(w.read().dataSync())]));

describe('applySSH', () => {
  it('wraps the targets, freezes everything else, and starts exactly at the base model (zeros init)', async () => {
    const base = vit();
    const x = tf.tensor2d(randomArray(3 * 784, 1), [3, 784]);
    const y0 = base.predict(x) as tf.Tensor;
    const ssh = await applySSH(base, { targets: /_(q|v)$/, perLayer: 20, seed: 1 });
    expect([...ssh.layers.keys()]).toEqual(['block0_q', 'block0_v']);
    expect(ssh.model.getLayer('block0_q')).toBeInstanceOf(SshDense);
    const s = ssh.summary();
    expect(s.trainable).toBe(40);
    expect(s.adapterParameters).toBe(40);
    expect(s.total).toBe(base.countParams() + 40);
    const y1 = ssh.model.predict(x) as tf.Tensor;
    expect(relativeError(y1.dataSync(), y0.dataSync())).toBe(0);
    tf.dispose([x, y0, y1]);
  });

  it('keeps the layers listed in `trainable` trainable', async () => {
    const ssh = await applySSH(vit(), { targets: ['block0_q'], perLayer: 10, trainable: ['head'] });
    expect(ssh.summary().trainable).toBe(10 + 16 * 4 + 4);
    expect(ssh.model.trainableWeights.map((w) => w.originalName).sort()).toEqual(['block0_q/ssh_coefficients', 'head/bias', 'head/kernel']);
  });

  it('trains: the loss goes down, only the coefficients change, merge() keeps the outputs', async () => {
    const base = vit(4);
    const { x, y } = quadrantData(32, 2);
    const ssh = await applySSH(base, { targets: (l) => /_(o|mlp2)$|patch_embed/.test(l.name), budget: 300, energyRatio: 0.5, alpha: 1000, seed: 7 });
    ssh.model.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
    const before = weightsByName(ssh.model);
    const lossAt = () => tf.tidy(() => (ssh.model.evaluate(x, y) as tf.Scalar).dataSync()[0]);
    const initial = lossAt();
    await ssh.model.fit(x, y, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0, callbacks: [ssh.finiteCheck()] });
    const final = lossAt();
    expect(final).toBeLessThan(initial * 0.75);
    const after = weightsByName(ssh.model);
    for (const [name, values] of before) {
      const changed = relativeError(after.get(name) as Float32Array, values) > 0;
      expect([name, changed]).toEqual([name, name.endsWith('/ssh_coefficients')]);
    }
    const unmerged = ssh.model.predict(x) as tf.Tensor;
    ssh.merge();
    const merged = ssh.model.predict(x) as tf.Tensor;
    expect(relativeError(merged.dataSync(), unmerged.dataSync())).toBeLessThan(1e-5);
    ssh.unmerge();
    ssh.disable();
    const disabled = ssh.model.predict(x) as tf.Tensor;
    const baseOut = base.predict(x) as tf.Tensor;
    expect(relativeError(disabled.dataSync(), baseOut.dataSync())).toBeLessThan(1e-6);
    ssh.enable();
    const again = ssh.model.predict(x) as tf.Tensor;
    expect(relativeError(again.dataSync(), unmerged.dataSync())).toBe(0);
    tf.dispose([x, y, unmerged, merged, disabled, baseOut, again]);
  });

  it('exports an adapter that loads into a fresh wrap of the same base, and rejects another base', async () => {
    const ssh = await applySSH(vit(5), { targets: /_(q|v)$/, perLayer: 12, seed: 2, init: 'normal' });
    const adapter = ssh.exportAdapter();
    expect(adapter.layers.map((l) => [l.name, l.rows, l.cols, l.indices.length])).toEqual([['block0_q', 16, 16, 12], ['block0_v', 16, 16, 12]]);
    const x = tf.tensor2d(randomArray(2 * 784, 8), [2, 784]);
    const other = await applySSH(vit(5), { targets: /_(q|v)$/, perLayer: 12, seed: 99 });
    other.attachAdapter(adapter, 'copy');
    expect(other.activeAdapter).toBe('copy');
    const [a, b] = [ssh, other].map((h) => h.model.predict(x) as tf.Tensor);
    expect(relativeError(b.dataSync(), a.dataSync())).toBeLessThan(1e-6);
    other.setActive('default');
    expect(other.exportAdapter('copy').layers[0].coefficients).toEqual(adapter.layers[0].coefficients);
    const wrongBase = await applySSH(vit(6), { targets: /_(q|v)$/, perLayer: 12 });
    expect(() => wrongBase.attachAdapter(adapter, 'x')).toThrow(SshAdapterMismatchError);
    expect(() => wrongBase.attachAdapter(adapter, 'x')).toThrow(/block0_q.*fingerprint/);
    const narrow = await applySSH(vit(5), { targets: ['block0_q'], perLayer: 12 });
    expect(() => narrow.attachAdapter(adapter, 'x')).toThrow(/'block0_v' is not an SSH-wrapped layer of this model; wrapped layers: block0_q/);
    tf.dispose([x, a, b]);
  });

  it('switches between named adapters of different sizes and keeps training both', async () => {
    const base = vit(7);
    const a = await applySSH(base, { targets: /_(q|v)$/, perLayer: 8, seed: 1, init: 'normal' });
    const b = await applySSH(vit(7), { targets: /_(q|v)$/, perLayer: 20, seed: 2, init: 'normal' });
    const x = tf.tensor2d(randomArray(2 * 784, 3), [2, 784]);
    const yA = a.model.predict(x) as tf.Tensor;
    const yB = b.model.predict(x) as tf.Tensor;
    a.attachAdapter(b.exportAdapter(), 'big', { activate: false });
    expect(a.adapterNames()).toEqual(['default', 'big']);
    a.setActive('big');
    const y1 = a.model.predict(x) as tf.Tensor;
    expect(relativeError(y1.dataSync(), yB.dataSync())).toBeLessThan(1e-6);
    a.model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await a.model.fit(x, tf.zeros([2, 4]), { epochs: 1, verbose: 0 });
    a.setActive('default');
    const y2 = a.model.predict(x) as tf.Tensor;
    expect(relativeError(y2.dataSync(), yA.dataSync())).toBeLessThan(1e-6);
    expect(a.summary().trainable).toBe(16);
    tf.dispose([x, yA, yB, y1, y2]);
  });

  it('saves and reloads the wrapped model with its adapter', async () => {
    const ssh = await applySSH(vit(8), { targets: /_(k|mlp1)$/, perLayer: 9, init: 'normal' });
    const loaded = await saveAndLoad(ssh.model);
    expect(loaded.getLayer('block0_k')).toBeInstanceOf(SshDense);
    const x = tf.tensor2d(randomArray(2 * 784, 4), [2, 784]);
    const [a, b] = [ssh.model, loaded].map((m) => m.predict(x) as tf.Tensor);
    expect(relativeError(b.dataSync(), a.dataSync())).toBe(0);
    const reattached = attachSSH(loaded);
    expect([...reattached.layers.keys()]).toEqual(['block0_k', 'block0_mlp1']);
    const [e0, e1] = [ssh.exportAdapter(), reattached.exportAdapter()];
    expect(e1.layers.map((l) => [l.name, Array.from(l.indices), Array.from(l.coefficients), l.fingerprint])).toEqual(
      e0.layers.map((l) => [l.name, Array.from(l.indices), Array.from(l.coefficients), l.fingerprint]),
    );
    expect(() => attachSSH(vit())).toThrow(/has no SshDense layer/);
    const k = loaded.getLayer('block0_k') as SshDense;
    const diverged = k.readCoefficients();
    diverged[3] = NaN;
    k.setAdapter(k.indices, diverged, k.alpha, k.adapterName);
    expect(() => attachSSH(loaded)).toThrow(SshNonFiniteError);
    expect(() => attachSSH(loaded)).toThrow(/layer 'block0_k': coefficient 3 is NaN/);
    tf.dispose([x, a, b]);
  });

  it('stops training with SshNonFiniteError naming the layer when coefficients blow up', async () => {
    const ssh = await applySSH(vit(9), { targets: ['block0_q'], perLayer: 10 });
    const { x, y } = quadrantData(8, 3);
    ssh.model.compile({ optimizer: tf.train.sgd(1e38), loss: 'meanSquaredError' });
    await expect(ssh.model.fit(x, tf.mul(y, 1e30), { epochs: 3, verbose: 0, callbacks: [ssh.finiteCheck()] })).rejects.toThrow(SshNonFiniteError);
    await expect(ssh.model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/layer 'block0_q': coefficient \d+ is (NaN|-?Infinity)/);
    tf.dispose([x, y]);
  });

  it('rejects bad targets and budgets with messages that list what is available', async () => {
    const model = vit();
    await expect(applySSH(model, { targets: 'nope', perLayer: 4 })).rejects.toThrow(/no layer named 'nope'.*Dense layers: patch_embed, block0_q/);
    await expect(applySSH(model, { targets: /^zzz/, perLayer: 4 })).rejects.toThrow(SshTargetError);
    await expect(applySSH(model, { targets: /^zzz/, perLayer: 4 })).rejects.toThrow(/matched no layer.*Dense layers: patch_embed/);
    await expect(applySSH(model, { targets: ['block0_ln1'], perLayer: 4 })).rejects.toThrow(/not Dense layers: 'block0_ln1' \(LayerNormalization\)/);
    await expect(applySSH(model, { targets: ['block0_q'], perLayer: 257 })).rejects.toThrow(SshBudgetError);
    await expect(applySSH(model, { targets: ['block0_q', 'block0_k'], budget: 513 })).rejects.toThrow(/budget 513 exceeds the 512 positions/);
    await expect(applySSH(model, { targets: ['block0_q'] })).rejects.toThrow(/needs perLayer/);
    const wrapped = await applySSH(model, { targets: ['block0_q'], perLayer: 4 });
    await expect(applySSH(wrapped.model, { targets: ['block0_q'], perLayer: 4 })).rejects.toThrow(/'block0_q' \(SshDense\)/);
  });

  it('leaks no tensor across fit, predict, merge and unmerge cycles', async () => {
    const ssh = await applySSH(vit(10), { targets: /_(q|v|mlp2)$/, perLayer: 16, variant: 'true' });
    const { x, y } = quadrantData(8, 5);
    ssh.model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    await ssh.model.fit(x, y, { epochs: 1, verbose: 0 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 2; i++) {
      await ssh.model.fit(x, y, { epochs: 1, verbose: 0 });
      tf.dispose(ssh.model.predict(x) as tf.Tensor);
      ssh.merge();
      tf.dispose(ssh.model.predict(x) as tf.Tensor);
      ssh.unmerge();
      ssh.exportAdapter();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });
});
