import type { SelectionOptions } from './types';

/**
 * Every key of {@link SelectionOptions}, at run time: a package that takes the selection's
 * options inside its own (e.g. `applySSH` of `@ssh-peft/tfjs`) refuses a key that is neither
 * its own nor in this list, so an option added here reaches it with no edit there.
 *
 * @example
 * ```ts
 * import { SELECTION_OPTION_KEYS } from '@ssh-peft/selection';
 * const unknown = Object.keys(options).filter((k) => !(SELECTION_OPTION_KEYS as readonly string[]).includes(k));
 * ```
 */
export const SELECTION_OPTION_KEYS = [
  'strategy',
  'perLayer',
  'budget',
  'energyRatio',
  'seed',
  'score',
  'minPerLayer',
  'maxPerLayer',
  'energyThreshold',
  'variant',
  'normalization',
  'onProgress',
  'workers',
] as const satisfies ReadonlyArray<keyof SelectionOptions>;

// A key added to SelectionOptions but not to the list above fails to compile here.
type MissingKeys = Exclude<keyof SelectionOptions, (typeof SELECTION_OPTION_KEYS)[number]>;
const listsEveryKey: [MissingKeys] extends [never] ? true : MissingKeys = true;
void listsEveryKey;
