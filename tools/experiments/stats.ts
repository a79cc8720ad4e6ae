/** Summary statistics over seeds. */

/** Mean and sample standard deviation (n − 1; 0 for a single value). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) throw new RangeError('meanStd: no values');
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  if (values.length === 1) return { mean, std: 0 };
  const ss = values.reduce((a, v) => a + (v - mean) * (v - mean), 0);
  return { mean, std: Math.sqrt(ss / (values.length - 1)) };
}

/** Index of the largest score; ties go to the earliest index. */
export function argmaxFirst(scores: readonly number[]): number {
  if (scores.length === 0) throw new RangeError('argmaxFirst: no scores');
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}
