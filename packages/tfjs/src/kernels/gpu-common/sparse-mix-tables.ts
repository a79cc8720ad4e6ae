/**
 * Index tables of the GPU sparse-mix kernels, built once per position set (pure typed
 * arrays; each backend uploads them in its own format).
 *
 * The kernels are gather-only: every output element is written by exactly one thread,
 * which reads the terms that land on it. So the terms are grouped (CSR-like) by the
 * column they write — by output column for the forward mix, by input column for its
 * transpose (∂L/∂x, the same tables built with gather and scatter swapped) — and by
 * coefficient for ∂L/∂c, where one thread per coefficient reduces over the tokens.
 */
import { SshShapeError } from '../../errors';
import type { SparseMixAttrs } from '../../kernel-names';

/** Terms grouped by the output column they add into. */
export interface MixByOutputTables {
  /** `[outSize + 1]`: terms of output column v are `offsets[v] ≤ i < offsets[v+1]`. */
  readonly offsets: Int32Array;
  /** `[m]`: input column each grouped term reads. */
  readonly source: Int32Array;
  /** `[m]`: coefficient each grouped term uses. */
  readonly coef: Int32Array;
  /** `[m]`: weight of each grouped term. */
  readonly weight: Float32Array;
}

/** Terms grouped by coefficient (for ∂L/∂c). */
export interface MixByCoefficientTables {
  /** `[n + 1]`: terms of coefficient k are `offsets[k] ≤ i < offsets[k+1]`. */
  readonly offsets: Int32Array;
  /** `[m]`: input column of x each grouped term reads. */
  readonly gather: Int32Array;
  /** `[m]`: column of dy each grouped term reads. */
  readonly scatter: Int32Array;
  /** `[m]`: weight of each grouped term. */
  readonly weight: Float32Array;
}

function checkIndex(values: Int32Array, limit: number, what: string, kernel: string): void {
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    if (!(v >= 0 && v < limit)) throw new SshShapeError(`${kernel}: ${what}[${j}] = ${v} is outside [0, ${limit})`);
  }
}

/** Counting sort of the terms by `key` (stable, O(m + buckets)): offsets and the order. */
function groupBy(key: Int32Array, buckets: number): { offsets: Int32Array; order: Int32Array } {
  const offsets = new Int32Array(buckets + 1);
  for (let j = 0; j < key.length; j++) offsets[key[j] + 1]++;
  for (let b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
  const next = offsets.slice(0, buckets);
  const order = new Int32Array(key.length);
  for (let j = 0; j < key.length; j++) order[next[key[j]]++] = j;
  return { offsets, order };
}

/**
 * Tables of the mix `attrs` (forward or transposed) for an input of width `inDim`.
 * @throws {SshShapeError} when a term reads or writes outside the tensors.
 */
export function groupTermsByOutput(attrs: SparseMixAttrs, inDim: number, kernel: string): MixByOutputTables {
  const { gather, scatter, coefIndex, weight, outSize } = attrs;
  if (gather.length !== scatter.length) throw new SshShapeError(`${kernel}: gather has ${gather.length} terms, scatter ${scatter.length}`);
  checkIndex(gather, inDim, 'gather', kernel);
  checkIndex(scatter, outSize, 'scatter', kernel);
  const { offsets, order } = groupBy(scatter, outSize);
  const m = order.length;
  const source = new Int32Array(m);
  const coef = new Int32Array(m);
  const w = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const j = order[i];
    source[i] = gather[j];
    coef[i] = coefIndex === null ? j : coefIndex[j];
    w[i] = weight === null ? 1 : weight[j];
  }
  return { offsets, source, coef, weight: w };
}

/**
 * Tables of the coefficient gradient for `count` coefficients.
 * @throws {SshShapeError} when a term names a coefficient outside [0, count).
 */
export function groupTermsByCoefficient(attrs: SparseMixAttrs, count: number, kernel: string): MixByCoefficientTables {
  const { gather, scatter, coefIndex, weight } = attrs;
  const m = gather.length;
  const key = coefIndex ?? Int32Array.from({ length: m }, (_, j) => j);
  checkIndex(key, count, 'coefIndex', kernel);
  const { offsets, order } = groupBy(key, count);
  const g = new Int32Array(m);
  const s = new Int32Array(m);
  const w = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const j = order[i];
    g[i] = gather[j];
    s[i] = scatter[j];
    w[i] = weight === null ? 1 : weight[j];
  }
  return { offsets, gather: g, scatter: s, weight: w };
}
