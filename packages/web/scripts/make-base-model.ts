/**
 * Pretrains the page's base model with the CLI demo's own code and recipe (tiny ViT, upright
 * digits, wasm backend, seeded) and writes it to public/base-model in tfjs's layers-model
 * format, with recipe.json recording the configuration. The result is committed; rerun this
 * after a change to the CLI's pretraining recipe (the web tests compare recipe.json with it).
 *
 *   npm run make-base-model -w @ssh-peft/web
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { bytesHash, modelFromBytes, pretrainBaseModel, silentProgress, useBackend, MNIST_PIXELS } from '@ssh-peft/cli';
import { BASE_MODEL_DIR, BASE_MODEL_JSON, BASE_MODEL_RECIPE, BASE_MODEL_WEIGHTS, type BaseModelRecipe } from './base-model-files';
import { DEMO_CONFIG, demoPretrainConfig, loadDemoSplit, recipeKey } from './demo-data';

function writeAtomic(path: string, data: string | Uint8Array): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

const split = loadDemoSplit();
const pretrain = demoPretrainConfig(split.all);
console.log(`pretraining the demo's base model (${pretrain.steps} steps, key ${recipeKey(pretrain)}) …`);
const trained = await pretrainBaseModel(pretrain, split.pretrain, { progress: silentProgress });
await useBackend('wasm');
const model = await modelFromBytes(trained.bytes);
const predicted = tf.tidy(() => tf.argMax(model.predict(tf.tensor2d(split.test.images, [split.test.count, MNIST_PIXELS])) as tf.Tensor, -1).dataSync());
let correct = 0;
for (let i = 0; i < split.test.count; i++) if (predicted[i] === split.test.labels[i]) correct++;

const recipe: BaseModelRecipe = {
  pretrain,
  key: recipeKey(pretrain),
  weightsSha256: bytesHash(trained.bytes.weights),
  totalParams: model.countParams(),
  sourceAccuracy: correct / split.test.count,
  command: 'npm run make-base-model -w @ssh-peft/web',
};
mkdirSync(BASE_MODEL_DIR, { recursive: true });
writeAtomic(BASE_MODEL_WEIGHTS, trained.bytes.weights);
writeAtomic(
  BASE_MODEL_JSON,
  JSON.stringify({
    format: 'layers-model',
    generatedBy: 'ssh-peft pretrainBaseModel',
    convertedBy: null,
    modelTopology: trained.bytes.modelTopology,
    weightsManifest: [{ paths: ['weights.bin'], weights: trained.bytes.weightSpecs }],
  }),
);
writeAtomic(BASE_MODEL_RECIPE, `${JSON.stringify(recipe, null, 2)}\n`);
console.log(`wrote ${BASE_MODEL_DIR}: ${recipe.totalParams} parameters, upright held-out accuracy ${(100 * recipe.sourceAccuracy).toFixed(1)} % (${DEMO_CONFIG.split.test} digits), ${trained.seconds.toFixed(1)} s`);
model.dispose();
