/**
 * Baselines for fair comparisons with SSH: LoRA and FourierFT behind the same
 * `apply…(model, options)` → handle interface. Exported from the package's main entry
 * under the `baselines` namespace.
 */
export { applyLoRA, applyFourierFT, randomPositions, type ApplyLoraOptions, type ApplyFourierFTOptions } from './apply-baselines';
export { LoraDense, type LoraDenseArgs } from './lora-dense';
export { FourierFTDense, type FourierFTDenseArgs } from './fourierft-dense';
