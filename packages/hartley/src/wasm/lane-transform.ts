import { digitReversal, factorize } from '../factorize';
import type { SimdRuntime } from './runtime';

/** Largest odd prime the SIMD mixed-radix stages take (as the JavaScript radix plan). */
const MAX_RADIX = 67;

/** Bytes of lane-matrix data that one tile of small FHT stages keeps in cache (L2-sized). */
const TILE_BYTES = 128 * 1024;

interface OddStageTables {
  readonly radix: number;
  readonly blockLength: number;
  readonly rot: number;
  readonly dft: number;
}

/**
 * The tables of a lane-parallel DHT of length n (all prime factors ≤ 67) in the SIMD module's
 * memory: the digit-reversal permutation, the FHT twiddles and each odd stage's rotations and
 * DFT matrix. Built once per length and runtime; see assembly/dht-simd.ts for the kernels.
 */
export class LaneTransform {
  readonly n: number;
  /** perm[i] = index of the input element that goes to position i (u32 table pointer). */
  readonly perm: number;
  private readonly blockSize: number;
  private readonly twc: number;
  private readonly tws: number;
  private readonly odd: OddStageTables[];
  private readonly maxRadix: number;

  private constructor(private readonly rt: SimdRuntime, n: number) {
    this.n = n;
    const f = factorize(n);
    const M = 2 ** f.log2Pow2;
    this.blockSize = M;
    this.perm = rt.storeU32(digitReversal(f));
    const twc = new Float32Array(Math.max(M, 4));
    const tws = new Float32Array(Math.max(M, 4));
    for (let h = 4; h < M; h *= 2) {
      for (let k = 1; k < h >> 1; k++) {
        twc[h + k] = Math.cos((Math.PI * k) / h);
        tws[h + k] = Math.sin((Math.PI * k) / h);
      }
    }
    this.twc = rt.storeF32(twc);
    this.tws = rt.storeF32(tws);
    this.odd = [];
    let L = M;
    let maxRadix = 0;
    for (const R of f.oddPrimes) {
      this.odd.push(oddTables(rt, L, R));
      maxRadix = Math.max(maxRadix, R);
      L *= R;
    }
    this.maxRadix = maxRadix;
  }

  /** Whether lengths n have a lane transform (no Bluestein: every odd prime factor ≤ 67). */
  static supports(n: number): boolean {
    const { oddPrimes } = factorize(n);
    return oddPrimes.every((p) => p <= MAX_RADIX);
  }

  private static readonly cache = new WeakMap<SimdRuntime, Map<number, LaneTransform>>();

  /** The transform of length n of runtime rt (tables are built once and kept). */
  static of(rt: SimdRuntime, n: number): LaneTransform {
    let byLength = LaneTransform.cache.get(rt);
    if (byLength === undefined) LaneTransform.cache.set(rt, (byLength = new Map()));
    let t = byLength.get(n);
    if (t === undefined) byLength.set(n, (t = new LaneTransform(rt, n)));
    return t;
  }

  /** Scratch bytes {@link run} needs beyond the lane matrix itself, for lane width w. */
  scratchBytes(w: number): number {
    return this.maxRadix > 3 ? 4 * this.maxRadix * w * 4 : 0;
  }

  /**
   * Unnormalised DHT of every lane of the lane matrix at `a` (n elements of w lanes), which
   * holds its input already in digit-reversed order (gathered through {@link perm}).
   * `scratch` must have {@link scratchBytes}.
   */
  run(a: number, w: number, scratch: number): void {
    const ex = this.rt.exports;
    const n = this.n;
    const rowBytes = w * 4;
    if (this.blockSize > 1) {
      const tile = Math.max(2, 2 ** Math.floor(Math.log2(TILE_BYTES / rowBytes)));
      ex.fhtStages(a, n, this.blockSize, w, this.twc, this.tws, tile);
    }
    for (const s of this.odd) {
      if (s.radix === 3) ex.oddStage3(a, n, s.blockLength, w, s.rot);
      else ex.oddStageGeneric(a, n, s.blockLength, s.radix, w, s.rot, s.dft, scratch);
    }
  }
}

function oddTables(rt: SimdRuntime, L: number, R: number): OddStageTables {
  const jMax = L >> 1;
  const span = L * R;
  if (R === 3) {
    const rot = new Float32Array((jMax + 1) * 4);
    for (let j = 0; j <= jMax; j++) {
      for (let r = 1; r <= 2; r++) {
        const angle = (2 * Math.PI * ((r * j) % span)) / span;
        rot[j * 4 + (r - 1) * 2] = Math.cos(angle);
        rot[j * 4 + (r - 1) * 2 + 1] = Math.sin(angle);
      }
    }
    return { radix: R, blockLength: L, rot: rt.storeF32(rot), dft: 0 };
  }
  const rot = new Float32Array((jMax + 1) * R * 2);
  for (let j = 0; j <= jMax; j++) {
    for (let r = 0; r < R; r++) {
      const angle = (2 * Math.PI * ((r * j) % span)) / span;
      rot[(j * R + r) * 2] = Math.cos(angle);
      rot[(j * R + r) * 2 + 1] = Math.sin(angle);
    }
  }
  const half = (R - 1) >> 1;
  const dft = new Float32Array(half * half * 2);
  for (let q = 1; q <= half; q++) {
    for (let r = 1; r <= half; r++) {
      const angle = (2 * Math.PI * ((r * q) % R)) / R;
      dft[((q - 1) * half + (r - 1)) * 2] = Math.cos(angle);
      dft[((q - 1) * half + (r - 1)) * 2 + 1] = Math.sin(angle);
    }
  }
  return { radix: R, blockLength: L, rot: rt.storeF32(rot), dft: rt.storeF32(dft) };
}
