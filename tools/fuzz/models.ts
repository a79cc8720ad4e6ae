/** Small valid ONNX models with a matching adapter: the seeds the ONNX fuzzers damage. */
import { adapterFromLayers, type SshAdapter } from '@ssh-peft/adapter';
import { encodeModel } from '@ssh-peft/onnx';
import { createRandom, fingerprintWeights } from '@ssh-peft/selection';

/** One seed: model bytes and an adapter for its weight `dense`. */
export interface OnnxSeed {
  name: string;
  bytes: Uint8Array;
  adapter: SshAdapter;
}

function valueInfo(name: string, width: number) {
  return { name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] } } } };
}

/** y = x·W + b with W used by MatMul (stored [rows, cols]) or by Gemm transB = 1 (stored [cols, rows]). */
function linearSeed(op: 'matmul' | 'gemm-transB', rows: number, cols: number, seed: number): OnnxSeed {
  const random = createRandom(seed);
  const w = Float32Array.from({ length: rows * cols }, () => random.nextNormal() * 0.1);
  const stored = op === 'matmul' ? w : Float32Array.from({ length: rows * cols }, (_, k) => w[(k % rows) * cols + Math.floor(k / rows)]!);
  const bias = Float32Array.from({ length: cols }, () => random.nextNormal() * 0.1);
  const node =
    op === 'matmul'
      ? [
          { opType: 'MatMul', name: 'dense/MatMul', input: ['x', 'dense'], output: ['xw'] },
          { opType: 'Add', name: 'dense/BiasAdd', input: ['xw', 'bias'], output: ['y'] },
        ]
      : [{ opType: 'Gemm', name: 'dense/Gemm', input: ['x', 'dense', 'bias'], output: ['y'], attribute: [{ name: 'transB', type: 2, i: 1 }] }];
  // A plain Uint8Array copy: encodeModel may return a Node Buffer, whose slice() is a view, and the
  // mutations copy with slice() — a Buffer seed would be damaged in place, case after case.
  const bytes = Uint8Array.from(encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'fuzz',
    graph: {
      name: 'linear',
      node,
      initializer: [
        { name: 'dense', dataType: 1, dims: op === 'matmul' ? [rows, cols] : [cols, rows], rawData: new Uint8Array(stored.buffer) },
        { name: 'bias', dataType: 1, dims: [cols], rawData: new Uint8Array(bias.buffer) },
      ],
      input: [valueInfo('x', rows)],
      output: [valueInfo('y', cols)],
    },
  }));
  const n = Math.min(5, rows * cols);
  const adapter = adapterFromLayers(
    [
      {
        name: 'dense',
        rows,
        cols,
        indices: Uint32Array.from({ length: n }, (_, k) => (k * 7) % (rows * cols)).sort(),
        coefficients: Float32Array.from({ length: n }, (_, k) => (k - 2) * 0.5),
        alpha: 2,
        fingerprint: fingerprintWeights(w, rows, cols),
      },
    ],
    { seed },
  );
  return { name: `${op} ${rows}x${cols}`, bytes, adapter };
}

/** The seed models: both orientations, square and not. */
export function onnxSeeds(): OnnxSeed[] {
  return [linearSeed('matmul', 8, 6, 1), linearSeed('gemm-transB', 5, 7, 2), linearSeed('matmul', 4, 4, 3)];
}
