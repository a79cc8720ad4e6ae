/**
 * @packageDocumentation
 * `@ssh-peft/onnx` — SSH adapters in ONNX Runtime: merge an adapter into an ONNX model's weights
 * (bytes or file, external data supported, atomic writes), serve many adapters from one
 * InferenceSession (hot-swap), and create sessions on CUDA when available. It knows ONNX and
 * adapters only: exporting tfjs models to ONNX is `@ssh-peft/tfjs-onnx`, which builds its graphs
 * with this package's {@link GraphBuilder} and codec.
 */
export * from './errors';
export { mergeAdapter, mergeAdapterFile, mergeIntoModel, MERGED_ADAPTERS_KEY, type MergeAdapterOptions, type MergeReport } from './merge';
export { locateAdapterWeights, type LayerMapping, type LayerShape, type LocateOptions, type LocatedWeight } from './locate';
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
export {
  decodeModel,
  encodeModel,
  onnx,
  DataType,
  type ModelProto,
  type GraphProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  type AttributeProto,
} from './proto';
export { GraphBuilder, type AttributeValue } from './graph-builder';
export { readTensorValues, type FloatDtype } from './tensor-values';
export {
  createSession,
  chooseExecutionProvider,
  isCudaAvailable,
  cudaAvailableFrom,
  CUDA_INSTALL_COMMAND,
  type CreateSessionOptions,
  type CreatedSession,
  type CudaProbeInputs,
} from './session';
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
