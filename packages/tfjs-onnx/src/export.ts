/** tfjs LayersModel → ONNX (opset 17) for the layer types of the project's own models. */
import type * as tfl from '@tensorflow/tfjs-layers';
import { DataType, encodeModel, GraphBuilder, type ValueInfoProto } from '@ssh-peft/onnx';
import { TfjsOnnxOptionError, TfjsOnnxUnsupportedLayerError } from './errors';
import { handlerFor, type LayerExportOptions, shapeOf, SUPPORTED_LAYERS, type SymbolicShape } from './layer-handlers';

/** Options of {@link exportLayersModelToOnnx}. */
export interface ExportOptions extends Partial<LayerExportOptions> {
  /** Symbolic name of the batch dimension (default `'batch'`). */
  batchDim?: string;
  /** `producer_name` (default `'ssh-peft'`). */
  producerName?: string;
}

const OPSET = 17;
const IR_VERSION = 8;

function valueInfo(name: string, shape: SymbolicShape, batchDim: string): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: shape.map((d, i) => (typeof d === 'number' ? { dimValue: d } : { dimParam: i === 0 ? batchDim : `${name}_dim${i}` })) },
      },
    },
  };
}

function key(layer: tfl.layers.Layer, nodeIndex: number, tensorIndex: number): string {
  return `${layer.name}\u0000${nodeIndex}\u0000${tensorIndex}`;
}

/**
 * Exports a functional tfjs `LayersModel` to ONNX bytes by walking its layer graph (inbound
 * nodes) in topological order. Supported: tfjs's Dense, Reshape, Permute, Add,
 * LayerNormalization, GlobalAveragePooling1D, Embedding, Activation, Dropout (identity) and
 * Flatten; `@ssh-peft/tfjs`'s SshDense and the other adapted Dense layers (base or merged
 * kernel), SshPositionEmbedding and SshSelfAttention. Anything else throws
 * {@link TfjsOnnxUnsupportedLayerError} naming the layer and its className. Dense kernels are
 * named `<layer>/kernel`, so adapters find them by layer name.
 *
 * @example
 * ```ts
 * import { buildTinyViT } from '@ssh-peft/tfjs';
 * import { exportLayersModelToOnnx } from '@ssh-peft/tfjs-onnx';
 * const model = buildTinyViT({ dim: 32, depth: 1, heads: 4, mlpDim: 64, numClasses: 10, seed: 1 });
 * const bytes = exportLayersModelToOnnx(model);   // feed 'pixels' [B, 784], output 'head'
 * ```
 */
export function exportLayersModelToOnnx(model: tfl.LayersModel, options: ExportOptions = {}): Uint8Array {
  const m = model;
  if (!m || !Array.isArray(m.layers) || !Array.isArray(m.inputLayers)) {
    throw new TfjsOnnxOptionError('exportLayersModelToOnnx: expected a functional tfjs LayersModel (tf.model or tf.sequential)');
  }
  const layerOptions: LayerExportOptions = { dense2d: options.dense2d ?? 'matmul', sshDense: options.sshDense ?? 'base' };
  if (!['matmul', 'gemm', 'gemm-transB'].includes(layerOptions.dense2d)) throw new TfjsOnnxOptionError(`dense2d must be 'matmul', 'gemm' or 'gemm-transB', got ${JSON.stringify(layerOptions.dense2d)}`);
  if (!['base', 'merged'].includes(layerOptions.sshDense)) throw new TfjsOnnxOptionError(`sshDense must be 'base' or 'merged', got ${JSON.stringify(layerOptions.sshDense)}`);
  const batchDim = options.batchDim ?? 'batch';
  const g = new GraphBuilder();
  const names = new Map<string, string>();
  const inputs: ValueInfoProto[] = [];
  for (const layer of m.inputLayers) {
    const name = g.unique(layer.name);
    names.set(key(layer, 0, 0), name);
    inputs.push(valueInfo(name, shapeOf(layer.inboundNodes[0]!.outputTensors[0]!), batchDim));
  }
  const inputSet = new Set(m.inputLayers);
  // A layer keeps the calls of every model built on it (applySSH and the baselines rebuild the
  // graph on the same input layer), so only the nodes this model owns are exported.
  const ownNodes = new Set<unknown>(Object.values(m.nodesByDepth).flat());
  for (const layer of m.layers) {
    if (inputSet.has(layer)) continue;
    const className = layer.getClassName();
    const handler = handlerFor(layer);
    if (!handler) throw new TfjsOnnxUnsupportedLayerError(layer.name, className, `no ONNX translation for this layer type (supported: ${SUPPORTED_LAYERS.join(', ')})`);
    // The first call in this model is named after the layer (adapters locate `<layer>/kernel`);
    // further calls of a layer shared within the model get `_1`, `_2`, ….
    let callsInModel = 0;
    layer.inboundNodes.forEach((node, nodeIndex) => {
      if (!ownNodes.has(node)) return;
      const inputNames = node.inboundLayers.map((src, i) => names.get(key(src, node.nodeIndices[i]!, node.tensorIndices[i]!)));
      if (inputNames.some((n) => n === undefined)) throw new TfjsOnnxUnsupportedLayerError(layer.name, className, `call ${nodeIndex} reads a tensor that no exported layer produces`);
      if (node.outputTensors.length !== 1) throw new TfjsOnnxUnsupportedLayerError(layer.name, className, `${node.outputTensors.length} outputs; only single-output layers are supported`);
      const prefix = callsInModel === 0 ? layer.name : `${layer.name}_${callsInModel}`;
      callsInModel += 1;
      const output = g.unique(prefix);
      handler(g, { layer, inputs: inputNames as string[], inputShapes: node.inputTensors.map(shapeOf), prefix, output }, layerOptions);
      names.set(key(layer, nodeIndex, 0), output);
    });
  }
  const outputs = m.outputLayers.map((layer, i) => {
    const nodeIndex = m.outputLayersNodeIndices[i]!;
    const name = names.get(key(layer, nodeIndex, m.outputLayersTensorIndices[i]!));
    if (name === undefined) throw new TfjsOnnxUnsupportedLayerError(layer.name, layer.getClassName(), 'output layer was not reached from the model inputs');
    return valueInfo(name, shapeOf(layer.inboundNodes[nodeIndex]!.outputTensors[m.outputLayersTensorIndices[i]!]!), batchDim);
  });
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: options.producerName ?? 'ssh-peft',
    producerVersion: '0.1.0',
    graph: { name: m.name, node: g.nodes, initializer: g.initializers, input: inputs, output: outputs },
  });
}
