/**
 * The demo's base-model step (step 2 of run-demo.ts): loads the model from the cache, or
 * pretrains a tiny ViT on the source task (upright digits) and stores it. Either way the model handed on is rebuilt from the
 * stored bytes, so cached and fresh runs continue from bit-identical weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { buildTinyViT } from '@ssh-peft/tfjs';
import { createRandom } from '@ssh-peft/selection';
import type { DigitImages } from '../data/mnist';
import { MNIST_PIXELS } from '../data/mnist';
import type { ModelCache } from '../cache/model-cache';
import { modelToBytes, type ModelBytes } from '../cache/model-artifacts';
import { useBackend } from '../train/backends';
import { trainSteps } from '../train/train-loop';
import type { ProgressReporter } from '../progress';
import type { PretrainConfig } from './demo-config';

/** Cache kind of the demo's base models. */
export const BASE_MODEL_KIND = 'demo-base-vit';

/** Layers held fixed during pretraining: layer norms stay at γ = 1, β = 0 (see {@link pretrainBaseModel}). */
export const FROZEN_DURING_PRETRAINING = /_ln\d?$|^final_ln$/;

/** What the pretraining stage produces. */
export interface BaseModelResult {
  bytes: ModelBytes;
  cached: boolean;
  cacheKey: string;
  losses: number[];
  /** Seconds the pretraining took when it ran (also reported for cache hits: the original run's). */
  seconds: number;
}

interface CachedExtras {
  losses: number[];
  seconds: number;
}

/** Uses a seed stream separate from the split's, so changing the split sizes changes no initial weight. */
const PRETRAIN_STREAM = 0x9e3779b1;

/**
 * Pretrains the base model on `data` (source task) with the wasm backend.
 *
 * Layer norms are frozen at their identity initialisation: tfjs-layers broadcasts γ and β
 * with `tile`, whose gradient is a long chain of slices that costs about a third of every
 * step on the pure-JS backends; a tiny model does not need them to learn MNIST.
 */
export async function pretrainBaseModel(
  config: PretrainConfig,
  data: DigitImages,
  { progress, signal }: { progress: ProgressReporter; signal?: AbortSignal },
): Promise<{ bytes: ModelBytes; losses: number[]; seconds: number }> {
  await useBackend('wasm');
  const started = performance.now();
  const model = buildTinyViT({ ...config.model, seed: config.seed });
  for (const layer of model.layers) if (FROZEN_DURING_PRETRAINING.test(layer.name)) layer.trainable = false;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const inputs = tf.tensor2d(data.images, [data.count, MNIST_PIXELS]);
  const oneHotLabels = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(data.labels, 'int32'), 10), 'float32') as tf.Tensor2D);
  const task = progress.start('pretrain', config.steps);
  try {
    const losses = await trainSteps({
      model,
      inputs,
      oneHotLabels,
      variables,
      steps: config.steps,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      random: createRandom(config.seed ^ PRETRAIN_STREAM),
      stage: 'pretraining',
      signal,
      onStep: (_, loss) => task.tick({ loss }),
    });
    // Unfreeze before saving so that the stored model has ordinary trainable flags.
    for (const layer of model.layers) layer.trainable = true;
    const bytes = await modelToBytes(model);
    return { bytes, losses: Array.from(losses), seconds: (performance.now() - started) / 1000 };
  } finally {
    task.stop();
    inputs.dispose();
    oneHotLabels.dispose();
    model.dispose();
  }
}

function isCachedExtras(extras: unknown): extras is CachedExtras {
  const e = extras as Partial<CachedExtras> | null;
  return e !== null && typeof e === 'object' && Array.isArray(e.losses) && e.losses.every((l) => typeof l === 'number') && typeof e.seconds === 'number';
}

/**
 * The base model for `config`: from `cache` when present and verified (unless `useCache` is false), else
 * pretrained and stored.
 */
export async function obtainBaseModel(
  config: PretrainConfig,
  data: DigitImages,
  options: { cache: ModelCache; useCache: boolean; progress: ProgressReporter; signal?: AbortSignal },
): Promise<BaseModelResult> {
  const { cache, useCache, progress } = options;
  const cacheKey = cache.key(config);
  if (useCache) {
    const { hit, reason } = cache.lookup<CachedExtras>(BASE_MODEL_KIND, config);
    if (hit && isCachedExtras(hit.extras)) {
      progress.note(`base model: cache hit ${hit.path}`);
      return { bytes: hit.bytes, cached: true, cacheKey, losses: hit.extras.losses, seconds: hit.extras.seconds };
    }
    const why = hit ? 'its extras are not a loss curve and a duration' : reason;
    if (why !== 'no entry') progress.note(`base model: cache entry ${cache.entryPath(BASE_MODEL_KIND, config)} does not verify (${why}); pretraining again`);
  }
  const trained = await pretrainBaseModel(config, data, options);
  const path = await cache.save(BASE_MODEL_KIND, config, trained.bytes, { losses: trained.losses, seconds: trained.seconds } satisfies CachedExtras);
  progress.note(`base model: pretrained in ${trained.seconds.toFixed(1)} s, cached in ${path}`);
  return { ...trained, cached: false, cacheKey };
}
