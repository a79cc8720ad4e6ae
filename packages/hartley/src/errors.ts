/**
 * Error classes thrown on bad input. They extend the built-in `RangeError` / `TypeError`
 * so callers can catch either the specific or the standard class.
 */

/**
 * A size, length, index or option value is out of its allowed range
 * (e.g. length 0, `rows·cols ≠ data.length`, an index ≥ rows·cols, a duplicate position).
 *
 * @example
 * ```ts
 * import { dht2d, HartleyRangeError } from '@ssh-peft/hartley';
 * try { dht2d(new Float64Array(16), 3, 5); } catch (e) { if (e instanceof HartleyRangeError) console.log(e.message); }
 * // dht2d: rows·cols (3·5 = 15) ≠ data.length (16)
 * ```
 */
export class HartleyRangeError extends RangeError {
  override name = 'HartleyRangeError';
}

/**
 * An argument has the wrong type (e.g. a plain array or an `Int32Array` where a
 * `Float32Array`/`Float64Array` is required, or an unknown option string).
 *
 * @example
 * ```ts
 * import { dht, HartleyTypeError } from '@ssh-peft/hartley';
 * try { dht([1, 2, 3] as never); } catch (e) { console.log(e instanceof HartleyTypeError); } // true
 * ```
 */
export class HartleyTypeError extends TypeError {
  override name = 'HartleyTypeError';
}
