/**
 * One decimation-in-time stage of odd prime radix R, merging R transformed blocks
 * A_0..A_{R−1} of length L into one DHT of length L·R.
 *
 * By the Hartley shift theorem H[k] = Σ_r cos(θ)·A_r[k] + sin(θ)·A_r[−k], θ = 2πrk/(LR).
 * For output indices k = j + qL and −k, both are read off one R-point complex DFT of
 * z_r = u_r + i·v_r, where (u_r, v_r) is the pair (A_r[j], A_r[−j]) rotated by 2πrj/(LR):
 * H[j + qL] = Re Z_q and H[−j − qL] = Im Z_q. The pair (j, L−j) therefore reads and writes
 * the same 2R positions, so the stage works in place. The R-point DFT uses the
 * z_r ± z_{R−r} symmetry, which halves its multiplications.
 */
export class OddRadixStage {
  readonly blockLength: number;
  readonly radix: number;
  private readonly half: number;
  /** cos/sin(2πrj/(LR)) at j·R + r for j ≤ L/2. */
  private readonly rotCos: Float64Array;
  private readonly rotSin: Float64Array;
  /** cos/sin(2πrq/R) at (q−1)·half + (r−1) for 1 ≤ q, r ≤ half. */
  private readonly dftCos: Float64Array;
  private readonly dftSin: Float64Array;
  private readonly sumRe: Float64Array;
  private readonly sumIm: Float64Array;
  private readonly difRe: Float64Array;
  private readonly difIm: Float64Array;
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;

  constructor(blockLength: number, radix: number) {
    this.blockLength = blockLength;
    this.radix = radix;
    const half = (radix - 1) >> 1;
    this.half = half;
    const jMax = blockLength >> 1;
    const span = blockLength * radix;
    this.rotCos = new Float64Array((jMax + 1) * radix);
    this.rotSin = new Float64Array((jMax + 1) * radix);
    for (let j = 0; j <= jMax; j++) {
      for (let r = 0; r < radix; r++) {
        // Reduce r·j mod span exactly in integers before scaling: keeps angles accurate.
        const angle = (2 * Math.PI * ((r * j) % span)) / span;
        this.rotCos[j * radix + r] = Math.cos(angle);
        this.rotSin[j * radix + r] = Math.sin(angle);
      }
    }
    this.dftCos = new Float64Array(half * half);
    this.dftSin = new Float64Array(half * half);
    for (let q = 1; q <= half; q++) {
      for (let r = 1; r <= half; r++) {
        const angle = (2 * Math.PI * ((r * q) % radix)) / radix;
        this.dftCos[(q - 1) * half + (r - 1)] = Math.cos(angle);
        this.dftSin[(q - 1) * half + (r - 1)] = Math.sin(angle);
      }
    }
    this.sumRe = new Float64Array(half);
    this.sumIm = new Float64Array(half);
    this.difRe = new Float64Array(half);
    this.difIm = new Float64Array(half);
    this.zRe = new Float64Array(radix);
    this.zIm = new Float64Array(radix);
  }

  /** Applies the stage to every L·R block of a[0..n). */
  apply(a: Float64Array, n: number): void {
    if (this.radix === 3) this.apply3(a, n);
    else this.applyGeneric(a, n);
  }

  /** Radix 3, unrolled: Z_1,2 = z0 − ½(z1 + z2) ∓ i(√3/2)(z1 − z2). */
  private apply3(a: Float64Array, n: number): void {
    const L = this.blockLength;
    const span = 3 * L;
    const jMax = L >> 1;
    const rotCos = this.rotCos;
    const rotSin = this.rotSin;
    const S = Math.sqrt(3) / 2;
    for (let b = 0; b < n; b += span) {
      const b1 = b + L;
      const b2 = b + 2 * L;
      for (let j = 0; j <= jMax; j++) {
        const jm = j === 0 ? 0 : L - j;
        const t = 3 * j;
        const c1 = rotCos[t + 1]!;
        const s1 = rotSin[t + 1]!;
        const c2 = rotCos[t + 2]!;
        const s2 = rotSin[t + 2]!;
        const z0r = a[b + j]!;
        const z0i = a[b + jm]!;
        let x = a[b1 + j]!;
        let y = a[b1 + jm]!;
        const z1r = c1 * x + s1 * y;
        const z1i = c1 * y - s1 * x;
        x = a[b2 + j]!;
        y = a[b2 + jm]!;
        const z2r = c2 * x + s2 * y;
        const z2i = c2 * y - s2 * x;
        const sr = z1r + z2r;
        const si = z1i + z2i;
        const sRe = S * (z1i - z2i);
        const sIm = S * (z1r - z2r);
        const cRe = z0r - 0.5 * sr;
        const cIm = z0i - 0.5 * si;
        a[b + j] = z0r + sr;
        a[b1 + j] = cRe + sRe;
        a[b2 + j] = cRe - sRe;
        if (j !== jm) {
          a[b2 + jm] = z0i + si;
          a[b1 + jm] = cIm - sIm;
          a[b + jm] = cIm + sIm;
        }
      }
    }
  }

  private applyGeneric(a: Float64Array, n: number): void {
    const L = this.blockLength;
    const R = this.radix;
    const span = L * R;
    const jMax = L >> 1;
    const half = this.half;
    const rotCos = this.rotCos;
    const rotSin = this.rotSin;
    const dftCos = this.dftCos;
    const dftSin = this.dftSin;
    const zRe = this.zRe;
    const zIm = this.zIm;
    const sumRe = this.sumRe;
    const sumIm = this.sumIm;
    const difRe = this.difRe;
    const difIm = this.difIm;
    for (let b = 0; b < n; b += span) {
      for (let j = 0; j <= jMax; j++) {
        const jm = j === 0 ? 0 : L - j;
        const t = j * R;
        for (let r = 0, p = b; r < R; r++, p += L) {
          const x = a[p + j]!;
          const y = a[p + jm]!;
          const c = rotCos[t + r]!;
          const s = rotSin[t + r]!;
          zRe[r] = c * x + s * y;
          zIm[r] = c * y - s * x;
        }
        let z0Re = zRe[0]!;
        let z0Im = zIm[0]!;
        const dcRe = z0Re;
        const dcIm = z0Im;
        for (let r = 1; r <= half; r++) {
          const pr = zRe[r]!;
          const pi = zIm[r]!;
          const mr = zRe[R - r]!;
          const mi = zIm[R - r]!;
          sumRe[r - 1] = pr + mr;
          sumIm[r - 1] = pi + mi;
          difRe[r - 1] = pr - mr;
          difIm[r - 1] = pi - mi;
          z0Re += pr + mr;
          z0Im += pi + mi;
        }
        const selfPaired = j === jm;
        a[b + j] = z0Re;
        if (!selfPaired) a[b + jm + (R - 1) * L] = z0Im;
        // Two output pairs (q, q+1) per sweep over r: each z-sum/difference is loaded once
        // for both, halving the loads and loop overhead of this O(R²) part (measured ~1.5×).
        let q = 1;
        for (; q < half; q += 2) {
          let aRe = dcRe;
          let aIm = dcIm;
          let bRe = 0;
          let bIm = 0;
          let cRe = dcRe;
          let cIm = dcIm;
          let dRe = 0;
          let dIm = 0;
          const row0 = (q - 1) * half;
          const row1 = row0 + half;
          for (let r = 0; r < half; r++) {
            const sr = sumRe[r]!;
            const si = sumIm[r]!;
            const dr = difRe[r]!;
            const di = difIm[r]!;
            const c0 = dftCos[row0 + r]!;
            const s0 = dftSin[row0 + r]!;
            const c1 = dftCos[row1 + r]!;
            const s1 = dftSin[row1 + r]!;
            aRe += c0 * sr;
            aIm += c0 * si;
            bRe += s0 * di;
            bIm += s0 * dr;
            cRe += c1 * sr;
            cIm += c1 * si;
            dRe += s1 * di;
            dIm += s1 * dr;
          }
          // Z_q = C + (sRe − i·sIm), Z_{R−q} = C − (sRe − i·sIm) with C = (cRe, cIm).
          a[b + j + q * L] = aRe + bRe;
          a[b + j + (R - q) * L] = aRe - bRe;
          a[b + j + (q + 1) * L] = cRe + dRe;
          a[b + j + (R - q - 1) * L] = cRe - dRe;
          if (!selfPaired) {
            a[b + jm + (R - 1 - q) * L] = aIm - bIm;
            a[b + jm + (q - 1) * L] = aIm + bIm;
            a[b + jm + (R - 2 - q) * L] = cIm - dIm;
            a[b + jm + q * L] = cIm + dIm;
          }
        }
        if (q === half) {
          let cRe = dcRe;
          let cIm = dcIm;
          let sRe = 0;
          let sIm = 0;
          const row = (q - 1) * half;
          for (let r = 0; r < half; r++) {
            const c = dftCos[row + r]!;
            const s = dftSin[row + r]!;
            cRe += c * sumRe[r]!;
            cIm += c * sumIm[r]!;
            sRe += s * difIm[r]!;
            sIm += s * difRe[r]!;
          }
          a[b + j + q * L] = cRe + sRe;
          a[b + j + (R - q) * L] = cRe - sRe;
          if (!selfPaired) {
            a[b + jm + (R - 1 - q) * L] = cIm - sIm;
            a[b + jm + (q - 1) * L] = cIm + sIm;
          }
        }
      }
    }
  }
}
