/**
 * cos/sin of the p-th roots of unity, 2πi/p for i = 0..p−1, in float64 with exact
 * 0/±1 at quarter turns. The webgpu butterfly pass writes them into the shader as
 * literals, so the multiplications by 0 and ±1 of radices 2 and 4 fold away at
 * compile time.
 */
export interface ButterflyRoots {
  readonly cos: Float64Array;
  readonly sin: Float64Array;
}

export function butterflyRoots(p: number): ButterflyRoots {
  const cos = new Float64Array(p);
  const sin = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    if ((4 * i) % p === 0) {
      const quarter = (4 * i) / p;
      cos[i] = quarter === 0 ? 1 : quarter === 2 ? -1 : 0;
      sin[i] = quarter === 1 ? 1 : quarter === 3 ? -1 : 0;
    } else {
      cos[i] = Math.cos((2 * Math.PI * i) / p);
      sin[i] = Math.sin((2 * Math.PI * i) / p);
    }
  }
  return { cos, sin };
}
