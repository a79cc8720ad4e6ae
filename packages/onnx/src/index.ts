/**
 * @packageDocumentation
 * `@ssh-peft/onnx` — SSH adapters in ONNX Runtime: merge an adapter into an ONNX model's weights
 * (bytes or file, external data supported, atomic writes), serve many adapters from one
 * InferenceSession (hot-swap), create sessions on CUDA when available, and export the project's
 * tfjs models to ONNX (`@ssh-peft/onnx/export` is also re-exported here; tfjs is needed only when
 * the exporter is called).
 */
export * from './errors';
export { mergeAdapter, mergeAdapterFile, mergeIntoModel, MERGED_ADAPTERS_KEY, type MergeAdapterOptions, type MergeReport } from './merge';
export { locateAdapterWeights, type LayerMapping, type LocateOptions, type LocatedWeight } from './locate';
export {
  findAdaptableWeights,
  readAdaptableWeights,
  adaptableWeightValues,
  type AdaptableWeightInput,
  type GraphWeight,
  type WeightOrientation,
  type WeightUse,
} from './graph-weights';
export { loadOnnxModel, saveOnnxModel, type LoadedModel, type LoadModelOptions, type SaveModelOptions } from './model-io';
export { decodeModel, encodeModel, onnx, type ModelProto } from './proto';
export { readTensorValues, type FloatDtype } from './tensor-values';
export { createSession, chooseExecutionProvider, isCudaAvailable, CUDA_INSTALL_COMMAND, type CreateSessionOptions, type CreatedSession } from './session';
export {
  createHotSwapSession,
  prepareHotSwapModel,
  adapterFeeds,
  baseFeeds,
  WEIGHT_INPUT_SUFFIX,
  ACTIVE_INPUT_SUFFIX,
  type HotSwapSession,
  type HotSwapSessionOptions,
  type PrepareHotSwapOptions,
  type SwappableWeight,
} from './hot-swap';
export { exportLayersModelToOnnx, type ExportOptions } from './export/index';
