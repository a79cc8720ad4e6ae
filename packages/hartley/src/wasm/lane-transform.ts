import { digitReversal, factorize } from '../factorize';
import type { SimdRuntime } from './runtime';

/** Largest odd prime the SIMD mixed-radix stages take (as the JavaScript radix plan). */
const MAX_RADIX = 67;

/** Bytes of lane-matrix data that one tile of small FHT stages keeps in cache (L2-sized). */
const TILE_BYTES = 128 * 1024;

/**
 * Tile side (log2) of the blocked bit-reversed gather for power-of-two blocks of 2^m elements
 * (16-byte elements), or 0 for the element-by-element gather. Measured (bench: 2^14 … 2^21
 * points): the blocked gather is about twice as fast in cache, 5× at 2^20 where the plain one
 * misses on nearly every element; 32 × 32 tiles are best up to 2^17 elements, 64 × 64 beyond.
 */
function gatherBits(m: number): number {
  if (m >= 18) return 6;
  if (m >= 10) return 5;
  if (m >= 8) return 4;
  return 0;
}

/** rev_bits(i) for every i < 2^bits. */
function bitReversalTable(bits: number): Uint32Array {
  const t = new Uint32Array(1 << bits);
  for (let i = 1; i < t.length; i++) t[i] = (t[i >> 1]! >> 1) | ((i & 1) << (bits - 1));
  return t;
}

/** Tables of the blocked gather (see gatherBitReversed in assembly/dht-simd.ts). */
interface BlockedGather {
  readonly log2Block: number;
  readonly bits: number;
  readonly blocks: number;
  readonly blockOff: number;
  readonly lowRev: number;
  readonly midRev: number;
}

/** Lane type of a lane matrix: float32 (f32x4 kernels) or float64 (f64x2 kernels). */
export type LaneType = 'f32' | 'f64';

interface OddStageTables {
  readonly radix: number;
  readonly blockLength: number;
  readonly rot: number;
  readonly dft: number;
}

/**
 * The tables of a lane-parallel DHT of length n (all prime factors ≤ 67) in the SIMD module's
 * memory: the digit-reversal permutation, the FHT twiddles and each odd stage's rotations and
 * DFT matrix, in the lane type (float32 tables for the f32x4 kernels, float64 for f64x2).
 * Built once per length, lane type and runtime; see assembly/dht-simd.ts for the kernels.
 * Lane counts `w`, strides and `valid` are in elements of the lane type.
 */
export class LaneTransform {
  readonly n: number;
  readonly type: LaneType;
  /** Bytes per lane value: 4 (float32) or 8 (float64). */
  private readonly laneBytes: number;
  /** perm[i] = index of the input element that goes to position i (u32 table pointer). */
  readonly perm: number;
  private readonly blockSize: number;
  private readonly twc: number;
  private readonly tws: number;
  private readonly odd: OddStageTables[];
  private readonly maxRadix: number;
  private readonly blocked: BlockedGather | null;

  private constructor(private readonly rt: SimdRuntime, n: number, type: LaneType) {
    this.n = n;
    this.type = type;
    this.laneBytes = type === 'f64' ? 8 : 4;
    const store = (t: Float64Array): number => (type === 'f64' ? rt.storeF64(t) : rt.storeF32(t));
    const f = factorize(n);
    const M = 2 ** f.log2Pow2;
    this.blockSize = M;
    const perm = digitReversal(f);
    this.perm = rt.storeU32(perm);
    const m = f.log2Pow2;
    const bits = gatherBits(m);
    if (bits > 0) {
      const blocks = n / M;
      const offsets = new Uint32Array(blocks);
      for (let b = 0; b < blocks; b++) offsets[b] = perm[b * M]!;
      this.blocked = {
        log2Block: m,
        bits,
        blocks,
        blockOff: rt.storeU32(offsets),
        lowRev: rt.storeU32(bitReversalTable(bits)),
        midRev: rt.storeU32(bitReversalTable(m - 2 * bits)),
      };
    } else {
      this.blocked = null;
    }
    const twc = new Float64Array(Math.max(M, 4));
    const tws = new Float64Array(Math.max(M, 4));
    for (let h = 4; h < M; h *= 2) {
      for (let k = 1; k < h >> 1; k++) {
        twc[h + k] = Math.cos((Math.PI * k) / h);
        tws[h + k] = Math.sin((Math.PI * k) / h);
      }
    }
    this.twc = store(twc);
    this.tws = store(tws);
    this.odd = [];
    let L = M;
    let maxRadix = 0;
    for (const R of f.oddPrimes) {
      this.odd.push(oddTables(store, L, R));
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

  private static readonly cache = new WeakMap<SimdRuntime, Map<string, LaneTransform>>();

  /** The transform of length n and lane type `type` of runtime rt (tables are built once and kept). */
  static of(rt: SimdRuntime, n: number, type: LaneType = 'f32'): LaneTransform {
    let byLength = LaneTransform.cache.get(rt);
    if (byLength === undefined) LaneTransform.cache.set(rt, (byLength = new Map()));
    const key = `${type}:${n}`;
    let t = byLength.get(key);
    if (t === undefined) byLength.set(key, (t = new LaneTransform(rt, n, type)));
    return t;
  }

  /** Scratch bytes {@link run} and {@link gather} need beyond the lane matrix itself, for lane width w. */
  scratchBytes(w: number): number {
    const rowBytes = w * this.laneBytes;
    const oddStage = this.maxRadix > 3 ? 4 * this.maxRadix * rowBytes : 0;
    const gatherTile = this.blocked !== null && rowBytes === 16 ? (1 << (2 * this.blocked.bits)) * 16 : 0;
    return Math.max(oddStage, gatherTile);
  }

  /**
   * Lane matrix `dst` (n elements of w lanes) ← the input in digit-reversed order: element i =
   * the w values at src + perm[i]·srcStride values (lanes ≥ valid zeroed). `scratch` must have
   * {@link scratchBytes}.
   */
  gather(src: number, srcStride: number, dst: number, w: number, valid: number, scratch: number): void {
    const ex = this.rt.exports;
    const g = this.blocked;
    // The gather kernels move float32 words: a float64 lane is two of them.
    const words = this.laneBytes >> 2;
    // 16-byte elements only (the 1D kernels' lanes); the 2D strips' 64- and 128-byte elements are whole
    // cache lines already.
    if (g !== null && w * this.laneBytes === 16 && valid === w) {
      ex.gatherBitReversed(src, srcStride * words, dst, g.blocks, g.blockOff, g.blocks, g.log2Block, g.bits, g.lowRev, g.midRev, 4, scratch);
    } else {
      ex.gatherRows(src, srcStride * words, dst, this.perm, this.n, w * words, valid * words);
    }
  }

  /**
   * Unnormalised DHT of every lane of the lane matrix at `a` (n elements of w lanes), which
   * holds its input already in digit-reversed order (gathered through {@link perm}).
   * `scratch` must have {@link scratchBytes}.
   */
  run(a: number, w: number, scratch: number): void {
    const ex = this.rt.exports;
    const n = this.n;
    const rowBytes = w * this.laneBytes;
    const f64 = this.type === 'f64';
    if (this.blockSize > 1) {
      const tile = Math.max(2, 2 ** Math.floor(Math.log2(TILE_BYTES / rowBytes)));
      if (f64) ex.fhtStages64(a, n, this.blockSize, w, this.twc, this.tws, tile);
      else ex.fhtStages(a, n, this.blockSize, w, this.twc, this.tws, tile);
    }
    for (const s of this.odd) {
      if (s.radix === 3) (f64 ? ex.oddStage3_64 : ex.oddStage3)(a, n, s.blockLength, w, s.rot);
      else (f64 ? ex.oddStageGeneric64 : ex.oddStageGeneric)(a, n, s.blockLength, s.radix, w, s.rot, s.dft, scratch);
    }
  }
}

function oddTables(store: (table: Float64Array) => number, L: number, R: number): OddStageTables {
  const jMax = L >> 1;
  const span = L * R;
  if (R === 3) {
    const rot = new Float64Array((jMax + 1) * 4);
    for (let j = 0; j <= jMax; j++) {
      for (let r = 1; r <= 2; r++) {
        const angle = (2 * Math.PI * ((r * j) % span)) / span;
        rot[j * 4 + (r - 1) * 2] = Math.cos(angle);
        rot[j * 4 + (r - 1) * 2 + 1] = Math.sin(angle);
      }
    }
    return { radix: R, blockLength: L, rot: store(rot), dft: 0 };
  }
  const rot = new Float64Array((jMax + 1) * R * 2);
  for (let j = 0; j <= jMax; j++) {
    for (let r = 0; r < R; r++) {
      const angle = (2 * Math.PI * ((r * j) % span)) / span;
      rot[(j * R + r) * 2] = Math.cos(angle);
      rot[(j * R + r) * 2 + 1] = Math.sin(angle);
    }
  }
  const half = (R - 1) >> 1;
  const dft = new Float64Array(half * half * 2);
  for (let q = 1; q <= half; q++) {
    for (let r = 1; r <= half; r++) {
      const angle = (2 * Math.PI * ((r * q) % R)) / R;
      dft[((q - 1) * half + (r - 1)) * 2] = Math.cos(angle);
      dft[((q - 1) * half + (r - 1)) * 2 + 1] = Math.sin(angle);
    }
  }
  return { radix: R, blockLength: L, rot: store(rot), dft: store(dft) };
}
