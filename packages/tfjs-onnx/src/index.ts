/**
 * @packageDocumentation
 * `@ssh-peft/tfjs-onnx` — export TensorFlow.js models built with `@ssh-peft/tfjs` to ONNX
 * (opset 17), with adapted layers written as their base kernel W0 (to merge or hot-swap adapters
 * later with `@ssh-peft/onnx`) or as W0 + ΔW.
 */
export * from './errors';
export { exportLayersModelToOnnx, type ExportOptions } from './export';
export { type LayerExportOptions } from './layer-handlers';
