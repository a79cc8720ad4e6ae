import { createRandom, selectSpectrum, type SelectionPlan } from '@ssh-peft/selection';
import { describe, expect, it } from 'vitest';
import { AdapterValidationError, createAdapter, decodeAdapter, deltaWeight, encodeAdapter, layerSeed } from '../src/index';

/** A hand-made plan (the fields createAdapter reads), for shapes and positions chosen by the test. */
function planOf(layers: Array<{ name: string; rows: number; cols: number; indices: number[] }>, options: Record<string, unknown> = { seed: 5 }): SelectionPlan {
  return {
    version: 2,
    options,
    layers: layers.map((l) => ({ ...l, indices: Uint32Array.from(l.indices), energyChosen: 0, capturedEnergy: 0, fingerprint: `fp-${l.name}` })),
  } as unknown as SelectionPlan;
}

describe('createAdapter', () => {
  it('from a real selection plan: positions, shapes, fingerprints and options carried over; zeros by default', async () => {
    const weights = Float32Array.from({ length: 12 * 10 }, (_, i) => Math.cos(i * 1.3) + 0.1 * i);
    const plan = await selectSpectrum([{ name: 'dense', rows: 12, cols: 10, weights }], { strategy: 'per-layer', perLayer: 9, energyRatio: 0.5, seed: 11 });
    const adapter = createAdapter(plan, { alpha: 4 });
    const layer = adapter.layers[0]!;
    expect(layer.indices).toEqual(plan.layers[0]!.indices);
    expect(layer.indices).not.toBe(plan.layers[0]!.indices);
    expect(layer.fingerprint).toBe(plan.layers[0]!.fingerprint);
    expect([layer.rows, layer.cols, layer.alpha]).toEqual([12, 10, 4]);
    expect(layer.coefficients).toEqual(new Float32Array(9));
    expect(adapter.config.init).toBe('zeros');
    expect(adapter.config.seed).toBe(11);
    expect(adapter.config.selection).toMatchObject({ strategy: 'per-layer', perLayer: 9, energyRatio: 0.5, seed: 11 });
    expect(deltaWeight(adapter, 'dense').every((x) => x === 0)).toBe(true);
    // The recorded selection options are JSON and survive the file.
    expect(decodeAdapter(encodeAdapter(adapter)).config).toEqual(adapter.config);
  });

  it("'normal' draws std · N(0,1) from the seeded per-layer stream, independent of the other layers", () => {
    const a = planOf([{ name: 'q', rows: 30, cols: 40, indices: Array.from({ length: 1000 }, (_, i) => i) }, { name: 'v', rows: 3, cols: 3, indices: [1, 2] }]);
    const adapter = createAdapter(a, { alpha: 1, init: 'normal', std: 0.5, seed: 123 });
    const rng = createRandom(layerSeed(123, 'q'));
    const expected = Float32Array.from({ length: 1000 }, () => 0.5 * rng.nextNormal());
    expect(adapter.layers[0]!.coefficients).toEqual(expected);
    const c = adapter.layers[0]!.coefficients;
    const mean = c.reduce((s, x) => s + x, 0) / c.length;
    const sd = Math.sqrt(c.reduce((s, x) => s + (x - mean) ** 2, 0) / c.length);
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.05);
    // Same layer alone, same seed → same start; different seed → different start.
    const alone = createAdapter(planOf([{ name: 'q', rows: 30, cols: 40, indices: Array.from({ length: 1000 }, (_, i) => i) }]), { alpha: 1, init: 'normal', std: 0.5, seed: 123 });
    expect(alone.layers[0]!.coefficients).toEqual(c);
    const other = createAdapter(a, { alpha: 1, init: 'normal', std: 0.5, seed: 124 });
    expect(other.layers[0]!.coefficients).not.toEqual(c);
    expect(adapter.config).toMatchObject({ init: 'normal', initStd: 0.5, seed: 123 });
    // Default seed: the plan's selection seed.
    expect(createAdapter(a, { alpha: 1, init: 'normal' }).config.seed).toBe(5);
  });

  it('takes variant/normalisation from the plan options unless overridden', () => {
    const p = planOf([{ name: 'x', rows: 2, cols: 2, indices: [0] }], { seed: 1, variant: 'true', normalization: 'ortho', onProgress: () => undefined });
    const a = createAdapter(p, { alpha: 1 });
    expect([a.config.variant, a.config.normalization]).toEqual(['true', 'ortho']);
    expect(a.config.selection).toEqual({ seed: 1, variant: 'true', normalization: 'ortho' });
    const b = createAdapter(p, { alpha: 1, variant: 'separable', normalization: 'forward' });
    expect([b.config.variant, b.config.normalization]).toEqual(['separable', 'forward']);
  });

  it('rejects bad options and bad plans with the value named', () => {
    const p = planOf([{ name: 'x', rows: 2, cols: 3, indices: [0, 5] }]);
    expect(() => createAdapter(p, { alpha: NaN })).toThrow(/options.alpha: number NaN is not a finite number/);
    expect(() => createAdapter(p, {} as { alpha: number })).toThrow(AdapterValidationError);
    expect(() => createAdapter(p, { alpha: 1, init: 'uniform' as 'zeros' })).toThrow(/options.init: "uniform" is not 'zeros' or 'normal'/);
    expect(() => createAdapter(p, { alpha: 1, init: 'normal', std: -1 })).toThrow(/options.std: number -1/);
    expect(() => createAdapter(p, { alpha: 1, seed: 1.5 })).toThrow(/options.seed: number 1.5 is not an integer/);
    expect(() => createAdapter(planOf([{ name: 'x', rows: 2, cols: 3, indices: [6] }]), { alpha: 1 })).toThrow(/plan.layers\[0\].indices\[0\]: 6 is not a position in \[0, rows·cols = 2·3 = 6\)/);
    expect(() => createAdapter(planOf([{ name: 'x', rows: 2, cols: 3, indices: [1, 1] }]), { alpha: 1 })).toThrow(/indices\[1\]: 1 is duplicated/);
    expect(() => createAdapter(planOf([{ name: 'x', rows: 2, cols: 3, indices: [1] }, { name: 'x', rows: 2, cols: 3, indices: [1] }]), { alpha: 1 })).toThrow(/layers\[1\].name: "x" repeats/);
    expect(() => createAdapter({} as SelectionPlan, { alpha: 1 })).toThrow(/plan: is an object .*expected a SelectionPlan/);
  });
});
