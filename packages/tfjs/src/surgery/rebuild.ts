/**
 * Rebuilds a LayersModel's graph with some layers swapped for replacements, reusing
 * every other layer object (and therefore its weights). Works for functional models
 * (any DAG, multiple inputs/outputs, shared layers) and Sequential models.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { SshTargetError } from '../errors';

/** The parts of tfjs-layers' internal Node this rebuild reads. */
interface GraphNode {
  inboundLayers: tfl.layers.Layer[];
  nodeIndices: number[];
  tensorIndices: number[];
  outputTensors: tfl.SymbolicTensor[];
  callArgs?: Record<string, unknown>;
}

interface GraphLayer {
  inboundNodes: GraphNode[];
}

interface GraphModel {
  containerNodes: Set<string>;
  outputLayers: tfl.layers.Layer[];
  outputLayersNodeIndices: number[];
  outputLayersTensorIndices: number[];
}

const nodeKey = (layer: tfl.layers.Layer, nodeIndex: number) => `${layer.name}_ib-${nodeIndex}`;

/**
 * A new model computing the same graph as `model`, with each layer in `replacements`
 * applied in place of its key. Replacement layers must accept the same inputs.
 *
 * @example
 * ```ts
 * const adapted = rebuildWithReplacements(model, new Map([[model.getLayer('head'), newHead]]));
 * ```
 */
export function rebuildWithReplacements(model: tfl.LayersModel, replacements: Map<tfl.layers.Layer, tfl.layers.Layer>): tfl.LayersModel {
  if (model instanceof tfl.Sequential) {
    let x = model.inputs[0];
    for (const layer of model.layers) {
      if (layer.getClassName() === 'InputLayer') continue;
      x = (replacements.get(layer) ?? layer).apply(x) as tfl.SymbolicTensor;
    }
    return tfl.model({ inputs: model.inputs, outputs: x, name: model.name });
  }
  const graph = model as unknown as GraphModel;
  const produced = new Map<string, tfl.SymbolicTensor[]>();
  for (const layer of model.layers) {
    if (layer instanceof tfl.LayersModel && replacements.size > 0) {
      const nested = layer.layers.filter((l) => [...replacements.keys()].includes(l));
      if (nested.length > 0) throw new SshTargetError(`layer '${nested[0].name}' is inside nested model '${layer.name}'; adapt the nested model itself`);
    }
    const nodes = (layer as unknown as GraphLayer).inboundNodes;
    for (let nodeIndex = 0; nodeIndex < nodes.length; nodeIndex++) {
      if (!graph.containerNodes.has(nodeKey(layer, nodeIndex))) continue;
      const node = nodes[nodeIndex];
      if (node.inboundLayers.length === 0) {
        produced.set(nodeKey(layer, nodeIndex), node.outputTensors);
        continue;
      }
      const inputs = node.inboundLayers.map((inbound, i) => {
        const tensors = produced.get(nodeKey(inbound, node.nodeIndices[i]));
        if (tensors === undefined) throw new SshTargetError(`cannot rebuild model '${model.name}': input of layer '${layer.name}' from '${inbound.name}' is not computed yet`);
        return tensors[node.tensorIndices[i]];
      });
      const out = (replacements.get(layer) ?? layer).apply(inputs.length === 1 ? inputs[0] : inputs, node.callArgs ?? {});
      produced.set(nodeKey(layer, nodeIndex), Array.isArray(out) ? (out as tfl.SymbolicTensor[]) : [out as tfl.SymbolicTensor]);
    }
  }
  const outputs = graph.outputLayers.map((layer, i) => {
    const tensors = produced.get(nodeKey(layer, graph.outputLayersNodeIndices[i]));
    if (tensors === undefined) throw new SshTargetError(`cannot rebuild model '${model.name}': output layer '${layer.name}' was not reached`);
    return tensors[graph.outputLayersTensorIndices[i]];
  });
  return tfl.model({ inputs: model.inputs, outputs: outputs.length === 1 ? outputs[0] : outputs, name: model.name });
}

/**
 * Freezes every layer of `model` except those in `keep` (and any layer whose
 * adapter weights must train). Layer objects are shared with the source model, so the
 * flags apply there too.
 */
export function freezeAllExcept(model: tfl.LayersModel, keep: Set<tfl.layers.Layer>): void {
  for (const layer of model.layers) layer.trainable = keep.has(layer);
}
