/**
 * The reference code's number of energy-chosen positions: `min(j, cap)` where `j` is the smallest
 * count of top-energy positions whose cumulative energy reaches `threshold · totalEnergy`
 * (`energies` sorted descending, at least `cap` long). If the threshold is not reached within
 * `cap` positions the result is `cap`. Cumulative sums run in rank order.
 */
export function referenceEnergyCount(energies: Float64Array, totalEnergy: number, threshold: number, cap: number): number {
  const target = threshold * totalEnergy;
  let cumulative = 0;
  for (let j = 0; j < cap; j++) {
    cumulative += energies[j]!;
    if (cumulative >= target) return j + 1;
  }
  return cap;
}
