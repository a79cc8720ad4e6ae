/**
 * Length factorisation and the digit-reversal permutation of the decimation-in-time
 * transform: a power-of-two part handled by the radix-2 FHT and odd prime radices
 * handled by the mixed-radix stages.
 */

/** n = 2^log2Pow2 · Π oddPrimes (ascending, with multiplicity). */
export interface Factorization {
  readonly log2Pow2: number;
  readonly oddPrimes: readonly number[];
}

export function factorize(n: number): Factorization {
  let m = 0;
  let rest = n;
  while (rest % 2 === 0) {
    rest /= 2;
    m++;
  }
  const oddPrimes: number[] = [];
  for (let p = 3; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      oddPrimes.push(p);
      rest /= p;
    }
  }
  if (rest > 1) oddPrimes.push(rest);
  return { log2Pow2: m, oddPrimes };
}

export function isPowerOfTwo(n: number): boolean {
  return n >= 1 && (n & (n - 1)) === 0;
}

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function bitReversal(log2n: number): Uint32Array {
  const n = 1 << log2n;
  const perm = new Uint32Array(n);
  for (let i = 1; i < n; i++) perm[i] = (perm[i >> 1]! >> 1) | ((i & 1) << (log2n - 1));
  return perm;
}

/**
 * perm[dest] = source index. The last odd radix R is the last stage: block r of the
 * n/R-long blocks holds the decimated subsequence x[j·R + r], recursively.
 */
export function digitReversal(f: Factorization): Uint32Array {
  let perm = bitReversal(f.log2Pow2);
  let len = 1 << f.log2Pow2;
  for (const radix of f.oddPrimes) {
    const next = new Uint32Array(len * radix);
    for (let r = 0; r < radix; r++) {
      const base = r * len;
      for (let p = 0; p < len; p++) next[base + p] = perm[p]! * radix + r;
    }
    perm = next;
    len *= radix;
  }
  return perm;
}
