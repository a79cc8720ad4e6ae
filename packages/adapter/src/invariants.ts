/**
 * The value checks shared by in-memory validation ({@link validateAdapter}) and file decoding:
 * each returns the first problem found (with its element index) or `null`, so that the caller
 * wraps it in its own error type with its own location (a path, or a tensor + byte offset).
 */

/** A problem at element `index` of an array. */
export interface ElementProblem {
  readonly index: number;
  readonly problem: string;
}

/** The largest rows·cols whose flat positions fit a Uint32Array. */
export const MAX_POSITIONS = 2 ** 32;

/**
 * Positions must be integers in [0, rows·cols) and distinct; reports the first element that breaks
 * either rule. O(n) without hashing while the positions ascend (the usual case: plans are sorted).
 */
export function findIndexProblem(indices: ArrayLike<number>, rows: number, cols: number): ElementProblem | null {
  const size = rows * cols;
  const n = indices.length;
  for (let k = 0; k < n; k++) {
    const p = indices[k]!;
    if (!(p >= 0 && p < size) || !Number.isInteger(p)) return outOfRange(k, p, rows, cols);
    // A strictly ascending prefix has no repeats; the first step down or sideways needs the general check.
    if (k > 0 && p <= indices[k - 1]!) return findIndexProblemUnordered(indices, rows, cols);
  }
  return null;
}

function findIndexProblemUnordered(indices: ArrayLike<number>, rows: number, cols: number): ElementProblem | null {
  const size = rows * cols;
  const firstSeen = new Map<number, number>();
  for (let k = 0; k < indices.length; k++) {
    const p = indices[k]!;
    if (!(p >= 0 && p < size) || !Number.isInteger(p)) return outOfRange(k, p, rows, cols);
    const first = firstSeen.get(p);
    if (first !== undefined) return { index: k, problem: `${p} is duplicated (first at element ${first})` };
    firstSeen.set(p, k);
  }
  return null;
}

function outOfRange(k: number, p: number, rows: number, cols: number): ElementProblem {
  return { index: k, problem: `${p} is not a position in [0, rows·cols = ${rows}·${cols} = ${rows * cols})` };
}

/** Coefficients must be finite (a NaN would silently poison every entry of ΔW). */
export function findCoefficientProblem(coefficients: ArrayLike<number>): ElementProblem | null {
  for (let k = 0; k < coefficients.length; k++) {
    const c = coefficients[k]!;
    if (!Number.isFinite(c)) return { index: k, problem: `${c} is not finite` };
  }
  return null;
}

/** rows and cols must be positive integers with rows·cols ≤ 2³² (so positions fit in 32 bits). */
export function findShapeProblem(rows: unknown, cols: unknown): string | null {
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) return `rows = ${String(rows)} is not a positive integer`;
  if (typeof cols !== 'number' || !Number.isSafeInteger(cols) || cols < 1) return `cols = ${String(cols)} is not a positive integer`;
  if (rows * cols > MAX_POSITIONS) return `rows·cols = ${rows}·${cols} = ${rows * cols} exceeds 2^32 positions`;
  return null;
}

/** A layer name must be a non-empty string that is not the safetensors metadata key. */
export function findNameProblem(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0) return `name ${JSON.stringify(name) ?? String(name)} is not a non-empty string`;
  if (name === '__metadata__') return 'name "__metadata__" is reserved by safetensors';
  return null;
}
