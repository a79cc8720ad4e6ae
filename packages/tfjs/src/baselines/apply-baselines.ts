/**
 * `applyLoRA` and `applyFourierFT`: the baselines behind the same handle interface as
 * `applySSH` (targets, trainable, summary/merge/unmerge/enable/disable), for fair
 * comparisons in benchmarks and experiments.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { createRandom, layerInitSeed, sample } from '@ssh-peft/selection';
import * as tf from '@tensorflow/tfjs-core';
import { SshBudgetError, SshOptionError } from '../errors';
import { AdapterHandle } from '../handle';
import type { LayerSelector } from '../surgery/targets';
import { readDenseTargets, wrapDenseLayers } from '../surgery/wrap';
import { FourierFTDense } from './fourierft-dense';
import { LoraDense } from './lora-dense';

/** Options of {@link applyLoRA}. */
export interface ApplyLoraOptions {
  targets: LayerSelector;
  /** Rank r (default 8). */
  rank?: number;
  /** α (default = rank, i.e. scale 1). */
  alpha?: number;
  /** Seed of A's initialisation (default 0). */
  seed?: number;
  /** Layers that stay trainable besides the adapters. */
  trainable?: LayerSelector;
}

/** Options of {@link applyFourierFT}. */
export interface ApplyFourierFTOptions {
  targets: LayerSelector;
  /** Spectral coefficients per layer (HF PEFT's n_frequency; default 1000). */
  n?: number;
  /** Scale α (HF PEFT's scaling; default 300). */
  alpha?: number;
  /** Seed of the random positions and of the `'normal'` init (default 0). */
  seed?: number;
  /** `'zeros'` (default, ΔW = 0 at start as for SSH and LoRA) or `'normal'` (HF PEFT's default, randn). */
  init?: 'zeros' | 'normal';
  trainable?: LayerSelector;
}

function intOption(value: unknown, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new SshOptionError(`${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * Wraps the target Dense layers with LoRA (ΔW = α/r·A·B, B = 0 at start).
 * @example
 * ```ts
 * const lora = applyLoRA(model, { targets: /_(q|v)$/, rank: 8 });
 * lora.model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
 * ```
 */
export function applyLoRA(model: tfl.LayersModel, options: ApplyLoraOptions): AdapterHandle<LoraDense> {
  const rank = intOption(options.rank, 8, 'applyLoRA: rank');
  const alpha = options.alpha ?? rank;
  if (!Number.isFinite(alpha)) throw new SshOptionError(`applyLoRA: alpha must be finite, got ${String(alpha)}`);
  const seed = options.seed ?? 0;
  const targets = readDenseTargets(model, options.targets);
  const { model: adapted, layers } = wrapDenseLayers(model, targets, (t) => new LoraDense({ ...t.args, rank, alpha, seed }), options.trainable);
  return new AdapterHandle(adapted, layers);
}

/**
 * `count` distinct positions in [0, size), ascending: a seeded `sample` of `@ssh-peft/selection`
 * (unbiased, O(count) however large `size` is).
 *
 * @example
 * ```ts
 * const positions = baselines.randomPositions(768 * 768, 1000, 3);   // Uint32Array, sorted
 * ```
 */
export function randomPositions(size: number, count: number, seed: number): Uint32Array {
  if (count > size) throw new SshBudgetError(`cannot draw ${count} distinct positions from ${size}`);
  return sample(size, count, createRandom(seed)).sort();
}

/**
 * Wraps the target Dense layers with FourierFT (n random DFT positions per layer, seeded).
 * @example
 * ```ts
 * const fft = applyFourierFT(model, { targets: /_(q|v)$/, n: 1000, alpha: 300 });
 * ```
 */
export function applyFourierFT(model: tfl.LayersModel, options: ApplyFourierFTOptions): AdapterHandle<FourierFTDense> {
  const n = intOption(options.n, 1000, 'applyFourierFT: n');
  const alpha = options.alpha ?? 300;
  if (!Number.isFinite(alpha)) throw new SshOptionError(`applyFourierFT: alpha must be finite, got ${String(alpha)}`);
  const seed = options.seed ?? 0;
  const init = options.init ?? 'zeros';
  if (init !== 'zeros' && init !== 'normal') throw new SshOptionError(`applyFourierFT: init must be 'zeros' or 'normal', got ${String(init)}`);
  const targets = readDenseTargets(model, options.targets);
  for (const t of targets) {
    const size = t.args.inputDim * t.args.units;
    if (n > size) throw new SshBudgetError(`applyFourierFT: n ${n} exceeds the ${size} positions of layer '${t.layer.name}' [${t.args.inputDim}, ${t.args.units}]`);
  }
  const { model: adapted, layers } = wrapDenseLayers(
    model,
    targets,
    (t) => {
      const layer = new FourierFTDense({ ...t.args, alpha, indices: randomPositions(t.args.inputDim * t.args.units, n, layerInitSeed(seed, t.layer.name)) });
      return layer;
    },
    options.trainable,
  );
  if (init === 'normal') {
    for (const layer of layers.values()) {
      const random = createRandom(layerInitSeed(seed + 1, layer.name));
      const values = Float32Array.from({ length: n }, () => random.nextNormal());
      tf.tidy(() => {
        layer.coefficients.write(tf.tensor1d(values));
      });
    }
  }
  return new AdapterHandle(adapted, layers);
}
