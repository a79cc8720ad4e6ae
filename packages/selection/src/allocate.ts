/**
 * Splits `total` units over layers in proportion to `weights` (non-negative integers summing to
 * `sum` > 0) by the largest-remainder (Hamilton) method, exactly: quotas total·wᵢ/sum computed
 * with BigInt, floors first, then one more unit each to the largest remainders, ties to the
 * earlier layer. Every share is ≤ its weight when total ≤ sum.
 */
export function largestRemainder(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sum);
  const shares: number[] = [];
  const remainders: bigint[] = [];
  let given = 0;
  for (const w of weights) {
    const product = bigTotal * BigInt(w);
    const share = Number(product / bigSum);
    shares.push(share);
    remainders.push(product % bigSum);
    given += share;
  }
  const order = weights.map((_, i) => i).sort((a, b) => (remainders[a]! > remainders[b]! ? -1 : remainders[a]! < remainders[b]! ? 1 : a - b));
  for (let k = 0; k < total - given; k++) shares[order[k]!]!++;
  return shares;
}
