/**
 * Errors thrown by `@ssh-peft/selection`. All extend {@link SelectionError}, so one `catch`
 * with `instanceof SelectionError` covers the package; messages name the offending values.
 */

/** Base class of every error of this package. */
export class SelectionError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * An option of `selectSpectrum` or an argument (seed, bound) is invalid or inconsistent:
 * `option` names it (e.g. `'budget'`, `'energyRatio'`, `'minPerLayer'`).
 *
 * @example
 * ```ts
 * import { selectSpectrum, SelectionOptionError } from '@ssh-peft/selection';
 * await selectSpectrum(layers, { strategy: 'per-layer', perLayer: 0, energyRatio: 1, seed: 0 })
 *   .catch((e) => { if (e instanceof SelectionOptionError) console.log(e.option, e.message); });
 * ```
 */
export class SelectionOptionError extends SelectionError {
  constructor(
    /** The option or argument at fault. */
    readonly option: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A layer is invalid: wrong shape or length, duplicate name, NaN/±Infinity in its weights
 * (`index` = first bad flat index), too few positions for the requested count.
 *
 * @example
 * ```ts
 * import { selectSpectrum, SelectionInputError } from '@ssh-peft/selection';
 * const weights = new Float32Array(6); weights[4] = NaN;
 * await selectSpectrum([{ name: 'fc', rows: 2, cols: 3, weights }], { strategy: 'per-layer', perLayer: 2, energyRatio: 1, seed: 0 })
 *   .catch((e) => console.log(e instanceof SelectionInputError, e.layer, e.index)); // true 'fc' 4
 * ```
 */
export class SelectionInputError extends SelectionError {
  constructor(
    /** Name of the layer at fault (or `layers[i]` when it has no valid name). */
    readonly layer: string,
    message: string,
    /** First bad flat index, when the problem is a value. */
    readonly index?: number,
  ) {
    super(message);
  }
}

/**
 * `parsePlan` met text that is not a valid serialised plan; `path` names the field
 * (e.g. `layers[2].indices[7]`).
 *
 * @example
 * ```ts
 * import { parsePlan, PlanFormatError } from '@ssh-peft/selection';
 * try { parsePlan('{"format":"nope"}'); } catch (e) { if (e instanceof PlanFormatError) console.log(e.path); }
 * ```
 */
export class PlanFormatError extends SelectionError {
  constructor(
    /** JSON path of the bad field (`''` for the whole text). */
    readonly path: string,
    message: string,
  ) {
    super(path === '' ? message : `${path}: ${message}`);
  }
}
