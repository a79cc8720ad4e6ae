// WebAssembly SIMD (f32x4, f64x2) kernels of the Hartley transforms, in AssemblyScript.
//
// Every kernel works on a "lane matrix": n elements of `w` float32 lanes each (w a multiple of 4),
// element i at byte offset i·w·4 — or, for the float64 kernels (names ending in 64), of w float64
// lanes (w a multiple of 2), element i at byte offset i·w·8. All lanes run the same transform of
// length n side by side, so each butterfly of the scalar algorithm becomes w/4 vertical f32x4
// (w/2 f64x2) operations with no shuffles.
// The host (src/wasm/) lays the lanes out: w decimated subsequences of one 1D transform, w rows of
// a matrix (transposed in), or w adjacent columns of a matrix.
//
// Pointers are byte offsets into this module's memory; the host owns the layout (tables, scratch)
// and validates sizes before calling. No allocation happens here.

// ---------------------------------------------------------------------------------------------
// Moving lanes in and out

/** dst element i (w lanes) = the w floats at src + perm[i]·srcStride floats; lanes ≥ valid are zeroed. */
export function gatherRows(src: usize, srcStride: i32, dst: usize, perm: usize, n: i32, w: i32, valid: i32): void {
  const rowBytes = <usize>w << 2;
  const strideBytes = <usize>srcStride << 2;
  const vecs = valid >> 2;
  for (let i = 0; i < n; i++) {
    const from = src + <usize>load<u32>(perm + (<usize>i << 2)) * strideBytes;
    const to = dst + <usize>i * rowBytes;
    let v = 0;
    for (; v < vecs; v++) v128.store(to + (<usize>v << 4), v128.load(from + (<usize>v << 4)));
    for (let l = v << 2; l < w; l++) store<f32>(to + (<usize>l << 2), l < valid ? load<f32>(from + (<usize>l << 2)) : 0);
  }
}

/** The w floats at dst + i·dstStride floats = scale · src element i; only the first `valid` lanes are written. */
export function scatterRows(src: usize, dst: usize, dstStride: i32, n: i32, w: i32, valid: i32, scale: f32): void {
  const rowBytes = <usize>w << 2;
  const strideBytes = <usize>dstStride << 2;
  const vecs = valid >> 2;
  const s = f32x4.splat(scale);
  for (let i = 0; i < n; i++) {
    const from = src + <usize>i * rowBytes;
    const to = dst + <usize>i * strideBytes;
    let v = 0;
    for (; v < vecs; v++) v128.store(to + (<usize>v << 4), f32x4.mul(v128.load(from + (<usize>v << 4)), s));
    for (let l = v << 2; l < valid; l++) store<f32>(to + (<usize>l << 2), load<f32>(from + (<usize>l << 2)) * scale);
  }
}

/**
 * The gather of {@link gatherRows} for a digit-reversal permutation made of power-of-two blocks,
 * in a cache-friendly order: dst element bl·M + p (M = 2^m) = the w floats at
 * src + (blockOff[bl] + rev_m(p)·S)·srcStride floats. With the source index split into
 * x (top `b` bits), mid and y (low `b` bits), rev(x, mid, y) = (rev y, rev mid, rev x): for one
 * mid, the 2^b × 2^b elements are read as 2^b runs (y consecutive) into the tile `tmp`
 * (2^2b elements), then written as 2^b runs (rev x consecutive). Each side walks whole cache
 * lines, where a plain bit-reversed gather over megabytes misses the cache on nearly every
 * element (and 2^b destination streams a power of two apart would collide in the cache's sets).
 * lowRev: rev_b, 2^b u32; midRev: rev over m − 2b bits, 2^(m−2b) u32. Needs m ≥ 2b.
 */
export function gatherBitReversed(
  src: usize, srcStride: i32, dst: usize, blocks: i32, blockOff: usize, S: i32, m: i32, b: i32, lowRev: usize, midRev: usize, w: i32, tmp: usize,
): void {
  const rowBytes = <usize>w << 2;
  const strideBytes = <usize>srcStride << 2;
  const B = 1 << b;
  const mids = 1 << (m - 2 * b);
  const hiShift = <usize>(m - b);
  const M = <usize>1 << <usize>m;
  const stepBytes = <usize>S * strideBytes;
  const tileRow = <usize>B * rowBytes;
  for (let bl = 0; bl < blocks; bl++) {
    const from0 = src + <usize>load<u32>(blockOff + (<usize>bl << 2)) * strideBytes;
    const to0 = dst + <usize>bl * M * rowBytes;
    for (let mid = 0; mid < mids; mid++) {
      // Read: tile[x][y] = source element (x, mid, y).
      for (let x = 0; x < B; x++) {
        const fromRow = from0 + ((<usize>x << hiShift) | (<usize>mid << <usize>b)) * stepBytes;
        const t = tmp + <usize>x * tileRow;
        if (rowBytes == 16) {
          for (let y = 0; y < B; y++) v128.store(t + (<usize>y << 4), v128.load(fromRow + <usize>y * stepBytes));
        } else {
          for (let y = 0; y < B; y++) {
            const from = fromRow + <usize>y * stepBytes;
            const to = t + <usize>y * rowBytes;
            for (let o: usize = 0; o < rowBytes; o += 16) v128.store(to + o, v128.load(from + o));
          }
        }
      }
      // Write: destination (rev y, rev mid, rx) = tile[rev rx][y], rx consecutive.
      const rm = <usize>load<u32>(midRev + (<usize>mid << 2)) << <usize>b;
      for (let y = 0; y < B; y++) {
        const toRow = to0 + ((<usize>load<u32>(lowRev + (<usize>y << 2)) << hiShift) | rm) * rowBytes;
        const fromCol = tmp + <usize>y * rowBytes;
        if (rowBytes == 16) {
          for (let rx = 0; rx < B; rx++) {
            v128.store(toRow + (<usize>rx << 4), v128.load(fromCol + <usize>load<u32>(lowRev + (<usize>rx << 2)) * tileRow));
          }
        } else {
          for (let rx = 0; rx < B; rx++) {
            const from = fromCol + <usize>load<u32>(lowRev + (<usize>rx << 2)) * tileRow;
            const to = toRow + <usize>rx * rowBytes;
            for (let o: usize = 0; o < rowBytes; o += 16) v128.store(to + o, v128.load(from + o));
          }
        }
      }
    }
  }
}

/**
 * Transposing gather: lane l of dst element i = src[l·srcStride + perm[i]] (row l of a row-major
 * block, read in the transform's input order); lanes ≥ valid are zeroed.
 */
export function gatherTransposed(src: usize, srcStride: i32, dst: usize, perm: usize, n: i32, w: i32, valid: i32): void {
  const rowBytes = <usize>w << 2;
  const strideBytes = <usize>srcStride << 2;
  if (valid == w && (w & 3) == 0) {
    for (let i = 0; i < n; i++) {
      const from = src + (<usize>load<u32>(perm + (<usize>i << 2)) << 2);
      const to = dst + <usize>i * rowBytes;
      for (let l = 0; l < w; l += 4) {
        const p = from + <usize>l * strideBytes;
        let v = f32x4.splat(load<f32>(p));
        v = f32x4.replace_lane(v, 1, load<f32>(p + strideBytes));
        v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * strideBytes));
        v = f32x4.replace_lane(v, 3, load<f32>(p + 3 * strideBytes));
        v128.store(to + (<usize>l << 2), v);
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = src + (<usize>load<u32>(perm + (<usize>i << 2)) << 2);
    const to = dst + <usize>i * rowBytes;
    for (let l = 0; l < w; l++) store<f32>(to + (<usize>l << 2), l < valid ? load<f32>(from + <usize>l * strideBytes) : 0);
  }
}

/** Transposing scatter: dst[l·dstStride + i] = scale · lane l of src element i, for lanes l < valid. */
export function scatterTransposed(src: usize, dst: usize, dstStride: i32, n: i32, w: i32, valid: i32, scale: f32): void {
  const rowBytes = <usize>w << 2;
  const strideBytes = <usize>dstStride << 2;
  const s = f32x4.splat(scale);
  if (valid == w && (w & 3) == 0) {
    for (let i = 0; i < n; i++) {
      const from = src + <usize>i * rowBytes;
      const to = dst + (<usize>i << 2);
      for (let l = 0; l < w; l += 4) {
        const v = f32x4.mul(v128.load(from + (<usize>l << 2)), s);
        const p = to + <usize>l * strideBytes;
        v128.store32_lane(p, v, 0);
        v128.store32_lane(p + strideBytes, v, 1);
        v128.store32_lane(p + 2 * strideBytes, v, 2);
        v128.store32_lane(p + 3 * strideBytes, v, 3);
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = src + <usize>i * rowBytes;
    const to = dst + (<usize>i << 2);
    for (let l = 0; l < valid; l++) store<f32>(to + <usize>l * strideBytes, load<f32>(from + (<usize>l << 2)) * scale);
  }
}

/** {@link scatterRows} for float64 lanes: the w doubles at dst + i·dstStride doubles = scale · src element i (lanes < valid). */
export function scatterRows64(src: usize, dst: usize, dstStride: i32, n: i32, w: i32, valid: i32, scale: f64): void {
  const rowBytes = <usize>w << 3;
  const strideBytes = <usize>dstStride << 3;
  const vecs = valid >> 1;
  const s = f64x2.splat(scale);
  for (let i = 0; i < n; i++) {
    const from = src + <usize>i * rowBytes;
    const to = dst + <usize>i * strideBytes;
    let v = 0;
    for (; v < vecs; v++) v128.store(to + (<usize>v << 4), f64x2.mul(v128.load(from + (<usize>v << 4)), s));
    if (v << 1 < valid) store<f64>(to + (<usize>v << 4), load<f64>(from + (<usize>v << 4)) * scale);
  }
}

/**
 * {@link gatherTransposed} for float64: lane l of dst element i = src[l·srcStride + perm[i]]
 * (doubles); lanes ≥ valid are zeroed.
 */
export function gatherTransposed64(src: usize, srcStride: i32, dst: usize, perm: usize, n: i32, w: i32, valid: i32): void {
  const rowBytes = <usize>w << 3;
  const strideBytes = <usize>srcStride << 3;
  if (valid == w && (w & 1) == 0) {
    for (let i = 0; i < n; i++) {
      const from = src + (<usize>load<u32>(perm + (<usize>i << 2)) << 3);
      const to = dst + <usize>i * rowBytes;
      for (let l = 0; l < w; l += 2) {
        const p = from + <usize>l * strideBytes;
        const v = f64x2.replace_lane(f64x2.splat(load<f64>(p)), 1, load<f64>(p + strideBytes));
        v128.store(to + (<usize>l << 3), v);
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = src + (<usize>load<u32>(perm + (<usize>i << 2)) << 3);
    const to = dst + <usize>i * rowBytes;
    for (let l = 0; l < w; l++) store<f64>(to + (<usize>l << 3), l < valid ? load<f64>(from + <usize>l * strideBytes) : 0);
  }
}

/** {@link scatterTransposed} for float64: dst[l·dstStride + i] = scale · lane l of src element i, lanes l < valid. */
export function scatterTransposed64(src: usize, dst: usize, dstStride: i32, n: i32, w: i32, valid: i32, scale: f64): void {
  const rowBytes = <usize>w << 3;
  const strideBytes = <usize>dstStride << 3;
  const s = f64x2.splat(scale);
  if (valid == w && (w & 1) == 0) {
    for (let i = 0; i < n; i++) {
      const from = src + <usize>i * rowBytes;
      const to = dst + (<usize>i << 3);
      for (let l = 0; l < w; l += 2) {
        const v = f64x2.mul(v128.load(from + (<usize>l << 3)), s);
        const p = to + <usize>l * strideBytes;
        v128.store64_lane(p, v, 0);
        v128.store64_lane(p + strideBytes, v, 1);
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const from = src + <usize>i * rowBytes;
    const to = dst + (<usize>i << 3);
    for (let l = 0; l < valid; l++) store<f64>(to + <usize>l * strideBytes, load<f64>(from + (<usize>l << 3)) * scale);
  }
}

// ---------------------------------------------------------------------------------------------
// Power-of-two fast Hartley transform stages (decimation in time, input in bit-reversed order)

/** x ← x + y, y ← x − y over `bytes` bytes (vectors). */
// @ts-ignore: decorator
@inline function sumDiff<T>(p: usize, q: usize, bytes: usize): void {
  for (let o: usize = 0; o < bytes; o += 16) {
    const a = v128.load(p + o);
    const b = v128.load(q + o);
    v128.store(p + o, v128.add<T>(a, b));
    v128.store(q + o, v128.sub<T>(a, b));
  }
}

/**
 * One radix-2 stage of half-length h over a group starting at `base`: with A = first half, B =
 * second half, T[k] = B[k]·cos(πk/h) + B[h−k]·sin(πk/h), outputs A[k] ± T[k]. The pair (k, h−k)
 * reads and writes the same four elements, so the stage is in place.
 */
// @ts-ignore: decorator
@inline function radix2Group<T>(base: usize, h: i32, rowBytes: usize, twc: usize, tws: usize): void {
  const hb = <usize>h * rowBytes;
  sumDiff<T>(base, base + hb, rowBytes);
  if (h < 2) return;
  const half = h >> 1;
  sumDiff<T>(base + <usize>half * rowBytes, base + hb + <usize>half * rowBytes, rowBytes);
  for (let k = 1; k < half; k++) {
    const c = v128.splat<T>(load<T>(twc + (<usize>(h + k) << alignof<T>())));
    const s = v128.splat<T>(load<T>(tws + (<usize>(h + k) << alignof<T>())));
    const p1 = base + <usize>k * rowBytes;
    const p2 = base + <usize>(h - k) * rowBytes;
    const p3 = p1 + hb;
    const p4 = p2 + hb;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const b1 = v128.load(p3 + o);
      const b2 = v128.load(p4 + o);
      const t1 = v128.add<T>(v128.mul<T>(b1, c), v128.mul<T>(b2, s));
      const t2 = v128.sub<T>(v128.mul<T>(b1, s), v128.mul<T>(b2, c));
      const a1 = v128.load(p1 + o);
      const a2 = v128.load(p2 + o);
      v128.store(p1 + o, v128.add<T>(a1, t1));
      v128.store(p3 + o, v128.sub<T>(a1, t1));
      v128.store(p2 + o, v128.add<T>(a2, t2));
      v128.store(p4 + o, v128.sub<T>(a2, t2));
    }
  }
}

/**
 * Two radix-2 stages fused (h → 2h → 4h) over the group of 4h elements at `base`: the eight
 * elements at k, h−k, h+k, 2h−k of the two halves depend only on each other through both
 * stages, so each is loaded and stored once per two stages (half the memory traffic of two
 * radix-2 passes). Twiddles as {@link radix2Group}: stage h at h + k, stage 2h at 2h + k.
 */
// @ts-ignore: decorator
@inline function radix4Group<T>(base: usize, h: i32, rowBytes: usize, twc: usize, tws: usize): void {
  const hb = <usize>h * rowBytes;
  const q1 = base + hb;
  const q2 = q1 + hb;
  const q3 = q2 + hb;
  // k = 0: stage h pairs (0, h) without twiddles; stage 2h's twiddles are (1, 0) and (0, 1).
  for (let o: usize = 0; o < rowBytes; o += 16) {
    const x0 = v128.load(base + o);
    const x1 = v128.load(q1 + o);
    const x2 = v128.load(q2 + o);
    const x3 = v128.load(q3 + o);
    const p0 = v128.add<T>(x0, x1);
    const ph = v128.sub<T>(x0, x1);
    const r0 = v128.add<T>(x2, x3);
    const rh = v128.sub<T>(x2, x3);
    v128.store(base + o, v128.add<T>(p0, r0));
    v128.store(q2 + o, v128.sub<T>(p0, r0));
    v128.store(q1 + o, v128.add<T>(ph, rh));
    v128.store(q3 + o, v128.sub<T>(ph, rh));
  }
  if (h < 2) return;
  const h2 = h >> 1;
  {
    // k = h/2: stage h is twiddle-free (self-paired); stage 2h's twiddle is π/4.
    const hh = <usize>h2 * rowBytes;
    const R = v128.splat<T>(<T>Math.SQRT1_2);
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const x0 = v128.load(base + hh + o);
      const x1 = v128.load(q1 + hh + o);
      const x2 = v128.load(q2 + hh + o);
      const x3 = v128.load(q3 + hh + o);
      const p0 = v128.add<T>(x0, x1);
      const p1 = v128.sub<T>(x0, x1);
      const r0 = v128.add<T>(x2, x3);
      const r1 = v128.sub<T>(x2, x3);
      const t1 = v128.mul<T>(R, v128.add<T>(r0, r1));
      const t2 = v128.mul<T>(R, v128.sub<T>(r0, r1));
      v128.store(base + hh + o, v128.add<T>(p0, t1));
      v128.store(q2 + hh + o, v128.sub<T>(p0, t1));
      v128.store(q1 + hh + o, v128.add<T>(p1, t2));
      v128.store(q3 + hh + o, v128.sub<T>(p1, t2));
    }
  }
  for (let k = 1; k < h2; k++) {
    const c1 = v128.splat<T>(load<T>(twc + (<usize>(h + k) << alignof<T>())));
    const s1 = v128.splat<T>(load<T>(tws + (<usize>(h + k) << alignof<T>())));
    const c2 = v128.splat<T>(load<T>(twc + (<usize>(2 * h + k) << alignof<T>())));
    const s2 = v128.splat<T>(load<T>(tws + (<usize>(2 * h + k) << alignof<T>())));
    const kb = <usize>k * rowBytes;
    const mb = <usize>(h - k) * rowBytes;
    for (let o: usize = 0; o < rowBytes; o += 16) {
      // Stage h on quarters 0, 1 → P at k, h−k, h+k, 2h−k.
      let e0 = v128.load(base + kb + o);
      let e1 = v128.load(base + mb + o);
      let o0 = v128.load(q1 + kb + o);
      let o1 = v128.load(q1 + mb + o);
      let u1 = v128.add<T>(v128.mul<T>(c1, o0), v128.mul<T>(s1, o1));
      let u2 = v128.sub<T>(v128.mul<T>(s1, o0), v128.mul<T>(c1, o1));
      const pk = v128.add<T>(e0, u1);
      const phk = v128.sub<T>(e0, u1);
      const pmk = v128.add<T>(e1, u2);
      const p2mk = v128.sub<T>(e1, u2);
      // Stage h on quarters 2, 3 → R.
      e0 = v128.load(q2 + kb + o);
      e1 = v128.load(q2 + mb + o);
      o0 = v128.load(q3 + kb + o);
      o1 = v128.load(q3 + mb + o);
      u1 = v128.add<T>(v128.mul<T>(c1, o0), v128.mul<T>(s1, o1));
      u2 = v128.sub<T>(v128.mul<T>(s1, o0), v128.mul<T>(c1, o1));
      const rk = v128.add<T>(e0, u1);
      const rhk = v128.sub<T>(e0, u1);
      const rmk = v128.add<T>(e1, u2);
      const r2mk = v128.sub<T>(e1, u2);
      // Stage 2h: pair (k, 2h−k) with twiddle πk/2h, pair (h−k, h+k) with its complement.
      const t1 = v128.add<T>(v128.mul<T>(c2, rk), v128.mul<T>(s2, r2mk));
      const t2 = v128.sub<T>(v128.mul<T>(s2, rk), v128.mul<T>(c2, r2mk));
      const t3 = v128.add<T>(v128.mul<T>(s2, rmk), v128.mul<T>(c2, rhk));
      const t4 = v128.sub<T>(v128.mul<T>(c2, rmk), v128.mul<T>(s2, rhk));
      v128.store(base + kb + o, v128.add<T>(pk, t1));
      v128.store(q2 + kb + o, v128.sub<T>(pk, t1));
      v128.store(q1 + mb + o, v128.add<T>(p2mk, t2));
      v128.store(q3 + mb + o, v128.sub<T>(p2mk, t2));
      v128.store(base + mb + o, v128.add<T>(pmk, t3));
      v128.store(q2 + mb + o, v128.sub<T>(pmk, t3));
      v128.store(q1 + kb + o, v128.add<T>(phk, t4));
      v128.store(q3 + kb + o, v128.sub<T>(phk, t4));
    }
  }
}

/**
 * The stages h = from, 2·from, …, < to over every group of the `count` elements at `base`:
 * fused in pairs (radix-4), with one radix-2 stage first when their number is odd.
 */
// @ts-ignore: decorator
@inline function stageRange<T>(base: usize, count: i32, from: i32, to: i32, rowBytes: usize, twc: usize, tws: usize): void {
  let h = from;
  if ((ctz(to) - ctz(from)) & 1) {
    for (let g = 0; g < count; g += 2 * h) radix2Group<T>(base + <usize>g * rowBytes, h, rowBytes, twc, tws);
    h <<= 1;
  }
  for (; h < to; h <<= 2) {
    for (let g = 0; g < count; g += 4 * h) radix4Group<T>(base + <usize>g * rowBytes, h, rowBytes, twc, tws);
  }
}

// @ts-ignore: decorator
@inline function fhtStagesOf<T>(a: usize, n: i32, M: i32, rowBytes: usize, twc: usize, tws: usize, cacheElems: i32): void {
  const tile = M < cacheElems ? M : cacheElems;
  for (let blk = 0; blk < n; blk += M) {
    // Stages with groups smaller than the tile: tile by tile.
    for (let t = 0; t < M; t += tile) stageRange<T>(a + <usize>(blk + t) * rowBytes, tile, 1, tile, rowBytes, twc, tws);
    // Larger stages: one pass over the whole block per pair.
    if (tile < M) stageRange<T>(a + <usize>blk * rowBytes, M, tile, M, rowBytes, twc, tws);
  }
}

/**
 * All power-of-two stages of every block of M elements of a float32 lane matrix of n elements
 * (n a multiple of M, w lanes). Twiddles: cos/sin(πk/h) at index h + k (1 ≤ k < h/2) of the tables twc/tws.
 * Stages run in fused pairs (radix-4). Groups run depth-first inside blocks that fit the cache
 * (`cacheElems` elements), so small stages on one block finish before the next block is touched.
 */
export function fhtStages(a: usize, n: i32, M: i32, w: i32, twc: usize, tws: usize, cacheElems: i32): void {
  fhtStagesOf<f32>(a, n, M, <usize>w << 2, twc, tws, cacheElems);
}

/** {@link fhtStages} in float64 (f64x2): w float64 lanes, twiddle tables of float64. */
export function fhtStages64(a: usize, n: i32, M: i32, w: i32, twc: usize, tws: usize, cacheElems: i32): void {
  fhtStagesOf<f64>(a, n, M, <usize>w << 3, twc, tws, cacheElems);
}

// ---------------------------------------------------------------------------------------------
// Odd-radix stages (the mixed-radix part): see src/odd-radix-stage.ts for the derivation.

/**
 * Radix-3 stage merging blocks of length L into blocks of 3L, for every 3L block of n elements
 * (lanes of type T, rowBytes per element). rot holds cos/sin(2πrj/(3L)) for r = 1, 2 at
 * (j·4 + 0,1,2,3) = (c1, s1, c2, s2), j ≤ L/2, as T.
 */
// @ts-ignore: decorator
@inline function oddStage3Of<T>(a: usize, n: i32, L: i32, rowBytes: usize, rot: usize): void {
  const span = 3 * L;
  const jMax = L >> 1;
  const S = v128.splat<T>(<T>(Math.sqrt(3) / 2));
  const H = v128.splat<T>(<T>0.5);
  const lb = <usize>L * rowBytes;
  const es = <usize>sizeof<T>();
  for (let b = 0; b < n; b += span) {
    const p0 = a + <usize>b * rowBytes;
    for (let j = 0; j <= jMax; j++) {
      const jm = j == 0 ? 0 : L - j;
      const t = rot + (<usize>j << 2) * es;
      const c1 = v128.splat<T>(load<T>(t));
      const s1 = v128.splat<T>(load<T>(t + es));
      const c2 = v128.splat<T>(load<T>(t + 2 * es));
      const s2 = v128.splat<T>(load<T>(t + 3 * es));
      const pj = p0 + <usize>j * rowBytes;
      const pm = p0 + <usize>jm * rowBytes;
      const self = j == jm;
      for (let o: usize = 0; o < rowBytes; o += 16) {
        const z0r = v128.load(pj + o);
        const z0i = v128.load(pm + o);
        let x = v128.load(pj + lb + o);
        let y = v128.load(pm + lb + o);
        const z1r = v128.add<T>(v128.mul<T>(c1, x), v128.mul<T>(s1, y));
        const z1i = v128.sub<T>(v128.mul<T>(c1, y), v128.mul<T>(s1, x));
        x = v128.load(pj + 2 * lb + o);
        y = v128.load(pm + 2 * lb + o);
        const z2r = v128.add<T>(v128.mul<T>(c2, x), v128.mul<T>(s2, y));
        const z2i = v128.sub<T>(v128.mul<T>(c2, y), v128.mul<T>(s2, x));
        const sr = v128.add<T>(z1r, z2r);
        const si = v128.add<T>(z1i, z2i);
        const sRe = v128.mul<T>(S, v128.sub<T>(z1i, z2i));
        const sIm = v128.mul<T>(S, v128.sub<T>(z1r, z2r));
        const cRe = v128.sub<T>(z0r, v128.mul<T>(H, sr));
        const cIm = v128.sub<T>(z0i, v128.mul<T>(H, si));
        v128.store(pj + o, v128.add<T>(z0r, sr));
        v128.store(pj + lb + o, v128.add<T>(cRe, sRe));
        v128.store(pj + 2 * lb + o, v128.sub<T>(cRe, sRe));
        if (!self) {
          v128.store(pm + 2 * lb + o, v128.add<T>(z0i, si));
          v128.store(pm + lb + o, v128.sub<T>(cIm, sIm));
          v128.store(pm + o, v128.add<T>(cIm, sIm));
        }
      }
    }
  }
}

/** {@link oddStage3Of} on a float32 lane matrix of w lanes (float32 rotation table). */
export function oddStage3(a: usize, n: i32, L: i32, w: i32, rot: usize): void {
  oddStage3Of<f32>(a, n, L, <usize>w << 2, rot);
}

/** {@link oddStage3Of} on a float64 lane matrix of w lanes (f64x2, float64 rotation table). */
export function oddStage3_64(a: usize, n: i32, L: i32, w: i32, rot: usize): void {
  oddStage3Of<f64>(a, n, L, <usize>w << 3, rot);
}

/**
 * Generic odd prime radix R (lanes of type T, rowBytes per element): rot holds cos/sin(2πrj/(LR))
 * as pairs of T at (j·R + r)·2 (j ≤ L/2), dft holds cos/sin(2πrq/R) as pairs at
 * ((q−1)·half + (r−1))·2 for 1 ≤ q, r ≤ half = (R−1)/2.
 * scratch: 4·R elements (z re/im, then the half-sums and half-differences).
 */
// @ts-ignore: decorator
@inline function oddStageGenericOf<T>(a: usize, n: i32, L: i32, R: i32, rowBytes: usize, rot: usize, dft: usize, scratch: usize): void {
  const span = L * R;
  const jMax = L >> 1;
  const half = (R - 1) >> 1;
  const lb = <usize>L * rowBytes;
  const es = <usize>sizeof<T>();
  const zRe = scratch;
  const zIm = zRe + <usize>R * rowBytes;
  const sumRe = zIm + <usize>R * rowBytes;
  const sumIm = sumRe + <usize>half * rowBytes;
  const difRe = sumIm + <usize>half * rowBytes;
  const difIm = difRe + <usize>half * rowBytes;
  for (let b = 0; b < n; b += span) {
    const p0 = a + <usize>b * rowBytes;
    for (let j = 0; j <= jMax; j++) {
      const jm = j == 0 ? 0 : L - j;
      const self = j == jm;
      const pj = p0 + <usize>j * rowBytes;
      const pm = p0 + <usize>jm * rowBytes;
      for (let r = 0; r < R; r++) {
        const t = rot + (<usize>(j * R + r) << 1) * es;
        const c = v128.splat<T>(load<T>(t));
        const s = v128.splat<T>(load<T>(t + es));
        const off = <usize>r * lb;
        const zo = <usize>r * rowBytes;
        for (let o: usize = 0; o < rowBytes; o += 16) {
          const x = v128.load(pj + off + o);
          const y = v128.load(pm + off + o);
          v128.store(zRe + zo + o, v128.add<T>(v128.mul<T>(c, x), v128.mul<T>(s, y)));
          v128.store(zIm + zo + o, v128.sub<T>(v128.mul<T>(c, y), v128.mul<T>(s, x)));
        }
      }
      for (let o: usize = 0; o < rowBytes; o += 16) {
        let z0Re = v128.load(zRe + o);
        let z0Im = v128.load(zIm + o);
        for (let r = 1; r <= half; r++) {
          const pr = v128.load(zRe + <usize>r * rowBytes + o);
          const pi = v128.load(zIm + <usize>r * rowBytes + o);
          const mr = v128.load(zRe + <usize>(R - r) * rowBytes + o);
          const mi = v128.load(zIm + <usize>(R - r) * rowBytes + o);
          const so = <usize>(r - 1) * rowBytes + o;
          const sr = v128.add<T>(pr, mr);
          const si = v128.add<T>(pi, mi);
          v128.store(sumRe + so, sr);
          v128.store(sumIm + so, si);
          v128.store(difRe + so, v128.sub<T>(pr, mr));
          v128.store(difIm + so, v128.sub<T>(pi, mi));
          z0Re = v128.add<T>(z0Re, sr);
          z0Im = v128.add<T>(z0Im, si);
        }
        const dcRe = v128.load(zRe + o);
        const dcIm = v128.load(zIm + o);
        v128.store(pj + o, z0Re);
        if (!self) v128.store(pm + <usize>(R - 1) * lb + o, z0Im);
        // Two outputs q, q + 1 per pass: each half-sum and half-difference is loaded once for
        // both, and eight independent accumulators hide the add latency.
        let q = 1;
        for (; q < half; q += 2) {
          let cRe = dcRe;
          let cIm = dcIm;
          let sRe = v128.splat<T>(<T>0);
          let sIm = v128.splat<T>(<T>0);
          let cRe2 = dcRe;
          let cIm2 = dcIm;
          let sRe2 = v128.splat<T>(<T>0);
          let sIm2 = v128.splat<T>(<T>0);
          const row = dft + (<usize>((q - 1) * half) << 1) * es;
          const row2 = row + (<usize>half << 1) * es;
          for (let r = 0; r < half; r++) {
            const to = (<usize>r << 1) * es;
            const c = v128.splat<T>(load<T>(row + to));
            const s = v128.splat<T>(load<T>(row + to + es));
            const c2 = v128.splat<T>(load<T>(row2 + to));
            const s2 = v128.splat<T>(load<T>(row2 + to + es));
            const so = <usize>r * rowBytes + o;
            const sr = v128.load(sumRe + so);
            const si = v128.load(sumIm + so);
            const di = v128.load(difIm + so);
            const dr = v128.load(difRe + so);
            cRe = v128.add<T>(cRe, v128.mul<T>(c, sr));
            cIm = v128.add<T>(cIm, v128.mul<T>(c, si));
            sRe = v128.add<T>(sRe, v128.mul<T>(s, di));
            sIm = v128.add<T>(sIm, v128.mul<T>(s, dr));
            cRe2 = v128.add<T>(cRe2, v128.mul<T>(c2, sr));
            cIm2 = v128.add<T>(cIm2, v128.mul<T>(c2, si));
            sRe2 = v128.add<T>(sRe2, v128.mul<T>(s2, di));
            sIm2 = v128.add<T>(sIm2, v128.mul<T>(s2, dr));
          }
          storeOddOutputs<T>(pj, pm, q, R, lb, o, self, cRe, cIm, sRe, sIm);
          storeOddOutputs<T>(pj, pm, q + 1, R, lb, o, self, cRe2, cIm2, sRe2, sIm2);
        }
        if (q == half) {
          let cRe = dcRe;
          let cIm = dcIm;
          let sRe = v128.splat<T>(<T>0);
          let sIm = v128.splat<T>(<T>0);
          const row = dft + (<usize>((q - 1) * half) << 1) * es;
          for (let r = 0; r < half; r++) {
            const c = v128.splat<T>(load<T>(row + (<usize>r << 1) * es));
            const s = v128.splat<T>(load<T>(row + (<usize>r << 1) * es + es));
            const so = <usize>r * rowBytes + o;
            cRe = v128.add<T>(cRe, v128.mul<T>(c, v128.load(sumRe + so)));
            cIm = v128.add<T>(cIm, v128.mul<T>(c, v128.load(sumIm + so)));
            sRe = v128.add<T>(sRe, v128.mul<T>(s, v128.load(difIm + so)));
            sIm = v128.add<T>(sIm, v128.mul<T>(s, v128.load(difRe + so)));
          }
          storeOddOutputs<T>(pj, pm, q, R, lb, o, self, cRe, cIm, sRe, sIm);
        }
      }
    }
  }
}

/** Z_q = C + (sRe − i·sIm), Z_{R−q} = C − (sRe − i·sIm): the outputs j + qL, j + (R−q)L and their mirrors. */
// @ts-ignore: decorator
@inline function storeOddOutputs<T>(pj: usize, pm: usize, q: i32, R: i32, lb: usize, o: usize, self: bool, cRe: v128, cIm: v128, sRe: v128, sIm: v128): void {
  v128.store(pj + <usize>q * lb + o, v128.add<T>(cRe, sRe));
  v128.store(pj + <usize>(R - q) * lb + o, v128.sub<T>(cRe, sRe));
  if (!self) {
    v128.store(pm + <usize>(R - 1 - q) * lb + o, v128.sub<T>(cIm, sIm));
    v128.store(pm + <usize>(q - 1) * lb + o, v128.add<T>(cIm, sIm));
  }
}

/** {@link oddStageGenericOf} on a float32 lane matrix of w lanes (float32 tables). */
export function oddStageGeneric(a: usize, n: i32, L: i32, R: i32, w: i32, rot: usize, dft: usize, scratch: usize): void {
  oddStageGenericOf<f32>(a, n, L, R, <usize>w << 2, rot, dft, scratch);
}

/** {@link oddStageGenericOf} on a float64 lane matrix of w lanes (f64x2, float64 tables). */
export function oddStageGeneric64(a: usize, n: i32, L: i32, R: i32, w: i32, rot: usize, dft: usize, scratch: usize): void {
  oddStageGenericOf<f64>(a, n, L, R, <usize>w << 3, rot, dft, scratch);
}

// ---------------------------------------------------------------------------------------------
// 1D: the last two radix-2 stages, across the four lanes

/**
 * Combines the four lane transforms of a 1D DHT of length 4L (lane r = DHT of x[4j + r]) into
 * out[k], k < 4L, times `scale`. For k = j + qL, with P_r = V[j]_r·cos θ_r + V[−j]_r·sin θ_r and
 * Q_r = V[−j]_r·cos θ_r − V[j]_r·sin θ_r (θ_r = 2πrj/(4L); θ_0 = 0, so P_0 = V[j]_0):
 *   out[j]    = P0 + P1 + P2 + P3     out[j + L]  = P0 + Q1 − P2 − Q3
 *   out[j+2L] = P0 − P1 + P2 − P3     out[j + 3L] = P0 − Q1 − P2 + Q3
 * Four j at a time: two 4×4 transposes turn the rows V[j..j+3] and V[−j..−j−3] into one vector
 * per lane r over the four j, so the twiddles are contiguous loads from six tables of L floats
 * at tw (cos θ_1, sin θ_1, cos θ_2, sin θ_2, cos θ_3, sin θ_3); the remainder one j at a time.
 */
export function combine4(v: usize, out: usize, L: i32, tw: usize, scale: f32): void {
  const sc = f32x4.splat(scale);
  const lb = <usize>L << 2;
  let j = 0;
  for (; j + 4 <= L; j += 4) {
    const r0 = v128.load(v + (<usize>j << 4));
    const r1 = v128.load(v + (<usize>(j + 1) << 4));
    const r2 = v128.load(v + (<usize>(j + 2) << 4));
    const r3 = v128.load(v + (<usize>(j + 3) << 4));
    const m0 = v128.load(v + (<usize>(j == 0 ? 0 : L - j) << 4));
    const m1 = v128.load(v + (<usize>(L - j - 1) << 4));
    const m2 = v128.load(v + (<usize>(L - j - 2) << 4));
    const m3 = v128.load(v + (<usize>(L - j - 3) << 4));
    // A_r = (V[j .. j+3]_r), B_r = (V[−j .. −j−3]_r).
    let t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
    let t1 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
    let t2 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
    let t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
    const A0 = v128.shuffle<f32>(t0, t1, 0, 1, 4, 5);
    const A1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
    const A2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
    const A3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
    t0 = v128.shuffle<f32>(m0, m1, 0, 4, 1, 5);
    t1 = v128.shuffle<f32>(m2, m3, 0, 4, 1, 5);
    t2 = v128.shuffle<f32>(m0, m1, 2, 6, 3, 7);
    t3 = v128.shuffle<f32>(m2, m3, 2, 6, 3, 7);
    const B1 = v128.shuffle<f32>(t0, t1, 2, 3, 6, 7);
    const B2 = v128.shuffle<f32>(t2, t3, 0, 1, 4, 5);
    const B3 = v128.shuffle<f32>(t2, t3, 2, 3, 6, 7);
    const tj = tw + (<usize>j << 2);
    const c1 = v128.load(tj);
    const s1 = v128.load(tj + lb);
    const c2 = v128.load(tj + 2 * lb);
    const s2 = v128.load(tj + 3 * lb);
    const c3 = v128.load(tj + 4 * lb);
    const s3 = v128.load(tj + 5 * lb);
    const P1 = f32x4.add(f32x4.mul(A1, c1), f32x4.mul(B1, s1));
    const Q1 = f32x4.sub(f32x4.mul(B1, c1), f32x4.mul(A1, s1));
    const P2 = f32x4.add(f32x4.mul(A2, c2), f32x4.mul(B2, s2));
    const P3 = f32x4.add(f32x4.mul(A3, c3), f32x4.mul(B3, s3));
    const Q3 = f32x4.sub(f32x4.mul(B3, c3), f32x4.mul(A3, s3));
    const e = f32x4.add(A0, P2);
    const d = f32x4.sub(A0, P2);
    const f = f32x4.add(P1, P3);
    const g = f32x4.sub(Q1, Q3);
    const o = out + (<usize>j << 2);
    v128.store(o, f32x4.mul(f32x4.add(e, f), sc));
    v128.store(o + lb, f32x4.mul(f32x4.add(d, g), sc));
    v128.store(o + 2 * lb, f32x4.mul(f32x4.sub(e, f), sc));
    v128.store(o + 3 * lb, f32x4.mul(f32x4.sub(d, g), sc));
  }
  for (; j < L; j++) {
    const a = v + (<usize>j << 4);
    const b = v + (<usize>(j == 0 ? 0 : L - j) << 4);
    const tj = tw + (<usize>j << 2);
    const c1 = load<f32>(tj);
    const s1 = load<f32>(tj + lb);
    const c2 = load<f32>(tj + 2 * lb);
    const s2 = load<f32>(tj + 3 * lb);
    const c3 = load<f32>(tj + 4 * lb);
    const s3 = load<f32>(tj + 5 * lb);
    const P0 = load<f32>(a);
    const P1 = load<f32>(a, 4) * c1 + load<f32>(b, 4) * s1;
    const Q1 = load<f32>(b, 4) * c1 - load<f32>(a, 4) * s1;
    const P2 = load<f32>(a, 8) * c2 + load<f32>(b, 8) * s2;
    const P3 = load<f32>(a, 12) * c3 + load<f32>(b, 12) * s3;
    const Q3 = load<f32>(b, 12) * c3 - load<f32>(a, 12) * s3;
    const o = out + (<usize>j << 2);
    store<f32>(o, (P0 + P2 + (P1 + P3)) * scale);
    store<f32>(o + lb, (P0 - P2 + (Q1 - Q3)) * scale);
    store<f32>(o + 2 * lb, (P0 + P2 - (P1 + P3)) * scale);
    store<f32>(o + 3 * lb, (P0 - P2 - (Q1 - Q3)) * scale);
  }
}

// ---------------------------------------------------------------------------------------------
// 1D float64: the last radix-2 stage, across the two lanes

/**
 * Combines the two lane transforms of a float64 1D DHT of length 2L (lane r = DHT of x[2j + r],
 * element j = the f64x2 (V0[j], V1[j])) into out[k], k < 2L, times `scale`:
 *   out[k] = V0[k] + T[k],  out[k + L] = V0[k] − T[k],  T[k] = V1[k]·cos θ + V1[−k]·sin θ,
 * θ = 2πk/(2L) (tables cos/sin at k, float64). Two k at a time; the last k alone when L is odd.
 */
export function combine2(v: usize, out: usize, L: i32, twc: usize, tws: usize, scale: f64): void {
  const sc = f64x2.splat(scale);
  const lb = <usize>L << 3;
  let k = 0;
  for (; k + 2 <= L; k += 2) {
    const a = v128.load(v + (<usize>k << 4));
    const b = v128.load(v + (<usize>(k + 1) << 4));
    const c = v128.load(v + (<usize>(k == 0 ? 0 : L - k) << 4));
    const d = v128.load(v + (<usize>(L - k - 1) << 4));
    const e = v128.shuffle<f64>(a, b, 0, 2);
    const o = v128.shuffle<f64>(a, b, 1, 3);
    const om = v128.shuffle<f64>(c, d, 1, 3);
    const t = f64x2.add(f64x2.mul(o, v128.load(twc + (<usize>k << 3))), f64x2.mul(om, v128.load(tws + (<usize>k << 3))));
    const to = out + (<usize>k << 3);
    v128.store(to, f64x2.mul(f64x2.add(e, t), sc));
    v128.store(to + lb, f64x2.mul(f64x2.sub(e, t), sc));
  }
  if (k < L) {
    const e = load<f64>(v + (<usize>k << 4));
    const o = load<f64>(v + (<usize>k << 4), 8);
    const om = load<f64>(v + (<usize>(k == 0 ? 0 : L - k) << 4), 8);
    const t = o * load<f64>(twc + (<usize>k << 3)) + om * load<f64>(tws + (<usize>k << 3));
    const to = out + (<usize>k << 3);
    store<f64>(to, (e + t) * scale);
    store<f64>(to + lb, (e - t) * scale);
  }
}

// ---------------------------------------------------------------------------------------------
// Bluestein (chirp-z) steps of a float32 DHT of any length; see src/bluestein-plan.ts

/** re[j] = x[j]·c[j], im[j] = −x[j]·s[j] for j < n (the input times the conjugate chirp). */
export function chirpIn(x: usize, c: usize, s: usize, re: usize, im: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const o = <usize>j << 2;
    const v = v128.load(x + o);
    v128.store(re + o, f32x4.mul(v, v128.load(c + o)));
    v128.store(im + o, f32x4.neg(f32x4.mul(v, v128.load(s + o))));
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const v = load<f32>(x + o);
    store<f32>(re + o, v * load<f32>(c + o));
    store<f32>(im + o, -(v * load<f32>(s + o)));
  }
}

/**
 * The Hartley-domain product with the even chirp, in place for k < m (m a multiple of 4):
 * (re, im) ← (re·br − im·bi, re·bi + im·br).
 */
export function chirpProduct(re: usize, im: usize, br: usize, bi: usize, m: i32): void {
  for (let k = 0; k < m; k += 4) {
    const o = <usize>k << 2;
    const ar = v128.load(re + o);
    const ai = v128.load(im + o);
    const cr = v128.load(br + o);
    const ci = v128.load(bi + o);
    v128.store(re + o, f32x4.sub(f32x4.mul(ar, cr), f32x4.mul(ai, ci)));
    v128.store(im + o, f32x4.add(f32x4.mul(ar, ci), f32x4.mul(ai, cr)));
  }
}

/** out[k] = scale·(c·re + s·im − (c·im − s·re)) for k < n: H = Re F − Im F of F = conj(chirp)·(re + i·im). */
export function chirpOut(re: usize, im: usize, c: usize, s: usize, out: usize, n: i32, scale: f32): void {
  const sc = f32x4.splat(scale);
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const o = <usize>k << 2;
    const xr = v128.load(re + o);
    const xi = v128.load(im + o);
    const cc = v128.load(c + o);
    const ss = v128.load(s + o);
    const real = f32x4.add(f32x4.mul(cc, xr), f32x4.mul(ss, xi));
    const imag = f32x4.sub(f32x4.mul(cc, xi), f32x4.mul(ss, xr));
    v128.store(out + o, f32x4.mul(f32x4.sub(real, imag), sc));
  }
  for (; k < n; k++) {
    const o = <usize>k << 2;
    const xr = load<f32>(re + o);
    const xi = load<f32>(im + o);
    const cc = load<f32>(c + o);
    const ss = load<f32>(s + o);
    store<f32>(out + o, (cc * xr + ss * xi - (cc * xi - ss * xr)) * scale);
  }
}
