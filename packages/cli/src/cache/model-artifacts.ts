/**
 * A tfjs LayersModel as plain bytes + JSON and back. This is how a model crosses backends
 * (trained on wasm, adapted on cpu) and how the cache stores it: loading from the same bytes
 * gives bit-identical weights, so a cached run and a fresh run compute the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Topology, weight specs and the concatenated float32 weights of a model. */
export interface ModelBytes {
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weights: Uint8Array;
}

/** Serialises `model` (topology + weights) without touching the disk. */
export async function modelToBytes(model: tfl.LayersModel): Promise<ModelBytes> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.weightSpecs || artifacts.weightData === undefined) throw new Error('modelToBytes: tfjs produced no weights');
  return {
    modelTopology: artifacts.modelTopology,
    weightSpecs: artifacts.weightSpecs,
    weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)),
  };
}

/** Rebuilds a model on the current backend (custom layers must be registered, e.g. by importing @ssh-peft/tfjs). */
export async function modelFromBytes(bytes: ModelBytes): Promise<tfl.LayersModel> {
  const weightData = bytes.weights.buffer.slice(bytes.weights.byteOffset, bytes.weights.byteOffset + bytes.weights.byteLength) as ArrayBuffer;
  return tfl.loadLayersModel(
    tf.io.fromMemory({ modelTopology: bytes.modelTopology as tf.io.ModelArtifacts['modelTopology'], weightSpecs: bytes.weightSpecs, weightData }),
  );
}
