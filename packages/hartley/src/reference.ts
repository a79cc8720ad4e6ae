import type { Variant2D } from './types';

/** cas(2πi/n) for i < n; indices are reduced mod n in integers, so every angle is < 2π. */
function casTable(n: number): Float64Array {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const theta = (2 * Math.PI * i) / n;
    t[i] = Math.cos(theta) + Math.sin(theta);
  }
  return t;
}

/**
 * Naive O(N²) unnormalised DHT in float64, H[k] = Σ x[j]·cas(2πkj/N), straight from the
 * definition (with (k·j) mod N looked up in a table of cas values). The slow, obvious
 * oracle every fast path is tested against — not for production use.
 *
 * @example
 * ```ts
 * import { referenceDht } from '@ssh-peft/hartley';
 * referenceDht([1, 0, 0, 0]); // Float64Array [1, 1, 1, 1]
 * ```
 */
export function referenceDht(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const cas = casTable(n);
  for (let k = 0; k < n; k++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += x[j]! * cas[(k * j) % n]!;
    out[k] = acc;
  }
  return out;
}

/**
 * Naive unnormalised 2D DHT of a row-major rows × cols matrix, in float64.
 * `separable`: reference 1D DHT of every row, then of every column, O(MN(M+N)).
 * `true`: the definition T[u,v] = Σ W[m,n]·cas(2π(um/M + vn/N)) summed directly, O((MN)²).
 *
 * @example
 * ```ts
 * import { referenceDht2d } from '@ssh-peft/hartley';
 * referenceDht2d([1, 2, 3, 4], 2, 2, 'true'); // ≈ Float64Array [10, -2, -4, 0]
 * ```
 */
export function referenceDht2d(data: ArrayLike<number>, rows: number, cols: number, variant: Variant2D = 'separable'): Float64Array {
  const out = new Float64Array(rows * cols);
  if (variant === 'separable') {
    const tmp = new Float64Array(rows * cols);
    const row = new Float64Array(cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) row[c] = data[r * cols + c]!;
      tmp.set(referenceDht(row), r * cols);
    }
    const col = new Float64Array(rows);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) col[r] = tmp[r * cols + c]!;
      const h = referenceDht(col);
      for (let r = 0; r < rows; r++) out[r * cols + c] = h[r]!;
    }
    return out;
  }
  for (let u = 0; u < rows; u++) {
    for (let v = 0; v < cols; v++) {
      let acc = 0;
      for (let m = 0; m < rows; m++) {
        for (let n = 0; n < cols; n++) {
          const theta = 2 * Math.PI * (((u * m) % rows) / rows + ((v * n) % cols) / cols);
          acc += data[m * cols + n]! * (Math.cos(theta) + Math.sin(theta));
        }
      }
      out[u * cols + v] = acc;
    }
  }
  return out;
}
