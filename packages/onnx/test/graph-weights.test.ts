import { createAdapter } from '@ssh-peft/adapter';
import { selectSpectrum } from '@ssh-peft/selection';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adaptableWeightValues,
  decodeModel,
  encodeModel,
  findAdaptableWeights,
  locateAdapterWeights,
  mergeIntoModel,
  OnnxMappingError,
  OnnxOptionError,
  OnnxWeightMismatchError,
  readAdaptableWeights,
  readTensorValues,
} from '../src/index';
import type { NodeProto, TensorProto } from '../src/proto';
import { encodeValues, type FloatDtype } from '../src/tensor-values';
import { randomAdapter, referenceDelta, seeded, transpose } from './helpers';

const CODE: Record<FloatDtype, number> = { float32: 1, float16: 10, bfloat16: 16, float64: 11 };

function tensor(name: string, dims: number[], values: Float32Array, dtype: FloatDtype = 'float32'): TensorProto {
  return { name, dataType: CODE[dtype], dims, rawData: encodeValues(values, dtype, name) };
}

const cast = (name: string, input: string, output: string): NodeProto => ({ opType: 'Cast', name, input: [input], output: [output], attribute: [{ name: 'to', type: 2, i: 1 }] });

/**
 * Every way a weight can be used, in one graph (protobuf only, not run):
 * mm (MatMul, 4×3), g0 (Gemm transB=0, float64, 3×5), g1 (float16 → Cast → Gemm transB=1 alpha 0.5,
 * stored 2×5: d_in 5, d_out 2), bf (bfloat16 → Cast → MatMul, 2×2), tied (two MatMuls, 2×2);
 * not weights: bias (Add), emb (Gather), q8 (int8 MatMul B), vec (1-D), mixed (MatMul B and Gemm transB=1).
 */
function everyUseModel() {
  const values = {
    mm: seeded(12, 1),
    g0: seeded(15, 2),
    g1: seeded(10, 3),
    bf: seeded(4, 4),
    tied: seeded(4, 5),
    mixed: seeded(4, 6),
  };
  const nodes: NodeProto[] = [
    { opType: 'MatMul', name: 'mm_node', input: ['x', 'mm'], output: ['h1'] },
    { opType: 'Add', name: 'add_bias', input: ['h1', 'bias'], output: ['h2'] },
    { opType: 'Gemm', name: 'g0_node', input: ['h2', 'g0'], output: ['h3'] },
    cast('g1_cast', 'g1', 'g1_f32'),
    { opType: 'Gemm', name: 'g1_node', input: ['h3', 'g1_f32'], output: ['h4'], attribute: [{ name: 'transB', type: 2, i: 1 }, { name: 'alpha', type: 1, f: 0.5 }] },
    cast('bf_cast', 'bf', 'bf_f32'),
    { opType: 'MatMul', name: 'bf_node', input: ['h4', 'bf_f32'], output: ['h5'] },
    { opType: 'MatMul', name: 'tied_a', input: ['h5', 'tied'], output: ['h6'] },
    { opType: 'MatMul', name: 'tied_b', input: ['h6', 'tied'], output: ['h7'] },
    { opType: 'Gather', name: 'lookup', input: ['emb', 'ids'], output: ['e'] },
    { opType: 'MatMul', name: 'q8_node', input: ['h7', 'q8'], output: ['h8'] },
    { opType: 'Add', name: 'vec_add', input: ['h8', 'vec'], output: ['h9'] },
    { opType: 'MatMul', name: 'mixed_a', input: ['h9', 'mixed'], output: ['h10'] },
    { opType: 'Gemm', name: 'mixed_b', input: ['h10', 'mixed'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
  ];
  const initializer: TensorProto[] = [
    // Listed out of graph order on purpose: discovery orders weights by first use.
    tensor('tied', [2, 2], values.tied),
    tensor('mm', [4, 3], values.mm),
    tensor('bias', [3], seeded(3, 9)),
    tensor('g0', [3, 5], values.g0, 'float64'),
    tensor('g1', [2, 5], values.g1, 'float16'),
    tensor('bf', [2, 2], values.bf, 'bfloat16'),
    tensor('emb', [10, 2], seeded(20, 10)),
    { name: 'q8', dataType: 3, dims: [2, 2], rawData: new Uint8Array([1, 2, 3, 4]) },
    tensor('vec', [2], seeded(2, 11)),
    tensor('mixed', [2, 2], values.mixed),
  ];
  const model = { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'every-use', node: nodes, initializer, input: [{ name: 'x' }, { name: 'ids' }], output: [{ name: 'y' }, { name: 'e' }] } };
  return { bytes: encodeModel(model), values };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-onnx-weights-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findAdaptableWeights: the one weight discovery', () => {
  it('finds MatMul, Gemm transB 0 and 1, Cast-fed and shared weights of every float dtype, in graph order, and nothing else', () => {
    const model = decodeModel(everyUseModel().bytes);
    const found = findAdaptableWeights(model).map((w) => ({ name: w.name, orientation: w.orientation, dtype: w.dtype, dims: w.dims, rows: w.rows, cols: w.cols, uses: w.uses.length }));
    expect(found).toEqual([
      { name: 'mm', orientation: 'matmul', dtype: 'float32', dims: [4, 3], rows: 4, cols: 3, uses: 1 },
      { name: 'g0', orientation: 'matmul', dtype: 'float64', dims: [3, 5], rows: 3, cols: 5, uses: 1 },
      { name: 'g1', orientation: 'gemm-transB', dtype: 'float16', dims: [2, 5], rows: 5, cols: 2, uses: 1 },
      { name: 'bf', orientation: 'matmul', dtype: 'bfloat16', dims: [2, 2], rows: 2, cols: 2, uses: 1 },
      { name: 'tied', orientation: 'matmul', dtype: 'float32', dims: [2, 2], rows: 2, cols: 2, uses: 2 },
    ]);
    const g1 = findAdaptableWeights(model).find((w) => w.name === 'g1')!;
    expect(g1.uses[0]).toMatchObject({ node: 'g1_cast → g1_node', opType: 'Gemm', alpha: 0.5 });
    expect(g1.uses[0]!.chain.map((n) => n.name)).toEqual(['g1_cast', 'g1_node']);
  });

  it('gives the values in [d_in, d_out] orientation: a Gemm transB=1 weight is transposed, dtypes widened exactly', () => {
    const model = decodeModel(everyUseModel().bytes);
    const byName = new Map(findAdaptableWeights(model).map((w) => [w.name, w]));
    const g1 = byName.get('g1')!;
    const stored = readTensorValues(g1.initializer);
    expect(Array.from(adaptableWeightValues(g1))).toEqual(Array.from(transpose(stored, 2, 5)));
    expect(adaptableWeightValues(byName.get('g0')!)).toBeInstanceOf(Float64Array);
    expect(Array.from(adaptableWeightValues(byName.get('mm')!))).toEqual(Array.from(readTensorValues(byName.get('mm')!.initializer)));
  });

  it('reads external data (and a model given as bytes with baseDir) through readAdaptableWeights', async () => {
    const model = decodeModel(everyUseModel().bytes);
    const mm = model.graph!.initializer!.find((t) => t.name === 'mm')!;
    const raw = Uint8Array.from(mm.rawData!);
    await writeFile(join(dir, 'weights.bin'), raw);
    mm.rawData = new Uint8Array(0);
    mm.dataLocation = 1;
    mm.externalData = [{ key: 'location', value: 'weights.bin' }, { key: 'length', value: String(raw.length) }];
    const path = join(dir, 'external.onnx');
    await writeFile(path, encodeModel(model));
    const fromPath = await readAdaptableWeights(path, { filter: (name) => name === 'mm' || name === 'g1' });
    expect(fromPath.map((w) => [w.name, w.rows, w.cols, w.weights.length])).toEqual([
      ['mm', 4, 3, 12],
      ['g1', 5, 2, 10],
    ]);
    expect(Array.from(fromPath[0]!.weights)).toEqual(Array.from(new Float32Array(raw.buffer.slice(0))));
    const fromBytes = await readAdaptableWeights(encodeModel(model), { baseDir: dir });
    expect(fromBytes.map((w) => w.name)).toEqual(['mm', 'g0', 'g1', 'bf', 'tied']);
  });

  it('a plan selected on a Gemm transB=1 weight makes an adapter that locates and merges with no mapping: W = W0 + ΔWᵀ', async () => {
    const model = decodeModel(everyUseModel().bytes);
    const layers = findAdaptableWeights(model)
      .filter((w) => w.name === 'g1' || w.name === 'mm')
      .map((w) => ({ name: w.name, rows: w.rows, cols: w.cols, weights: adaptableWeightValues(w) }));
    const plan = await selectSpectrum(layers, { strategy: 'global', budget: 8, energyRatio: 0.5, seed: 3 });
    const adapter = createAdapter(plan, { alpha: 2 });
    adapter.layers.forEach((l) => l.coefficients.forEach((_, k) => (l.coefficients[k] = 0.25 * (k + 1))));
    const before = readTensorValues(model.graph!.initializer!.find((t) => t.name === 'g1')!);
    const report = mergeIntoModel(model, adapter, { verify: 'shape' });
    expect(report.layers.map((l) => [l.layer, l.weight, l.orientation])).toEqual([
      ['mm', 'mm', 'matmul'],
      ['g1', 'g1', 'gemm-transB'],
    ]);
    expect(report.warnings.some((w) => w.includes('alpha = 0.5'))).toBe(true);
    const delta = referenceDelta(adapter, 1); // layer g1, [d_in = 5, d_out = 2], by the IDHT2 definition
    const after = readTensorValues(model.graph!.initializer!.find((t) => t.name === 'g1')!);
    // Stored [d_out, d_in]: element [j, i] is W0ᵀ[j, i] + ΔW[i, j], rounded once to float16.
    const { floatToHalf, halfToFloat } = await import('../src/float16');
    for (let j = 0; j < 2; j++) for (let i = 0; i < 5; i++) expect(after[j * 5 + i]).toBe(halfToFloat(floatToHalf(before[j * 5 + i]! + delta[i * 2 + j]!)));
  });
});

describe('mapping entries that name nothing are errors', () => {
  const model = () => decodeModel(everyUseModel().bytes);
  const mmAdapter = () => randomAdapter('proj', 4, 3, everyUseModel().values.mm);

  it('a record entry naming no initializer or node', () => {
    const run = () => locateAdapterWeights(model(), mmAdapter(), { mapping: { mm_typo: 'proj' } });
    expect(run).toThrow(OnnxMappingError);
    expect(run).toThrow(/mapping entry "mm_typo" → "proj": the graph has no initializer or node named "mm_typo"; near matches: .*"mm"/);
    try {
      run();
    } catch (e) {
      expect((e as OnnxMappingError).entry).toBe('mm_typo');
      expect(e).toBeInstanceOf(OnnxOptionError);
    }
  });

  it('an entry naming no adapter layer', () => {
    expect(() => locateAdapterWeights(model(), mmAdapter(), { mapping: { mm: 'projection' } })).toThrow(/mapping entry "mm" → "projection": the adapter has no layer "projection" \(its layers: "proj"\)/);
    expect(() => locateAdapterWeights(model(), mmAdapter(), { mapping: [['mm', 'proj'], ['g0', 'nope']] })).toThrow(OnnxMappingError);
  });

  it('a RegExp matching no graph name; a RegExp template is checked by its matches only', () => {
    expect(() => locateAdapterWeights(model(), mmAdapter(), { mapping: [[/^dense_(\d+)$/, 'proj']] })).toThrow(/mapping entry \/\^dense_\(\\d\+\)\$\/ → "proj": the pattern matches no initializer or node name/);
    const located = locateAdapterWeights(model(), mmAdapter(), { mapping: [[/^(m)m$/, 'proj'], [/^(.*)_node$/, '$1']], verify: 'shape' });
    expect(located.map((l) => l.initializer.name)).toEqual(['mm']);
  });

  it('a node name in the mapping finds its weight through a Cast', () => {
    const g1 = findAdaptableWeights(model()).find((w) => w.name === 'g1')!;
    const adapter = randomAdapter('head', 5, 2, adaptableWeightValues(g1));
    const located = locateAdapterWeights(model(), adapter, { mapping: { g1_node: 'head' }, verify: 'shape' });
    expect(located.map((l) => [l.initializer.name, l.orientation, l.dtype])).toEqual([['g1', 'gemm-transB', 'float16']]);
  });
});

describe('locating layer shapes without an adapter', () => {
  const model = () => decodeModel(everyUseModel().bytes);

  it('finds the same weights as the adapter does, verifying shapes', () => {
    const adapter = randomAdapter('proj', 4, 3, everyUseModel().values.mm);
    const byAdapter = locateAdapterWeights(model(), adapter, { mapping: { mm: 'proj' } });
    const byShape = locateAdapterWeights(model(), [{ name: 'proj', rows: 4, cols: 3 }], { mapping: { mm: 'proj' }, verify: 'shape' });
    expect(byShape.map((l) => [l.layer, l.initializer.name, l.orientation, l.dtype])).toEqual([[{ name: 'proj', rows: 4, cols: 3 }, 'mm', 'matmul', 'float32']]);
    expect(byShape.map((l) => [l.initializer.name, l.orientation, l.dtype])).toEqual(byAdapter.map((l) => [l.initializer.name, l.orientation, l.dtype]));
    expect(() => locateAdapterWeights(model(), [{ name: 'proj', rows: 3, cols: 4 }], { mapping: { mm: 'proj' }, verify: 'shape' })).toThrow(OnnxWeightMismatchError);
  });

  it('refuses to verify fingerprints it does not have: verify must be shape', () => {
    const run = () => locateAdapterWeights(model(), [{ name: 'proj', rows: 4, cols: 3 }], { mapping: { mm: 'proj' } } as never);
    expect(run).toThrow(OnnxOptionError);
    expect(run).toThrow(/verifies shapes only: pass verify: 'shape'/);
  });
});
