/**
 * Translation of each supported tfjs layer into ONNX nodes (opset 17). The project's own layers
 * are recognised by class (`instanceof`, so a subclass exports like its parent); tfjs's built-in
 * layers, whose classes tfjs-layers does not export, by their registered className.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { GraphBuilder } from '@ssh-peft/onnx';
import { AdaptedDense, SshPositionEmbedding, SshSelfAttention } from '@ssh-peft/tfjs';
import { TfjsOnnxUnsupportedLayerError } from './errors';

/** Exporter options that change how layers are written. */
export interface LayerExportOptions {
  /** Dense on 2D inputs: `'matmul'` (MatMul + Add, default), `'gemm'` (kernel as B) or `'gemm-transB'` (kernel stored [units, inputDim], transB = 1). */
  dense2d: 'matmul' | 'gemm' | 'gemm-transB';
  /**
   * SshDense and the other adapted Dense layers (LoRA, FourierFT): export the base kernel W0
   * (default, to merge or hot-swap adapters later) or W0 + ΔW.
   */
  sshDense: 'base' | 'merged';
}

/** Everything a handler gets for one call of a layer. */
export interface LayerCall {
  layer: tfl.layers.Layer;
  inputs: string[];
  inputShapes: SymbolicShape[];
  /** Base for node and tensor names (the layer name, suffixed for shared layers). */
  prefix: string;
  output: string;
}

/** Writes the ONNX nodes of one call of a layer. */
export type LayerHandler = (g: GraphBuilder, call: LayerCall, options: LayerExportOptions) => void;

/** A symbolic tensor's shape; `null` for unknown dimensions. */
export type SymbolicShape = Array<number | null>;

function values(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync());
}

/** The layer's weight whose name ends with `/<short>` (e.g. 'kernel', 'bias', 'gamma'). */
function weight(call: LayerCall, short: string): Float32Array {
  const found = call.layer.weights.find((w) => w.originalName === short || w.originalName.endsWith(`/${short}`));
  if (!found) fail(call, `has no weight named ${JSON.stringify(short)} (weights: ${call.layer.weights.map((w) => w.originalName).join(', ') || 'none'})`);
  return values(found.read());
}

function fail(call: LayerCall, detail: string): never {
  throw new TfjsOnnxUnsupportedLayerError(call.layer.name, call.layer.getClassName(), detail);
}

const ACTIVATIONS: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

function activationName(call: LayerCall, raw: unknown): string {
  const name = typeof raw === 'string' ? raw : raw === undefined || raw === null ? 'linear' : ((raw as { className?: string }).className ?? String(raw));
  const key = name.toLowerCase();
  if (!(key in ACTIVATIONS)) fail(call, `activation ${JSON.stringify(name)} is not supported (supported: ${Object.keys(ACTIVATIONS).join(', ')})`);
  return key;
}

/** Applies `activation` to `x`, writing to `output`. */
function activate(g: GraphBuilder, call: LayerCall, x: string, activation: string): void {
  const op = ACTIVATIONS[activation];
  if (op === null || op === undefined) g.node('Identity', `${call.prefix}/Identity`, [x], {}, call.output);
  else if (op === 'Softmax') g.node('Softmax', `${call.prefix}/Softmax`, [x], { axis: -1 }, call.output);
  else g.node(op, `${call.prefix}/${op}`, [x], {}, call.output);
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = values[i * cols + j]!;
  return out;
}

/** y = act(x·W + b), as MatMul(+Add) for any rank or Gemm for rank 2. */
function emitDense(g: GraphBuilder, call: LayerCall, options: LayerExportOptions, kernel: Float32Array, inputDim: number, units: number, bias: Float32Array | null, activation: string): void {
  const rank = call.inputShapes[0]!.length;
  const x = call.inputs[0]!;
  let pre: string;
  if (rank === 2 && options.dense2d !== 'matmul') {
    const transB = options.dense2d === 'gemm-transB';
    const w = transB ? g.floatTensor(`${call.prefix}/kernel`, [units, inputDim], transpose(kernel, inputDim, units)) : g.floatTensor(`${call.prefix}/kernel`, [inputDim, units], kernel);
    const inputs = [x, w];
    if (bias) inputs.push(g.floatTensor(`${call.prefix}/bias`, [units], bias));
    pre = g.node('Gemm', `${call.prefix}/Gemm`, inputs, transB ? { transB: 1 } : {});
  } else {
    const w = g.floatTensor(`${call.prefix}/kernel`, [inputDim, units], kernel);
    pre = g.node('MatMul', `${call.prefix}/MatMul`, [x, w]);
    if (bias) pre = g.node('Add', `${call.prefix}/BiasAdd`, [pre, g.floatTensor(`${call.prefix}/bias`, [units], bias)]);
  }
  activate(g, call, pre, activation);
}

function lastDim(call: LayerCall, index = 0): number {
  const shape = call.inputShapes[index]!;
  const d = shape[shape.length - 1];
  if (typeof d !== 'number') fail(call, `input ${index} has an unknown last dimension (shape [${shape.map(String)}])`);
  return d;
}

const dense: LayerHandler = (g, call, options) => {
  const config = call.layer.getConfig();
  const units = Number(config['units']);
  const kernel = weight(call, 'kernel');
  const inputDim = lastDim(call);
  const bias = config['useBias'] === false ? null : weight(call, 'bias');
  emitDense(g, call, options, kernel, inputDim, units, bias, activationName(call, config['activation']));
};

const adaptedDense = (g: GraphBuilder, call: LayerCall, options: LayerExportOptions, layer: AdaptedDense): void => {
  let kernel = values(layer.kernel.read());
  if (options.sshDense === 'base') {
    if (layer.merged) fail(call, "the layer is merged (its kernel holds W0 + ΔW); unmerge it first or export with sshDense: 'merged'");
  } else if (!layer.merged && layer.enabled) {
    const delta = layer.deltaWeight();
    const d = values(delta);
    delta.dispose();
    kernel = kernel.map((v, i) => Math.fround(v + d[i]!));
  }
  const bias = layer.useBias ? weight(call, 'bias') : null;
  emitDense(g, call, options, kernel, layer.inputDim, layer.units, bias, activationName(call, layer.activationName));
};

const reshape: LayerHandler = (g, call) => {
  const target = call.layer.getConfig()['targetShape'] as number[];
  const shape = g.int64Tensor(`${call.prefix}/shape`, [0, ...target]);
  g.node('Reshape', `${call.prefix}/Reshape`, [call.inputs[0]!, shape], {}, call.output);
};

const permute: LayerHandler = (g, call) => {
  const dims = call.layer.getConfig()['dims'] as number[];
  g.node('Transpose', `${call.prefix}/Transpose`, [call.inputs[0]!], { perm: [0, ...dims] }, call.output);
};

const add: LayerHandler = (g, call) => {
  let acc = call.inputs[0]!;
  for (let i = 1; i < call.inputs.length; i++) {
    const last = i === call.inputs.length - 1;
    acc = g.node('Add', `${call.prefix}/Add`, [acc, call.inputs[i]!], {}, last ? call.output : undefined);
  }
  if (call.inputs.length === 1) g.node('Identity', `${call.prefix}/Identity`, [acc], {}, call.output);
};

const layerNorm: LayerHandler = (g, call) => {
  const config = call.layer.getConfig();
  const rank = call.inputShapes[0]!.length;
  const axis = config['axis'];
  const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (Number(a) + rank) % rank);
  if (axes.length !== 1 || axes[0] !== rank - 1) fail(call, `only normalisation over the last axis is supported, got axis ${JSON.stringify(axis)}`);
  const d = lastDim(call);
  const gamma = config['scale'] === false ? new Float32Array(d).fill(1) : weight(call, 'gamma');
  const beta = config['center'] === false ? new Float32Array(d) : weight(call, 'beta');
  const inputs = [call.inputs[0]!, g.floatTensor(`${call.prefix}/gamma`, [d], gamma), g.floatTensor(`${call.prefix}/beta`, [d], beta)];
  g.node('LayerNormalization', `${call.prefix}/LayerNormalization`, inputs, { axis: -1, epsilon: { float: Number(config['epsilon'] ?? 1e-3) } }, call.output);
};

const globalAveragePooling1d: LayerHandler = (g, call) => {
  const format = call.layer.getConfig()['dataFormat'];
  if (format !== undefined && format !== 'channelsLast') fail(call, `dataFormat ${JSON.stringify(format)} is not supported (channelsLast only)`);
  g.node('ReduceMean', `${call.prefix}/ReduceMean`, [call.inputs[0]!], { axes: [1], keepdims: 0 }, call.output);
};

const embedding: LayerHandler = (g, call) => {
  const config = call.layer.getConfig();
  if (config['maskZero'] === true) fail(call, 'maskZero is not supported');
  const table = call.layer.getWeights()[0]!;
  const name = g.floatTensor(`${call.prefix}/embeddings`, table.shape, weight(call, 'embeddings'));
  // tfjs feeds token ids as float32; Gather needs integer indices.
  const ids = g.node('Cast', `${call.prefix}/Cast`, [call.inputs[0]!], { to: 7 });
  g.node('Gather', `${call.prefix}/Gather`, [name, ids], { axis: 0 }, call.output);
};

const positionEmbedding: LayerHandler = (g, call) => {
  const table = call.layer.getWeights()[0]!;
  const name = g.floatTensor(`${call.prefix}/embeddings`, table.shape, weight(call, 'embeddings'));
  g.node('Add', `${call.prefix}/Add`, [call.inputs[0]!, name], {}, call.output);
};

const selfAttention = (g: GraphBuilder, call: LayerCall, layer: SshSelfAttention): void => {
  const heads = layer.numHeads;
  const d = lastDim(call);
  const dh = d / heads;
  const [q, k, v] = call.inputs as [string, string, string];
  const split = g.int64Tensor(`${call.prefix}/split_shape`, [0, 0, heads, dh]);
  const heads4 = (x: string, tag: string, perm: number[]) =>
    g.node('Transpose', `${call.prefix}/${tag}_T`, [g.node('Reshape', `${call.prefix}/${tag}_split`, [x, split])], { perm });
  const qh = heads4(q, 'q', [0, 2, 1, 3]); // [B, h, T, dh]
  const kt = heads4(k, 'k', [0, 2, 3, 1]); // [B, h, dh, T]
  const vh = heads4(v, 'v', [0, 2, 1, 3]);
  const scores = g.node('MatMul', `${call.prefix}/scores`, [qh, kt]);
  const scale = g.floatTensor(`${call.prefix}/scale`, [], [1 / Math.sqrt(dh)]);
  const probs = g.node('Softmax', `${call.prefix}/Softmax`, [g.node('Mul', `${call.prefix}/scale_mul`, [scores, scale])], { axis: -1 });
  const context = g.node('Transpose', `${call.prefix}/context_T`, [g.node('MatMul', `${call.prefix}/context`, [probs, vh])], { perm: [0, 2, 1, 3] });
  g.node('Reshape', `${call.prefix}/merge_heads`, [context, g.int64Tensor(`${call.prefix}/merge_shape`, [0, 0, d])], {}, call.output);
};

const activationLayer: LayerHandler = (g, call) => {
  activate(g, call, call.inputs[0]!, activationName(call, call.layer.getConfig()['activation']));
};

const identity: LayerHandler = (g, call) => {
  g.node('Identity', `${call.prefix}/Identity`, [call.inputs[0]!], {}, call.output);
};

const flatten: LayerHandler = (g, call) => {
  g.node('Flatten', `${call.prefix}/Flatten`, [call.inputs[0]!], { axis: 1 }, call.output);
};

/** Handlers of tfjs's built-in layers, by className. */
const BUILT_IN_HANDLERS: Readonly<Record<string, LayerHandler>> = {
  Dense: dense,
  Reshape: reshape,
  Permute: permute,
  Add: add,
  LayerNormalization: layerNorm,
  GlobalAveragePooling1D: globalAveragePooling1d,
  Embedding: embedding,
  Activation: activationLayer,
  Dropout: identity,
  Flatten: flatten,
};

/** What the exporter translates, for error messages and docs. */
export const SUPPORTED_LAYERS: readonly string[] = [...Object.keys(BUILT_IN_HANDLERS), 'SshDense (and every AdaptedDense)', 'SshPositionEmbedding', 'SshSelfAttention'];

/** The translation of `layer`, or `undefined` when there is none. */
export function handlerFor(layer: tfl.layers.Layer): LayerHandler | undefined {
  if (layer instanceof AdaptedDense) return (g, call, options) => adaptedDense(g, call, options, layer);
  if (layer instanceof SshSelfAttention) return (g, call) => selfAttention(g, call, layer);
  if (layer instanceof SshPositionEmbedding) return positionEmbedding;
  return BUILT_IN_HANDLERS[layer.getClassName()];
}

/** Shape of a symbolic tensor (for handlers). */
export function shapeOf(t: tfl.SymbolicTensor): SymbolicShape {
  return [...t.shape];
}
