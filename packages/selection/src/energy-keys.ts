/**
 * Rank keys of spectral energies: integers that order exactly as the energies H² do, so that the
 * k-th largest energy can be found by counting (histograms of key digits) instead of comparing.
 *
 * - Float32 spectrum: the key is the bit pattern of |H| as float32 (31 bits). H² is computed in
 *   float64, where the square of a float32 is exact, so H² is strictly increasing in |H| and the
 *   key order is the energy order, ties included.
 * - Float64 spectrum: H² is rounded, so two different |H| can have the same energy; the key is the
 *   64-bit pattern of H² itself (high word: 31 bits, the sign is 0; low word: 32 bits). A
 *   non-negative double's bit pattern orders as an unsigned integer.
 *
 * Digits, most significant first: high word bits 30…15 (16 bits), high word bits 14…0 (15 bits),
 * then for float64 the low word bits 31…16 and 15…0.
 */

/** Bins of the first (most significant) digit. */
export const FIRST_DIGIT_BINS = 65536;

const pun64 = new Float64Array(1);
const punWords = new Uint32Array(pun64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Index of the high / low 32-bit word of a float64 in {@link punWords}. */
export const HI = LITTLE_ENDIAN ? 1 : 0;
export const LO = 1 - HI;

/** The float64 energy `e` (≥ 0) as its two key words, written to `words[HI]`, `words[LO]`. */
export function energyWords(e: number): Uint32Array {
  pun64[0] = e;
  return punWords;
}

/** The float32 spectrum's bit patterns (a view, no copy). */
export function float32Bits(spectrum: Float32Array): Uint32Array {
  return new Uint32Array(spectrum.buffer, spectrum.byteOffset, spectrum.length);
}

/**
 * Σ H² over the spectrum in flat index order (exactly the sum a plain loop gives) and, in the
 * same pass, the counts of the first key digit of every energy added into `histogram`
 * ({@link FIRST_DIGIT_BINS} bins). One read of the spectrum serves the layer's total energy and
 * the top-k selection.
 */
export function scanEnergies(spectrum: Float32Array | Float64Array, histogram: Uint32Array): number {
  const n = spectrum.length;
  let sum = 0;
  if (spectrum instanceof Float32Array) {
    const bits = float32Bits(spectrum);
    for (let i = 0; i < n; i++) {
      const h = spectrum[i]!;
      sum += h * h;
      histogram[(bits[i]! & 0x7fffffff) >>> 15]!++;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const h = spectrum[i]!;
      const e = h * h;
      sum += e;
      pun64[0] = e;
      histogram[punWords[HI]! >>> 15]!++;
    }
  }
  return sum;
}

/**
 * An upper bound on how many energies of the spectrum are ≥ `lowest`, from its first-digit
 * histogram alone (no pass over the spectrum): the entries in the bins at or above the bin of the
 * smallest key an energy ≥ `lowest` can have.
 */
export function countEnergiesAtLeast(spectrum: Float32Array | Float64Array, firstDigits: Uint32Array, lowest: number): number {
  if (!(lowest > 0)) return spectrum.length;
  let digit: number;
  if (spectrum instanceof Float32Array) {
    // A float32 |H| with H² ≥ lowest is ≥ √lowest; a float32 a little below √lowest bounds the keys.
    pun32[0] = Math.fround(Math.sqrt(lowest) * (1 - 2 ** -20));
    digit = (pun32Bits[0]! & 0x7fffffff) >>> 15;
  } else {
    pun64[0] = lowest;
    digit = punWords[HI]! >>> 15;
  }
  let count = 0;
  for (let d = digit; d < FIRST_DIGIT_BINS; d++) count += firstDigits[d]!;
  return count;
}

const pun32 = new Float32Array(1);
const pun32Bits = new Uint32Array(pun32.buffer);
