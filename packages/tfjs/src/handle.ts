/**
 * The handle shared by SSH and the baselines: the adapted model plus merge / unmerge /
 * enable / disable over all wrapped layers and a parameter summary.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { AdaptedDense } from './layers/adapted-dense';

/** Parameter counts of an adapted model. */
export interface ParameterSummary {
  /** Parameters the optimizer updates (adapter parameters + layers listed in `trainable`). */
  trainable: number;
  /** Frozen parameters (base weights). */
  nonTrainable: number;
  /** trainable + nonTrainable. */
  total: number;
  /** trainable / total. */
  trainableRatio: number;
  /** Adapter parameters alone (SSH coefficients, LoRA A and B, FourierFT coefficients). */
  adapterParameters: number;
  /** Per wrapped layer: shape of W0 and its adapter parameter count. */
  layers: Array<{ name: string; rows: number; cols: number; parameters: number }>;
}

const count = (weights: tfl.LayerVariable[]) => weights.reduce((acc, w) => acc + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);

/** Handle over a model whose target Dense layers were wrapped by an adapter method. */
export class AdapterHandle<L extends AdaptedDense> {
  /** The adapted model: compile, fit, predict, evaluate and save it as usual. */
  readonly model: tfl.LayersModel;
  /** Wrapped layers by name, in model order. */
  readonly layers: ReadonlyMap<string, L>;

  constructor(model: tfl.LayersModel, layers: ReadonlyMap<string, L>) {
    this.model = model;
    this.layers = layers;
  }

  /**
   * Trainable vs total parameter counts.
   * @example
   * ```ts
   * const { trainable, total } = handle.summary();
   * ```
   */
  summary(): ParameterSummary {
    const trainable = count(this.model.trainableWeights);
    const nonTrainable = count(this.model.nonTrainableWeights);
    const layers = [...this.layers.values()].map((l) => ({ name: l.name, rows: l.inputDim, cols: l.units, parameters: l.adapterParameterCount }));
    return {
      trainable,
      nonTrainable,
      total: trainable + nonTrainable,
      trainableRatio: trainable / Math.max(1, trainable + nonTrainable),
      adapterParameters: layers.reduce((a, l) => a + l.parameters, 0),
      layers,
    };
  }

  /** Whether every wrapped layer holds W0 + ΔW in its kernel. */
  get merged(): boolean {
    return [...this.layers.values()].every((l) => l.merged);
  }

  /** Folds ΔW into every wrapped layer's kernel (inference at the frozen model's cost). */
  merge(): void {
    for (const l of this.layers.values()) if (!l.merged && l.enabled) l.merge();
  }

  /** Restores W0 in every merged layer. */
  unmerge(): void {
    for (const l of this.layers.values()) if (l.merged) l.unmerge();
  }

  /** Turns the adapter off (unmerging first if needed): the model computes the base model. */
  disable(): void {
    this.unmerge();
    for (const l of this.layers.values()) l.enabled = false;
  }

  /** Turns the adapter back on. */
  enable(): void {
    for (const l of this.layers.values()) l.enabled = true;
  }
}
