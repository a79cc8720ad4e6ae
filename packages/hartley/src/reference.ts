import type { RealArray } from './types';

/**
 * Naive O(N²) unnormalised DHT in float64, H[k] = Σ x[n]·cas(2πkn/N).
 * The slow, obvious oracle every fast path is tested against. Not for production use.
 */
export function referenceDht(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let acc = 0;
    for (let j = 0; j < n; j++) {
      // (k*j) mod n keeps the angle small so cos/sin stay accurate for large N.
      const theta = (2 * Math.PI * ((k * j) % n)) / n;
      acc += x[j]! * (Math.cos(theta) + Math.sin(theta));
    }
    out[k] = acc;
  }
  return out;
}

/** Naive unnormalised 2D DHT (row-major), either variant, in float64. O((MN)·(M+N)) for separable, O((MN)²) for true. */
export function referenceDht2d(data: ArrayLike<number>, rows: number, cols: number, variant: 'separable' | 'true' = 'separable'): Float64Array {
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

/** Casts a float64 result back to the caller's array type. */
export function like<T extends RealArray>(template: T, values: Float64Array): T {
  return (template instanceof Float32Array ? Float32Array.from(values) : values) as T;
}
