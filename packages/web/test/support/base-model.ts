/** The committed base model and the built digit files, read in Node as the page reads them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshPositionEmbedding, SshSelfAttention } from '@ssh-peft/tfjs';
import { decodeDigitPack, type DigitSet } from '../../src/data/digit-pack';
import { BASE_MODEL_JSON, BASE_MODEL_WEIGHTS, WEB_DIR } from '../../scripts/base-model-files';

/** Loads public/base-model on the cpu backend. */
export async function loadBaseModel(): Promise<tfl.LayersModel> {
  await tf.setBackend('cpu');
  tf.serialization.registerClass(SshSelfAttention);
  tf.serialization.registerClass(SshPositionEmbedding);
  const json = JSON.parse(readFileSync(BASE_MODEL_JSON, 'utf8')) as { modelTopology: object; weightsManifest: Array<{ weights: tf.io.WeightsManifestEntry[] }> };
  const bytes = readFileSync(BASE_MODEL_WEIGHTS);
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
}

/** A digit file of the built page (dist/data/<name>.bin). */
export function builtDigits(name: 'adapt' | 'test'): DigitSet {
  const file = resolve(WEB_DIR, 'dist/data', `${name}.bin`);
  return decodeDigitPack(new Uint8Array(readFileSync(file)), file);
}
