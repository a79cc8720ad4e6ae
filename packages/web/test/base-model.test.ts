/**
 * The committed base model is the CLI demo's: recipe.json holds the CLI's current
 * pretraining configuration for these digits (else rerun `npm run make-base-model -w
 * @ssh-peft/web`), weights.bin is the file recipe.json describes, and the model loads and
 * classifies upright held-out digits as the recipe says. The page's adaptation settings are
 * the CLI demo's.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { bytesHash, MNIST_PIXELS } from '@ssh-peft/cli';
import { DEMO_SETTINGS } from '../src/demo/settings';
import { BASE_MODEL_RECIPE, BASE_MODEL_WEIGHTS, type BaseModelRecipe } from '../scripts/base-model-files';
import { DEMO_CONFIG, DEMO_SEED, demoPretrainConfig, loadDemoSplit, recipeKey } from '../scripts/demo-data';
import { loadBaseModel } from './support/base-model';

const recipe = JSON.parse(readFileSync(BASE_MODEL_RECIPE, 'utf8')) as BaseModelRecipe;

describe('the committed base model', () => {
  it("was made with the CLI's current pretraining recipe on these digits", () => {
    const current = demoPretrainConfig(loadDemoSplit().all);
    expect(recipe.pretrain, 'the CLI recipe changed: run `npm run make-base-model -w @ssh-peft/web` and commit public/base-model').toEqual(current);
    expect(recipe.key).toBe(recipeKey(current));
  });

  it('is the file the recipe describes, and classifies upright held-out digits as recorded', async () => {
    expect(bytesHash(readFileSync(BASE_MODEL_WEIGHTS))).toBe(recipe.weightsSha256);
    const model = await loadBaseModel();
    expect(model.countParams()).toBe(recipe.totalParams);
    const { test } = loadDemoSplit();
    const classes = tf.tidy(() => tf.argMax(model.predict(tf.tensor2d(test.images, [test.count, MNIST_PIXELS])) as tf.Tensor, -1).dataSync());
    let correct = 0;
    for (let i = 0; i < test.count; i++) if (classes[i] === test.labels[i]) correct++;
    expect(correct / test.count).toBeCloseTo(recipe.sourceAccuracy, 2);
    expect(recipe.sourceAccuracy).toBeGreaterThan(0.8);
    model.dispose();
  });

  it("the page adapts with the CLI demo's settings", () => {
    const a = DEMO_CONFIG.adapt;
    expect(DEMO_SETTINGS).toEqual({
      seed: DEMO_SEED,
      targets: a.targets,
      budget: a.budget,
      energyRatio: a.energyRatio,
      alpha: a.alpha,
      batchSize: a.batchSize,
      learningRate: a.learningRate,
      steps: a.steps,
    });
  });
});
