import { describe, expect, it } from 'vitest';
import { selectSpectrum, SelectionInputError, SelectionOptionError, type LayerInput, type SelectionOptions } from '../src/index';
import { streamOf } from './reference';

const layer = (name: string, rows: number, cols: number, type: 'f32' | 'f64' = 'f32'): LayerInput => ({
  name,
  rows,
  cols,
  weights: ((values: number[]) => (type === 'f32' ? Float32Array.from(values) : Float64Array.from(values)))(Array.from({ length: rows * cols }, (_, i) => Math.cos(i * 0.7) + i * 0.01)),
});
const perLayer = (n: number): SelectionOptions => ({ strategy: 'per-layer', perLayer: n, energyRatio: 0.5, seed: 1 });
const global = (budget: number, extra: Partial<SelectionOptions> = {}): SelectionOptions => ({ strategy: 'global', budget, energyRatio: 0.5, seed: 1, ...extra });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('bad layers', () => {
  for (const [type, bad] of [
    ['f32', Number.NaN],
    ['f64', Number.POSITIVE_INFINITY],
    ['f64', Number.NEGATIVE_INFINITY],
  ] as const) {
    it(`${bad} in ${type} weights names the layer and the first bad flat index (array and stream)`, async () => {
      const w = layer('mlp.up', 3, 4, type);
      w.weights[7] = bad;
      w.weights[9] = bad;
      for (const source of [[layer('ok', 2, 2), w], streamOf([layer('ok', 2, 2), w])]) {
        const error = await rejection(selectSpectrum(source, perLayer(2)));
        expect(error).toBeInstanceOf(SelectionInputError);
        expect(error.message).toContain(`layer 'mlp.up': weights[7] (row 1, col 3) is ${bad}`);
        expect((error as SelectionInputError).layer).toBe('mlp.up');
        expect((error as SelectionInputError).index).toBe(7);
      }
    });
  }

  it('finite weights whose spectrum overflows float32 name the first bad spectral index', async () => {
    const w: LayerInput = { name: 'huge', rows: 2, cols: 2, weights: new Float32Array([3e38, 3e38, 3e38, 3e38]) };
    const error = await rejection(selectSpectrum([w], perLayer(1)));
    expect(error).toBeInstanceOf(SelectionInputError);
    expect(error.message).toMatch(/layer 'huge': spectral energy at flat index 0 is Infinity/);
  });

  it('rows·cols ≠ weights.length', async () => {
    const bad = { name: 'attn.q', rows: 3, cols: 5, weights: new Float32Array(14) };
    for (const source of [[bad], streamOf([bad])]) {
      await expect(selectSpectrum(source, perLayer(1))).rejects.toThrow(/layer 'attn.q': rows·cols \(3·5 = 15\) ≠ weights.length \(14\)/);
    }
  });

  it('non-integer or non-positive rows/cols, wrong array type, missing name', async () => {
    await expect(selectSpectrum([{ name: 'x', rows: 2.5, cols: 2, weights: new Float32Array(5) }], perLayer(1))).rejects.toThrow(/rows \(2.5\) and cols \(2\) must be integers ≥ 1/);
    await expect(selectSpectrum([{ name: 'x', rows: 2, cols: 2, weights: [1, 2, 3, 4] as unknown as Float32Array }], perLayer(1))).rejects.toThrow(/weights is Array, expected a Float32Array or Float64Array/);
    await expect(selectSpectrum([{ name: '', rows: 1, cols: 1, weights: new Float32Array(1) }], perLayer(1))).rejects.toThrow(/layers\[0\].name must be a non-empty string/);
  });

  it('duplicate layer names — caught before any transform for arrays, when met for streams', async () => {
    const layers = [layer('a', 2, 2), layer('b', 2, 2), layer('a', 3, 3)];
    const progress: string[] = [];
    const error = await rejection(selectSpectrum(layers, { ...perLayer(1), onProgress: (_d, _t, name) => progress.push(name) }));
    expect(error).toBeInstanceOf(SelectionInputError);
    expect(error.message).toBe("duplicate layer name 'a' (layers[2])");
    expect(progress).toEqual([]); // nothing was transformed
    await expect(selectSpectrum(streamOf(layers), perLayer(1))).rejects.toThrow("duplicate layer name 'a' (layers[2])");
  });

  it('a bad layer in a stream closes the stream (its finally runs), as for await would; sync iterables of promises are awaited', async () => {
    let closed = false;
    let produced = 0;
    async function* source(): AsyncGenerator<LayerInput> {
      try {
        yield layer('ok', 2, 2);
        produced++;
        yield { name: 'bad', rows: 2, cols: 2, weights: new Float32Array(3) };
        produced++;
        yield layer('never', 2, 2);
      } finally {
        closed = true;
      }
    }
    await expect(selectSpectrum(source(), perLayer(1))).rejects.toThrow(/layer 'bad'/);
    expect(closed).toBe(true);
    expect(produced).toBe(1);
    const promised = [Promise.resolve(layer('p', 2, 2)), Promise.resolve(layer('q', 2, 2))] as unknown as Iterable<LayerInput>;
    const plan = await selectSpectrum({ [Symbol.iterator]: () => (promised as Iterable<LayerInput>)[Symbol.iterator]() }, perLayer(1));
    expect(plan.layers.map((l) => l.name)).toEqual(['p', 'q']);
  });

  it('an empty layer list (array and stream)', async () => {
    await expect(selectSpectrum([], perLayer(1))).rejects.toThrow(/no layers to select from/);
    await expect(selectSpectrum(streamOf([]), global(3))).rejects.toThrow(/no layers to select from/);
    await expect(selectSpectrum(streamOf([]), perLayer(3))).rejects.toThrow(SelectionInputError);
  });

  it('layers that are not an array or iterable', async () => {
    await expect(selectSpectrum(42 as never, perLayer(1))).rejects.toThrow(/layers must be an array or a \(async\) iterable/);
  });
});

describe('bad options (validated before any layer is read)', () => {
  const untouchable = (): AsyncIterable<LayerInput> => ({
    [Symbol.asyncIterator]() {
      throw new Error('the stream must not be read when the options are bad');
    },
  });

  const cases: [string, SelectionOptions, RegExp][] = [
    ['perLayer 0', perLayer(0), /perLayer must be an integer ≥ 1, got 0/],
    ['perLayer negative', perLayer(-3), /perLayer must be an integer ≥ 1, got -3/],
    ['perLayer non-integer', perLayer(2.5), /perLayer must be an integer ≥ 1, got 2.5/],
    ['perLayer missing', { strategy: 'per-layer', energyRatio: 1, seed: 0 }, /perLayer must be an integer ≥ 1, got undefined/],
    ['budget 0', global(0), /budget must be an integer ≥ 1, got 0/],
    ['budget non-integer', global(7.25), /budget must be an integer ≥ 1, got 7.25/],
    ['energyRatio > 1', { ...perLayer(1), energyRatio: 1.5 }, /energyRatio must be a number in \[0, 1\], got 1.5/],
    ['energyRatio < 0', { ...perLayer(1), energyRatio: -0.1 }, /energyRatio must be a number in \[0, 1\], got -0.1/],
    ['energyRatio NaN', { ...perLayer(1), energyRatio: Number.NaN }, /got NaN/],
    ['seed not integer', { ...perLayer(1), seed: 0.5 }, /seed must be a safe integer, got 0.5/],
    ['unknown strategy', { ...perLayer(1), strategy: 'best' as never }, /strategy must be 'per-layer' or 'global', got 'best'/],
    ['unknown score', global(3, { score: 'l2' as never }), /score must be 'mean-relative-energy', 'relative-energy' or 'energy', got 'l2'/],
    ['unknown variant', { ...perLayer(1), variant: 'fancy' as never }, /variant must be 'separable' or 'true', got 'fancy'/],
    ['budget with per-layer', { ...perLayer(1), budget: 4 }, /budget does not apply to strategy 'per-layer' \(got 4\)/],
    ['perLayer with global', global(3, { perLayer: 2 }), /perLayer does not apply to strategy 'global'/],
    ['min > max', global(10, { minPerLayer: 4, maxPerLayer: 3 }), /maxPerLayer 3 is below minPerLayer 4/],
    ['min > budget', global(3, { minPerLayer: 4 }), /minPerLayer 4 exceeds the budget 3/],
    ['negative min', global(3, { minPerLayer: -1 }), /minPerLayer must be an integer ≥ 0, got -1/],
    ['threshold out of range', { ...perLayer(1), energyThreshold: 0 }, /energyThreshold must be a number in \(0, 1\], got 0/],
  ];
  for (const [what, options, message] of cases) {
    it(what, async () => {
      const error = await rejection(selectSpectrum(untouchable(), options));
      expect(error).toBeInstanceOf(SelectionOptionError);
      expect(error.message).toMatch(message);
    });
  }
});

describe('counts larger than the positions available', () => {
  it('perLayer > rows·cols of a layer says how many are available (array: before any transform; stream: when met)', async () => {
    const layers = [layer('big', 4, 4), layer('small', 2, 3)];
    const message = "perLayer 7 exceeds the 6 positions available in layer 'small' (2×3)";
    await expect(selectSpectrum(layers, perLayer(7))).rejects.toThrow(message);
    await expect(selectSpectrum(streamOf(layers), perLayer(7))).rejects.toThrow(message);
  });

  it('budget > Σ positions (or Σ maxPerLayer) says how many are available', async () => {
    const layers = [layer('a', 2, 3), layer('b', 3, 3)];
    await expect(selectSpectrum(layers, global(16))).rejects.toThrow('budget 16 exceeds the 15 positions available (Σ rows·cols over 2 layers)');
    await expect(selectSpectrum(streamOf(layers), global(16))).rejects.toThrow('budget 16 exceeds the 15 positions available (Σ rows·cols over 2 layers)');
    await expect(selectSpectrum(layers, global(9, { maxPerLayer: 4 }))).rejects.toThrow('budget 9 exceeds the 8 positions available (Σ min(rows·cols, maxPerLayer 4) over 2 layers)');
    await expect(selectSpectrum(streamOf(layers), global(9, { maxPerLayer: 4 }))).rejects.toThrow(SelectionOptionError);
  });

  it('minPerLayer × layers > budget, and minPerLayer > a layer’s positions', async () => {
    const layers = [layer('a', 2, 3), layer('b', 3, 3), layer('c', 3, 3)];
    await expect(selectSpectrum(layers, global(5, { minPerLayer: 2 }))).rejects.toThrow('minPerLayer 2 × 3 layers = 6 exceeds the budget 5');
    await expect(selectSpectrum(streamOf(layers), global(5, { minPerLayer: 2 }))).rejects.toThrow('minPerLayer 2 × 3 layers = 6 exceeds the budget 5');
    await expect(selectSpectrum(layers, global(21, { minPerLayer: 7 }))).rejects.toThrow("minPerLayer 7 exceeds the 6 positions available in layer 'a' (2×3)");
  });
});
