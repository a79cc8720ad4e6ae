/**
 * Natural logarithm from IEEE-754 basic operations only (+, −, ×, ÷ and exact bit access),
 * which JavaScript evaluates identically on every engine and CPU — unlike `Math.log`, whose last
 * bit the ECMAScript standard leaves to the implementation. The seeded normal draws use it so
 * that `createRandom(seed).nextNormal()` is reproducible everywhere.
 *
 * Method: x = m·2^e with m ∈ [√½, √2); ln x = e·ln 2 + 2·atanh(r), r = (m−1)/(m+1), |r| ≤ 0.1716,
 * atanh by its odd series to r^25 (truncation < 1e-19 relative); ln 2 split in two parts as in fdlibm.
 * Accurate to a few ulp (tested against `Math.log`).
 */
const view = new DataView(new ArrayBuffer(8));
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const TWO_54 = 18014398509481984;

/** ln(x) for finite x > 0 (returns NaN for x ≤ 0 or NaN, +Infinity for +Infinity). */
export function deterministicLog(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let e = 0;
  if (x < 2.2250738585072014e-308) {
    // Subnormal: scale into the normal range first so the exponent field is meaningful.
    x *= TWO_54;
    e = -54;
  }
  view.setFloat64(0, x, true);
  const hi = view.getUint32(4, true);
  e += ((hi >>> 20) & 0x7ff) - 1023;
  // m ∈ [1, 2): exponent field set to 1023.
  view.setUint32(4, (hi & 0x000fffff) | 0x3ff00000, true);
  let m = view.getFloat64(0, true);
  if (m > Math.SQRT2) {
    m *= 0.5;
    e += 1;
  }
  const r = (m - 1) / (m + 1);
  const r2 = r * r;
  // Σ_{k=0}^{12} r^(2k) / (2k+1), Horner from the smallest term.
  let p = 1 / 25;
  p = p * r2 + 1 / 23;
  p = p * r2 + 1 / 21;
  p = p * r2 + 1 / 19;
  p = p * r2 + 1 / 17;
  p = p * r2 + 1 / 15;
  p = p * r2 + 1 / 13;
  p = p * r2 + 1 / 11;
  p = p * r2 + 1 / 9;
  p = p * r2 + 1 / 7;
  p = p * r2 + 1 / 5;
  p = p * r2 + 1 / 3;
  const atanhPart = 2 * r + 2 * r * r2 * p;
  return e * LN2_HI + (e * LN2_LO + atanhPart);
}
