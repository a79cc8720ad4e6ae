/**
 * Wraps a model's target Dense layers with adapted layers: resolve the targets, build
 * each replacement from the Dense's weights, rebuild the graph, freeze the rest.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { AdaptedDense, readDense, type AdaptedDenseArgs } from '../layers/adapted-dense';
import { freezeAllExcept, rebuildWithReplacements } from './rebuild';
import { useLazyLinearDenseGradients } from './lazy-linear-dense';
import { resolveDenseTargets, selectLayers, type LayerSelector } from './targets';

/** A Dense layer about to be wrapped: its config-derived args and its weights' values. */
export interface DenseTarget {
  layer: tfl.layers.Layer;
  /** Index among the targets, in model order. */
  index: number;
  args: AdaptedDenseArgs;
  /** Row-major W0 `[inputDim, units]` values (a copy). */
  kernelValues: Float32Array;
}

/** Result of {@link wrapDenseLayers}. */
export interface WrappedModel<L extends AdaptedDense> {
  model: tfl.LayersModel;
  layers: Map<string, L>;
}

/** The Dense layers `targets` selects, with their weights read out (for selection/initialisation). */
export function readDenseTargets(model: tfl.LayersModel, targets: unknown): DenseTarget[] {
  return resolveDenseTargets(model, targets).map((layer, index) => {
    const { kernel, args } = readDense(layer);
    return { layer, index, args, kernelValues: Float32Array.from(kernel.dataSync()) };
  });
}

/**
 * Replaces each target with `make(target)` (W0 and bias copied in), rebuilds the graph,
 * freezes every layer except the new ones and those `trainable` selects, and stops the
 * linear Dense layers left from computing weight gradients nobody asks for
 * (./lazy-linear-dense.ts).
 */
export function wrapDenseLayers<L extends AdaptedDense>(
  model: tfl.LayersModel,
  targets: DenseTarget[],
  make: (target: DenseTarget) => L,
  trainable: LayerSelector | undefined,
): WrappedModel<L> {
  const keep = new Set<tfl.layers.Layer>(trainable === undefined ? [] : selectLayers(model, trainable, 'trainable'));
  const replacements = new Map<tfl.layers.Layer, tfl.layers.Layer>();
  const layers = new Map<string, L>();
  for (const target of targets) {
    const wrapped = make(target);
    replacements.set(target.layer, wrapped);
    layers.set(wrapped.name, wrapped);
    keep.add(wrapped);
  }
  // Layers build inside apply() (tfjs prefixes weight names with the layer name only there),
  // so W0 is copied in after the rebuild.
  const rebuilt = rebuildWithReplacements(model, replacements);
  for (const target of targets) {
    const { kernel, bias } = readDense(target.layer);
    (replacements.get(target.layer) as L).copyBaseFrom(kernel, bias);
  }
  freezeAllExcept(rebuilt, keep);
  useLazyLinearDenseGradients(rebuilt);
  return { model: rebuilt, layers };
}
