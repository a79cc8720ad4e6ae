/**
 * A transformer-shaped ONNX model built directly with the codec (no tfjs needed at d = 768):
 * `blocks` pre-norm blocks of LayerNorm, q/k/v MatMul+Add, multi-head attention, o, residual,
 * LayerNorm, MLP (ReLU), residual. Input `x` [batch, seq, d], output `y`. Weights are seeded.
 */
import { GraphBuilder } from '../src/graph-builder';
import { encodeModel } from '../src/proto';

export interface TransformerShape {
  d: number;
  heads: number;
  mlp: number;
  blocks: number;
}

function uniform(count: number, scale: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

export function buildTransformer(shape: TransformerShape): { bytes: Uint8Array; weightBytes: number; kernels: Map<string, { rows: number; cols: number; values: Float32Array }> } {
  const { d, heads, mlp, blocks } = shape;
  const g = new GraphBuilder();
  g.unique('x');
  let seed = 1;
  let weightBytes = 0;
  const kernels = new Map<string, { rows: number; cols: number; values: Float32Array }>();
  const dense = (name: string, x: string, rows: number, cols: number): string => {
    const values = uniform(rows * cols, 1 / Math.sqrt(rows), seed++);
    kernels.set(name, { rows, cols, values });
    weightBytes += (rows * cols + cols) * 4;
    const w = g.floatTensor(`${name}/kernel`, [rows, cols], values);
    const b = g.floatTensor(`${name}/bias`, [cols], uniform(cols, 0.02, seed++));
    return g.node('Add', `${name}/BiasAdd`, [g.node('MatMul', `${name}/MatMul`, [x, w]), b]);
  };
  const norm = (name: string, x: string): string =>
    g.node('LayerNormalization', name, [x, g.floatTensor(`${name}/gamma`, [d], new Float32Array(d).fill(1)), g.floatTensor(`${name}/beta`, [d], new Float32Array(d))], { axis: -1, epsilon: { float: 1e-5 } });
  const dh = d / heads;
  let h = 'x';
  for (let i = 0; i < blocks; i++) {
    const p = `block${i}`;
    const n1 = norm(`${p}_ln1`, h);
    const [q, k, v] = ['q', 'k', 'v'].map((t) => dense(`${p}_${t}`, n1, d, d)) as [string, string, string];
    const split = g.int64Tensor(`${p}/split`, [0, 0, heads, dh]);
    const heads4 = (x: string, perm: number[]) => g.node('Transpose', `${p}/T`, [g.node('Reshape', `${p}/split`, [x, split])], { perm });
    const scores = g.node('MatMul', `${p}/scores`, [heads4(q, [0, 2, 1, 3]), heads4(k, [0, 2, 3, 1])]);
    const probs = g.node('Softmax', `${p}/softmax`, [g.node('Mul', `${p}/scale`, [scores, g.floatTensor(`${p}/scale`, [], [1 / Math.sqrt(dh)])])], { axis: -1 });
    const ctx = g.node('Transpose', `${p}/ctxT`, [g.node('MatMul', `${p}/ctx`, [probs, heads4(v, [0, 2, 1, 3])])], { perm: [0, 2, 1, 3] });
    const merged = g.node('Reshape', `${p}/merge`, [ctx, g.int64Tensor(`${p}/merge_shape`, [0, 0, d])]);
    h = g.node('Add', `${p}_add1`, [h, dense(`${p}_o`, merged, d, d)]);
    const n2 = norm(`${p}_ln2`, h);
    const m1 = g.node('Relu', `${p}_relu`, [dense(`${p}_mlp1`, n2, d, mlp)]);
    h = g.node('Add', `${p}_add2`, [h, dense(`${p}_mlp2`, m1, mlp, d)]);
  }
  g.node('Identity', 'output', [h], {}, 'y');
  const io = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'batch' }, { dimParam: 'seq' }, { dimValue: d }] } } } });
  const bytes = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'ssh-peft-bench',
    graph: { name: 'transformer', node: g.nodes, initializer: g.initializers, input: [io('x')], output: [io('y')] },
  });
  return { bytes, weightBytes, kernels };
}
