/** A labelled data set as flat typed arrays: row i is `x[i*width … (i+1)*width)`. */
export interface LabelledSet {
  readonly count: number;
  /** Features per example (784 pixels or `seqLen` token ids). */
  readonly width: number;
  readonly x: Float32Array;
  readonly labels: Uint8Array;
}

/** The rows at `indices`, in that order, as a new set. */
export function takeRows(set: LabelledSet, indices: ArrayLike<number>): LabelledSet {
  const x = new Float32Array(indices.length * set.width);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= set.count) throw new RangeError(`takeRows: index ${r} at position ${i} is outside [0, ${set.count})`);
    x.set(set.x.subarray(r * set.width, (r + 1) * set.width), i * set.width);
    labels[i] = set.labels[r];
  }
  return { count: indices.length, width: set.width, x, labels };
}
