/** Test helpers: small ONNX models built with the codec, seeded data, naive references. */
import { adapterFromLayers, type SshAdapter } from '@ssh-peft/adapter';
import type { Normalization, Variant2D } from '@ssh-peft/hartley';
import { createRandom, fingerprintWeights } from '@ssh-peft/selection';
import * as ort from 'onnxruntime-node';
import { encodeModel, type NodeProto, type ValueInfoProto } from '../src/proto';
import { encodeValues, type FloatDtype } from '../src/tensor-values';

const ELEM: Record<FloatDtype, number> = { float32: 1, float16: 10, bfloat16: 16, float64: 11 };

/** Deterministic uniform values in [-1, 1) from the project's seeded PRNG. */
export function seeded(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: count }, () => 2 * random.nextDouble() - 1);
}

export interface LinearSpec {
  rows: number;
  cols: number;
  /** How the weight is used: MatMul B, Gemm B, Gemm B with transB=1. */
  op: 'matmul' | 'gemm' | 'gemm-transB';
  dtype?: FloatDtype;
  /** Weight initializer name (default 'dense/kernel'). */
  weightName?: string;
  nodeName?: string;
  seed?: number;
  /** Extra MatMul nodes sharing the weight. */
  sharedUses?: number;
  /** Also use the weight in a non-MatMul node (Identity to a second output). */
  otherUse?: boolean;
}

/** W0 in [rows, cols] orientation (float32 values, before dtype rounding). */
export function baseKernel(spec: LinearSpec): Float32Array {
  return seeded(spec.rows * spec.cols, spec.seed ?? 1);
}

/**
 * y = x·W0 + b (x: [batch, rows]) as a one-node model. float16/bfloat16/float64 weights are
 * wrapped in a Cast to float so inputs and outputs stay float32.
 */
export function linearModel(spec: LinearSpec): { bytes: Uint8Array; w0: Float32Array | Float64Array } {
  const { rows, cols } = spec;
  const dtype = spec.dtype ?? 'float32';
  const name = spec.weightName ?? 'dense/kernel';
  const w = baseKernel(spec);
  const stored = spec.op === 'gemm-transB' ? transpose(w, rows, cols) : w;
  const raw = encodeValues(stored, dtype, name);
  const bias = seeded(cols, (spec.seed ?? 1) + 7);
  const nodes: NodeProto[] = [];
  let weightRef = name;
  if (dtype !== 'float32') {
    weightRef = `${name}_f32`;
    nodes.push({ opType: 'Cast', name: 'cast', input: [name], output: [weightRef], attribute: [{ name: 'to', type: 2, i: 1 }] });
  }
  const nodeName = spec.nodeName ?? 'dense/MatMul';
  if (spec.op === 'matmul') {
    nodes.push({ opType: 'MatMul', name: nodeName, input: ['x', weightRef], output: ['xw'] });
    nodes.push({ opType: 'Add', name: 'dense/BiasAdd', input: ['xw', 'bias'], output: ['y'] });
  } else {
    nodes.push({
      opType: 'Gemm',
      name: nodeName,
      input: ['x', weightRef, 'bias'],
      output: ['y'],
      attribute: spec.op === 'gemm-transB' ? [{ name: 'transB', type: 2, i: 1 }] : [],
    });
  }
  const outputs = [vi('y', [-1, cols])];
  for (let k = 0; k < (spec.sharedUses ?? 0); k++) {
    nodes.push({ opType: 'MatMul', name: `shared${k}`, input: ['x', name], output: [`y_shared${k}`] });
    outputs.push(vi(`y_shared${k}`, [-1, cols]));
  }
  if (spec.otherUse) {
    nodes.push({ opType: 'Identity', name: 'peek', input: [name], output: ['w_copy'] });
    outputs.push({ name: 'w_copy', type: { tensorType: { elemType: ELEM[dtype], shape: { dim: [] } } } });
  }
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'test',
    metadataProps: [{ key: 'origin', value: 'helpers' }],
    graph: {
      name: 'linear',
      node: nodes,
      initializer: [
        { name, dataType: ELEM[dtype], dims: spec.op === 'gemm-transB' ? [cols, rows] : [rows, cols], rawData: raw },
        { name: 'bias', dataType: 1, dims: [cols], rawData: encodeValues(bias, 'float32', 'bias') },
      ],
      input: [vi('x', [-1, rows])],
      output: outputs,
    },
  };
  return { bytes: encodeModel(model), w0: w };
}

function vi(name: string, dims: number[]): ValueInfoProto {
  return { name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (d < 0 ? { dimParam: 'batch' } : { dimValue: d })) } } } };
}

export function transpose(w: Float32Array | Float64Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = w[i * cols + j]!;
  return out;
}

/** An adapter for one layer with random positions and coefficients, fingerprinted on `w0`. */
export function randomAdapter(
  name: string,
  rows: number,
  cols: number,
  w0: Float32Array | Float64Array,
  options: { n?: number; seed?: number; alpha?: number; variant?: Variant2D; normalization?: Normalization } = {},
): SshAdapter {
  const n = Math.min(options.n ?? 5, rows * cols);
  const seed = options.seed ?? 3;
  const picks = seeded(rows * cols, seed);
  const order = [...picks.keys()].sort((a, b) => picks[a]! - picks[b]!).slice(0, n).sort((a, b) => a - b);
  const coefficients = seeded(n, seed + 11).map((v) => v * 2);
  return adapterFromLayers([{ name, rows, cols, indices: Uint32Array.from(order), coefficients, alpha: options.alpha ?? 1, fingerprint: fingerprintWeights(w0, rows, cols) }], {
    variant: options.variant,
    normalization: options.normalization,
    seed,
    metadata: { name: `adapter${seed}` },
  });
}

/** Naive ΔW: the definition of IDHT2 of the sparse spectrum, O(rows·cols·n), float64. */
export function referenceDelta(adapter: SshAdapter, layerIndex = 0): Float64Array {
  const layer = adapter.layers[layerIndex]!;
  const { rows, cols, indices, coefficients, alpha } = layer;
  const { variant, normalization } = adapter.config;
  const norm = normalization === 'backward' ? 1 / (rows * cols) : normalization === 'ortho' ? 1 / Math.sqrt(rows * cols) : 1;
  const cas = (t: number) => Math.cos(t) + Math.sin(t);
  const out = new Float64Array(rows * cols);
  for (let k = 0; k < indices.length; k++) {
    const u = Math.floor(indices[k]! / cols);
    const v = indices[k]! % cols;
    const c = coefficients[k]! * alpha * norm;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const value = variant === 'separable' ? cas((2 * Math.PI * u * i) / rows) * cas((2 * Math.PI * v * j) / cols) : cas(2 * Math.PI * ((u * i) / rows + (v * j) / cols));
        out[i * cols + j] += c * value;
      }
    }
  }
  return out;
}

/** y = x·W + b in float64 (reference). */
export function referenceLinear(x: Float32Array, batch: number, w: ArrayLike<number>, rows: number, cols: number, bias: ArrayLike<number>): Float64Array {
  const y = new Float64Array(batch * cols);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < cols; j++) {
      let s = bias[j]!;
      for (let i = 0; i < rows; i++) s += x[b * rows + i]! * w[i * cols + j]!;
      y[b * cols + j] = s;
    }
  }
  return y;
}

/** Runs a model once on CPU and returns the named outputs' data. */
export async function runModel(model: Uint8Array | string, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model as Uint8Array, { executionProviders: ['cpu'] });
  try {
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** Relative difference max|a−b| / max|b| (NaN anywhere gives NaN, so it never passes silently). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} ≠ ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (Number.isNaN(d)) return NaN;
    diff = Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, Number.MIN_VALUE);
}

export function biasOf(spec: LinearSpec): Float32Array {
  return seeded(spec.cols, (spec.seed ?? 1) + 7);
}
