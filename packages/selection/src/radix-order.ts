/**
 * Linear-time orderings of (position, energy) lists by least-significant-digit radix sort on
 * 16-bit digits: no comparator callbacks (the slow part of a JavaScript sort of millions of
 * entries), stable, so equal keys keep their input order.
 */

const RADIX = 65536;

/** One stable counting pass of a 16-bit digit: permutes `order` (slots) by digit(slot). */
function countingPass(order: Uint32Array, next: Uint32Array, digits: Uint16Array, counts: Uint32Array): void {
  counts.fill(0);
  const m = order.length;
  for (let i = 0; i < m; i++) counts[digits[order[i]!]!]!++;
  let sum = 0;
  for (let d = 0; d < RADIX; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < m; i++) {
    const slot = order[i]!;
    next[counts[digits[slot]!]!++] = slot;
  }
}

/**
 * Slots 0..m−1 ordered by the 16-bit digit arrays given least significant first (each `digits[p][slot]`).
 * Passes whose digit is the same for every entry are skipped.
 */
function radixOrder(m: number, digitArrays: Uint16Array[]): Uint32Array {
  let order = new Uint32Array(m);
  for (let i = 0; i < m; i++) order[i] = i;
  let next = new Uint32Array(m);
  const counts = new Uint32Array(RADIX);
  for (const digits of digitArrays) {
    if (m > 0) {
      const first = digits[0]!;
      let uniform = true;
      for (let i = 1; i < m && uniform; i++) uniform = digits[i] === first;
      if (uniform) continue;
    }
    countingPass(order, next, digits, counts);
    const t = order;
    order = next;
    next = t;
  }
  return order;
}

/** Orders entries by position ascending (positions are distinct uint32). */
export function orderByPosition(positions: Uint32Array): Uint32Array {
  const m = positions.length;
  const low = new Uint16Array(m);
  const high = new Uint16Array(m);
  for (let i = 0; i < m; i++) {
    const p = positions[i]!;
    low[i] = p & 0xffff;
    high[i] = p >>> 16;
  }
  return radixOrder(m, [low, high]);
}
