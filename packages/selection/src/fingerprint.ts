import { SelectionInputError } from './errors';

/** Prefix and version of the fingerprint format. */
export const FINGERPRINT_PREFIX = 'ssh-fp1';

/** Elements converted to float32 per chunk for Float64Array input (a fixed scratch, no per-element allocation). */
const CHUNK = 16384;
const scratchF32 = new Float32Array(CHUNK);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/**
 * Two independent 32-bit lanes make a 64-bit hash. Each lane is a MurmurHash3-style block step
 * (multiply, rotate, multiply, xor into the state, rotate, multiply-add) over one 32-bit word;
 * the lanes use different constants and rotations so that they do not fail together.
 */
const A_SEED = 0x9747b28c;
const A_C1 = 0xcc9e2d51;
const A_C2 = 0x1b873593;
const B_SEED = 0x5bd1e995;
const B_C1 = 0x85ebca6b;
const B_C2 = 0xc2b2ae35;

/** Running state of the two lanes; `count` = words hashed. */
interface HashState {
  a: number;
  b: number;
}

/**
 * Hashes `length` words into `state`. With `stopAtNonFinite`, returns the index of the first word
 * whose float32 exponent is all ones (NaN or ±Infinity) without hashing further, else −1: the
 * finiteness check of float32 weights rides along the hash's read of the same words.
 */
function hashWords(words: Uint32Array, length: number, state: HashState, stopAtNonFinite: boolean): number {
  let a = state.a;
  let b = state.b;
  let bad = -1;
  for (let i = 0; i < length; i++) {
    const w = words[i]!;
    if (stopAtNonFinite && (w & 0x7f800000) === 0x7f800000) {
      bad = i;
      break;
    }
    let ka = Math.imul(w, A_C1);
    ka = (ka << 15) | (ka >>> 17);
    a ^= Math.imul(ka, A_C2);
    a = (a << 13) | (a >>> 19);
    // a·5 and b·9 as shift-and-add: the same 32-bit products, one multiplication less per lane.
    a = ((a << 2) + a + 0xe6546b64) | 0;
    let kb = Math.imul(w, B_C1);
    kb = (kb << 17) | (kb >>> 15);
    b ^= Math.imul(kb, B_C2);
    b = (b << 11) | (b >>> 21);
    b = ((b << 3) + b + 0x52dce729) | 0;
  }
  state.a = a;
  state.b = b;
  return bad;
}

/** MurmurHash3's 32-bit finaliser (a bijection that spreads every input bit over the output). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/**
 * A short, cheap identity of a weight matrix, to check later that an adapter or plan is applied to
 * the base weights it was made for.
 *
 * Format: `ssh-fp1:<rows>x<cols>:<16 hex digits>`. The hash runs over the IEEE-754 float32 bit
 * patterns of the row-major weights, read as unsigned 32-bit words (= the float32 little-endian
 * bytes as a little-endian word, on any platform), in order, through two MurmurHash3-style lanes
 * (lane A: seed 0x9747b28c, constants 0xcc9e2d51/0x1b873593, rotations 15/13, step ×5+0xe6546b64;
 * lane B: seed 0x5bd1e995, constants 0x85ebca6b/0xc2b2ae35, rotations 17/11, step ×9+0x52dce729),
 * each finalised with the element count (lane B also with `rows`) and MurmurHash3's fmix32;
 * the digits are lane A then lane B, 8 lowercase hex digits each.
 *
 * Consequences: a Float64Array and its Float32Array copy have the same fingerprint (float64 values
 * are rounded to float32 first); a transposed matrix differs (shape in the text, element order in
 * the hash, even when square); weights stored in fp16/bf16 and widened differ from the float32
 * originals unless they are exactly representable; `-0` and `+0` differ. Not cryptographic: it
 * catches mistakes, not forgery.
 *
 * @throws {SelectionInputError} if `rows`/`cols` are not positive integers or `rows·cols ≠ weights.length`.
 * @example
 * ```ts
 * import { fingerprintWeights } from '@ssh-peft/selection';
 * const w = new Float32Array([1, 2, 3, 4, 5, 6]);
 * fingerprintWeights(w, 2, 3); // 'ssh-fp1:2x3:…' — the same for Float64Array.from(w)
 * fingerprintWeights(w, 3, 2) !== fingerprintWeights(w, 2, 3); // true
 * ```
 */
export function fingerprintWeights(weights: Float32Array | Float64Array, rows: number, cols: number): string {
  if (!(weights instanceof Float32Array) && !(weights instanceof Float64Array)) {
    throw new SelectionInputError('weights', `fingerprintWeights: weights is ${Object.prototype.toString.call(weights).slice(8, -1)}, expected a Float32Array or Float64Array`);
  }
  if (!Number.isSafeInteger(rows) || rows < 1 || !Number.isSafeInteger(cols) || cols < 1) {
    throw new SelectionInputError('weights', `fingerprintWeights: rows (${String(rows)}) and cols (${String(cols)}) must be positive integers`);
  }
  if (rows * cols !== weights.length) {
    throw new SelectionInputError('weights', `fingerprintWeights: rows·cols (${rows}·${cols} = ${rows * cols}) ≠ weights.length (${weights.length})`);
  }
  return hashWeights(weights, rows, cols, null);
}

/**
 * {@link fingerprintWeights} of a layer whose shape is already checked, with the finiteness check
 * in the same pass over the weights: throws {@link SelectionInputError} naming the layer and the
 * first flat index whose weight is NaN or ±Infinity (as `checkFiniteWeights` would).
 */
export function fingerprintFiniteWeights(name: string, weights: Float32Array | Float64Array, rows: number, cols: number): string {
  return hashWeights(weights, rows, cols, name);
}

/** The fingerprint; when `finiteLayer` is a layer name, non-finite weights are an error of that layer. */
function hashWeights(weights: Float32Array | Float64Array, rows: number, cols: number, finiteLayer: string | null): string {
  const state: HashState = { a: A_SEED, b: B_SEED };
  const n = weights.length;
  const check = finiteLayer !== null;
  if (weights instanceof Float32Array) {
    const bad = hashWords(new Uint32Array(weights.buffer, weights.byteOffset, n), n, state, check);
    if (bad >= 0) throwNonFinite(finiteLayer!, weights, bad, cols);
  } else {
    for (let start = 0; start < n; start += CHUNK) {
      const len = Math.min(CHUNK, n - start);
      for (let i = 0; i < len; i++) {
        const x = weights[start + i]!;
        // x − x is 0 for every finite x and NaN for NaN and ±Infinity. The test is on the float64
        // value: a finite float64 beyond the float32 range is valid (it hashes as ±Infinity).
        if (check && x - x !== 0) throwNonFinite(finiteLayer!, weights, start + i, cols);
        scratchF32[i] = x;
      }
      hashWords(scratchU32, len, state, false);
    }
  }
  // The count is mixed as two 32-bit halves so that sizes ≥ 2^32 are not aliased.
  const countLo = n >>> 0;
  const countHi = Math.floor(n / 4294967296) >>> 0;
  const a = fmix32(state.a ^ countLo ^ Math.imul(countHi, 0x27d4eb2f));
  const b = fmix32(state.b ^ Math.imul(countLo, 0x9e3779b9) ^ rows);
  return `${FINGERPRINT_PREFIX}:${rows}x${Math.round(cols)}:${hex8(a)}${hex8(b)}`;
}

function throwNonFinite(name: string, weights: Float32Array | Float64Array, i: number, cols: number): never {
  const x = weights[i]!;
  throw new SelectionInputError(name, `layer '${name}': weights[${i}] (row ${Math.floor(i / cols)}, col ${i % cols}) is ${x}; weights must be finite`, i);
}
