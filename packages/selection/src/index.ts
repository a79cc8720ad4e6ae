/**
 * @packageDocumentation
 * `@ssh-peft/selection` — which spectral positions SSH trains: spectral-energy scoring of every
 * layer's 2D Hartley spectrum, per-layer or global (cross-layer) ranking with a seeded random share,
 * streamed layer by layer; the weight fingerprint that ties a plan or adapter to its base model;
 * and the project's deterministic PRNG.
 */
export type {
  GlobalScore,
  LayerInput,
  LayerSource,
  PlannedLayer,
  ResolvedSelectionOptions,
  SelectionOptions,
  SelectionPlan,
  SelectionStrategy,
} from './types';
export { SELECTION_PLAN_VERSION } from './types';
export { PlanFormatError, SelectionError, SelectionInputError, SelectionOptionError } from './errors';
export { fingerprintWeights, FINGERPRINT_PREFIX } from './fingerprint';
export { createRandom, type SeededRandom } from './random';
export { layerStreamSeed, layerInitSeed } from './layer-seeds';
export { permutation, sample } from './permutation';
export { selectSpectrum } from './select';
export { parsePlan, serializePlan, PLAN_FORMAT } from './plan-json';
export { DEFAULT_GLOBAL_SCORE, resolveOptions as resolveSelectionOptions } from './options';
export { SELECTION_OPTION_KEYS } from './option-keys';
