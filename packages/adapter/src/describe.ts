import { AdapterValidationError } from './errors';
import type { SshAdapter } from './types';

/** Parameter counts of one adapted layer. */
export interface LayerParameterCount {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  /** Trainable coefficients n. */
  readonly trainable: number;
  /** rows·cols: the parameters of the dense weight the layer adapts. */
  readonly denseParameters: number;
  /** trainable / denseParameters. */
  readonly fraction: number;
  /** The LoRA rank with the same parameter count, n / (rows + cols) (for comparisons). */
  readonly loraEquivalentRank: number;
  readonly alpha: number;
}

/** What {@link describeAdapter} returns. */
export interface AdapterDescription {
  readonly layers: readonly LayerParameterCount[];
  /** Σ n over layers. */
  readonly trainableParameters: number;
  /** Σ rows·cols over the adapted layers. */
  readonly adaptedParameters: number;
  /** As PEFT's print_trainable_parameters counts it: base parameters + trainable ones. */
  readonly allParameters: number;
  /** 100 · trainable / all. */
  readonly trainablePercent: number;
  /** `trainable params: 1,536 || all params: 2,360,832 || trainable%: 0.0651`. */
  readonly text: string;
}

/** Options of {@link describeAdapter}. */
export interface DescribeOptions {
  /**
   * Parameter count of the whole base model, when known; otherwise only the adapted layers'
   * weights are counted as the base (the adapter file does not know the rest of the model).
   */
  baseParameters?: number;
}

/**
 * Parameter counts per layer and in total — the numbers PEFT's `print_trainable_parameters`
 * prints (`trainable params … || all params … || trainable%`), with all params = base + trainable.
 *
 * @example
 * ```ts
 * import { describeAdapter } from '@ssh-peft/adapter';
 * console.log(describeAdapter(adapter, { baseParameters: 124_439_808 }).text);
 * // trainable params: 12,000 || all params: 124,451,808 || trainable%: 0.0096
 * ```
 */
export function describeAdapter(adapter: SshAdapter, options: DescribeOptions = {}): AdapterDescription {
  const baseOption = options.baseParameters;
  if (baseOption !== undefined && !(Number.isSafeInteger(baseOption) && baseOption >= 0)) {
    throw new AdapterValidationError('options.baseParameters', `${String(baseOption)} is not a non-negative integer`);
  }
  const layers = adapter.layers.map((l) => {
    const denseParameters = l.rows * l.cols;
    const trainable = l.indices.length;
    return {
      name: l.name,
      rows: l.rows,
      cols: l.cols,
      trainable,
      denseParameters,
      fraction: trainable / denseParameters,
      loraEquivalentRank: trainable / (l.rows + l.cols),
      alpha: l.alpha,
    };
  });
  const trainableParameters = layers.reduce((s, l) => s + l.trainable, 0);
  const adaptedParameters = layers.reduce((s, l) => s + l.denseParameters, 0);
  const base = options.baseParameters ?? adaptedParameters;
  const allParameters = base + trainableParameters;
  const trainablePercent = allParameters > 0 ? (100 * trainableParameters) / allParameters : 0;
  const fmt = (x: number) => x.toLocaleString('en-US');
  const text = `trainable params: ${fmt(trainableParameters)} || all params: ${fmt(allParameters)} || trainable%: ${trainablePercent.toFixed(4)}`;
  return { layers, trainableParameters, adaptedParameters, allParameters, trainablePercent, text };
}
