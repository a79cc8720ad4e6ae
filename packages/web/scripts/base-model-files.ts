/** Where the committed base model lives and what its recipe file holds. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PretrainConfig } from '@ssh-peft/cli';

export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** tfjs layers-model format: model.json (topology + weights manifest) and weights.bin. */
export const BASE_MODEL_DIR = resolve(WEB_DIR, 'public/base-model');
export const BASE_MODEL_JSON = resolve(BASE_MODEL_DIR, 'model.json');
export const BASE_MODEL_WEIGHTS = resolve(BASE_MODEL_DIR, 'weights.bin');
/** The configuration that produced the weights, its key, and the SHA-256 of weights.bin. */
export const BASE_MODEL_RECIPE = resolve(BASE_MODEL_DIR, 'recipe.json');
/** Generated at build time from the `mnist` package (git-ignored). */
export const DATA_DIR = resolve(WEB_DIR, 'public/data');

export interface BaseModelRecipe {
  pretrain: PretrainConfig;
  key: string;
  weightsSha256: string;
  totalParams: number;
  /** Held-out accuracy on upright digits (the source task) right after pretraining. */
  sourceAccuracy: number;
  command: string;
}
