/**
 * The WebGL programs of one Hartley pass (see ../gpu-common/hartley-pass-plan.ts for the
 * formula), in two texture layouts (a third, `mirrored`, in ./mirrored-pass-program.ts
 * builds on the packed one and is the kernel's default where the schedule allows):
 *
 * * `gather` — unpacked textures, one fragment per output element, 2p−1 reads of the
 *   previous buffer and p−1 twiddle pairs from the table (2p−1 + 2(p−1) fetches per output).
 * * `packed` — tfjs's packed layout (each RGBA texel holds the 2×2 block rows r..r+1,
 *   columns c..c+1), one fragment per texel: each fetch of the previous buffer serves both
 *   rows, and when L is even and Lp is 1 or even (every pass of a power-of-two length) the
 *   two columns k, k+1 share fetches too — 3(p−1)+1 fetches for 4 outputs (p with Lp = 1),
 *   else 2·(2p−1). One twiddle fetch per texel (the packed table holds cos/sin of two
 *   angles per texel); the other powers come from complex multiplication in the shader.
 *   At radix 4 that is ~2.75 fetches per output against 13, and 4× fewer fragments
 *   (SwiftShader pays per fetch and per fragment).
 *
 * Shape constants are baked into the source (tfjs caches one compiled program per source
 * and input shapes); the scale is a uniform so that `scale` values do not each compile a
 * program.
 */
import type { HartleyPass } from '../gpu-common/hartley-pass-plan';

/** Structural copy of tfjs-backend-webgl's GPGPUProgram (only the members used). */
export interface WebGLPassProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms: Array<{ name: string; type: 'float' }>;
  packedInputs?: boolean;
  packedOutput?: boolean;
}

/**
 * Longest chain of twiddle rotations a packed pass uses (radix ≤ 16, the direct passes
 * included); larger radices read every power from the table. Measured against the cpu
 * kernel: the rotated powers' float32 error grows with p (at p = 61 as large as a whole
 * Bluestein stage's, at 509 5× that).
 */
export const MAX_ROTATED_POWERS = 15;

/**
 * Texture layout of the pass programs (see the module comment; `mirrored` in
 * ./mirrored-pass-program.ts: packed, with the intermediate buffers in mirrored pairs).
 */
export type WebGLPassLayout = 'gather' | 'packed' | 'mirrored';

/**
 * Builds the pass program of `layout` ('gather' or 'packed'; the `mirrored` schedule's
 * programs come from ./mirrored-pass-program.ts). Inputs: `A` the previous buffer
 * [rows, N], `Tw` the twiddle table [N, 2].
 */
export function createWebGLPassProgram(rows: number, n: number, pass: HartleyPass, layout: WebGLPassLayout = 'gather'): WebGLPassProgram {
  return layout === 'gather' ? createGatherPassProgram(rows, n, pass) : createPackedPassProgram(rows, n, pass);
}

/** One fragment per output element (unpacked `A`, `Tw` and output). */
function createGatherPassProgram(rows: number, n: number, pass: HartleyPass): WebGLPassProgram {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  // With Lp = 1 (first pass) both reads of a term hit the same element: one read, cas = cos + sin.
  const term =
    lp === 1
      ? `acc += (getTw(t, 0) + getTw(t, 1)) * getA(row, base);`
      : `acc += getTw(t, 0) * getA(row, base + kp) + getTw(t, 1) * getA(row, base + kn);`;
  const userCode = `
    void main() {
      ivec2 coords = getOutputCoords();
      int row = coords.x;
      int q = coords.y;
      int j = q / ${l};
      int k = q - j * ${l};
      int kp = k - (k / ${lp}) * ${lp};
      int kn = kp == 0 ? 0 : ${lp} - kp;
      int base = j * ${lp};
      float acc = getA(row, base + kp);
      int m = 0;
      for (int i = 1; i < ${p}; i++) {
        base += ${r * lp};
        // m = k·i mod L, advanced without a multiply-and-mod per term.
        m += k;
        if (m >= ${l}) { m -= ${l}; }
        int t = m * ${r};
        ${term}
      }
      setOutput(acc * scale);
    }
  `;
  return {
    variableNames: ['A', 'Tw'],
    outputShape: [rows, n],
    userCode,
    customUniforms: [{ name: 'scale', type: 'float' }],
  };
}


/**
 * GLSL helpers of the packed passes: both rows of column c of a packed texel of `A` (lanes
 * (x, z) for even c, (y, w) for odd c); (cos, sin) of 2π·t/N from the packed twiddle table, whose
 * rows t and t+1 share a texel (t even: .xy, odd: .zw); complex rotation of a by b.
 */
export const PACKED_READERS_GLSL = `
    vec2 pairA(int row, int c) {
      vec4 t = getA(row, c);
      return (c & 1) == 0 ? t.xz : t.yw;
    }
    vec2 root(int t) {
      vec4 v = getTw(t, 0);
      return (t & 1) == 0 ? v.xy : v.zw;
    }
    vec2 rotate(vec2 a, vec2 b) {
      return vec2(a.x * b.x - a.y * b.y, a.y * b.x + a.x * b.y);
    }`;

/**
 * One fragment per packed texel (packed `A`, `Tw` and output): columns q and q+1 of rows
 * `row` and `row`+1, each column on its own (odd L or odd Lp > 1; the other passes share
 * reads between the two columns, see {@link createPairedPassProgram}). Padding lanes
 * (row + 1 = rows or q + 1 = N for odd sizes) are written as 0, as tfjs's own pack
 * program does: packed matMul multiplies them (by zeros, so a NaN there would spread).
 */
function createPackedPassProgram(rows: number, n: number, pass: HartleyPass): WebGLPassProgram {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  if (l % 2 === 0 && (lp === 1 || lp % 2 === 0)) return createPairedPassProgram(rows, n, pass);
  // Both rows of column c of a packed texel: lanes (x, z) for even c, (y, w) for odd c.
  // With Lp = 1 both reads of a term hit the same element: one read, cas = cos + sin.
  const term =
    lp === 1
      ? `acc += (w.x + w.y) * pairA(row, base);`
      : `acc += w.x * pairA(row, base + kp) + w.y * pairA(row, base + kn);`;
  const userCode = `
    ${PACKED_READERS_GLSL}
    vec2 column(int row, int q) {
      int j = q / ${l};
      int k = q - j * ${l};
      int kp = k - (k / ${lp}) * ${lp};
      int kn = kp == 0 ? 0 : ${lp} - kp;
      int base = j * ${lp};
      vec2 acc = pairA(row, base + kp);
      ${
        p <= MAX_ROTATED_POWERS + 1
          ? `// Term i needs cas(2π·k·i/L) = w1^i with w1 = (cos, sin)(2π·k/L) = table[k·R]:
      // one fetch, the higher powers by rotation (exact at the quarter turns).
      vec2 w1 = root(k * ${r});
      vec2 w = w1;
      for (int i = 1; i < ${p}; i++) {
        base += ${r * lp};
        ${term}
        w = rotate(w, w1);
      }`
          : `// Large p: every power from the table (m = k·i mod L), as rotations would accumulate error.
      int m = 0;
      for (int i = 1; i < ${p}; i++) {
        base += ${r * lp};
        m += k;
        if (m >= ${l}) { m -= ${l}; }
        vec2 w = root(m * ${r});
        ${term}
      }`
      }
      return acc;
    }
    void main() {
      ivec2 coords = getOutputCoords();
      int row = coords.x;
      int q = coords.y;
      vec2 c0 = column(row, q);
      vec2 c1 = q + 1 < ${n} ? column(row, q + 1) : vec2(0.0);
      ${packedResult('vec4(c0.x, c1.x, c0.y, c1.y)', rows)}
    }
  `;
  return packedPassProgram(rows, n, userCode);
}

/** cos/sin of 2π/L (L even) as GLSL float literals, exact at the half and quarter turn. */
export function unitRoot(l: number): [string, string] {
  const literal = (v: number) => (Number.isInteger(v) ? `${v}.0` : v.toPrecision(9));
  if (l === 2) return ['-1.0', '0.0'];
  if (l === 4) return ['0.0', '1.0'];
  return [literal(Math.cos((2 * Math.PI) / l)), literal(Math.sin((2 * Math.PI) / l))];
}

/**
 * The packed pass when L is even and Lp is 1 or even: the texel's columns q and q+1 are
 * outputs k and k+1 of the same sub-transform, and their reads overlap. With Lp = 1 both
 * read the same p elements (one fetch per term for the texel); with Lp even, k is even,
 * so A[base+k mod Lp] and A[base+(k+1) mod Lp] share a texel and each term costs 3
 * fetches instead of 4. The twiddle of k+1 is that of k rotated by 2π/L (a literal).
 */
function createPairedPassProgram(rows: number, n: number, pass: HartleyPass): WebGLPassProgram {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  const [cosStep, sinStep] = unitRoot(l);
  // The powers u0 = w0^i, u1 = w1^i of term i: by rotation, or for large p from the table
  // (m0 = k·i mod L, m1 = (k+1)·i mod L) — see MAX_ROTATED_POWERS.
  const { before: advanceBefore, after: advanceAfter } = twiddlePowersGlsl(p, l, r, 'k', 'k + 1');
  const body =
    lp === 1
      ? naturalTermLoopGlsl(p, r, advanceBefore, advanceAfter)
      : `
      int kp = k - (k / ${lp}) * ${lp};
      // kp is even: (k+1) mod Lp = kp + 1 (same texel); the mirrored reads are kn0 (even) and kn1 (odd).
      int kn0 = kp == 0 ? 0 : ${lp} - kp;
      int kn1 = ${lp - 1} - kp;
      int base = j * ${lp};
      vec4 t = getA(row, base + kp);
      vec2 acc0 = t.xz;
      vec2 acc1 = t.yw;
      for (int i = 1; i < ${p}; i++) {
        ${advanceBefore}
        base += ${r * lp};
        t = getA(row, base + kp);
        acc0 += u0.x * t.xz + u0.y * getA(row, base + kn0).xz;
        acc1 += u1.x * t.yw + u1.y * getA(row, base + kn1).yw;
        ${advanceAfter}
      }`;
  const userCode = `
    ${PACKED_READERS_GLSL}
    void main() {
      ivec2 coords = getOutputCoords();
      int row = coords.x;
      int q = coords.y;
      int j = q / ${l};
      int k = q - j * ${l};
      vec2 w0 = root(k * ${r});
      vec2 w1 = rotate(w0, vec2(${cosStep}, ${sinStep}));
      vec2 u0 = w0;
      vec2 u1 = w1;
      int m0 = 0;
      int m1 = 0;
      ${body}
      ${packedResult('vec4(acc0.x, acc1.x, acc0.y, acc1.y)', rows)}
    }
  `;
  return packedPassProgram(rows, n, userCode);
}

/**
 * The twiddle powers u0 = w0^i, u1 = w1^i of a fragment's two outputs (indices `k0`, `k1`, GLSL
 * expressions) in a term loop: rotation by w0, w1 after each term for p ≤ MAX_ROTATED_POWERS + 1,
 * else one table read per term before it (m0 = k0·i mod L, m1 = k1·i mod L; rotation error grows
 * with p). Shared by the packed and mirrored pass programs.
 */
export function twiddlePowersGlsl(p: number, l: number, r: number, k0: string, k1: string): { before: string; after: string } {
  if (p <= MAX_ROTATED_POWERS + 1) return { before: '', after: 'u0 = rotate(u0, w0);\n        u1 = rotate(u1, w1);' };
  return {
    before: `m0 += ${k0};
        if (m0 >= ${l}) { m0 -= ${l}; }
        m1 += ${k1};
        if (m1 >= ${l}) { m1 -= ${l}; }
        u0 = root(m0 * ${r});
        u1 = root(m1 * ${r});`,
    after: '',
  };
}

/**
 * The term loop of a first pass (Lp = 1) over tfjs's natural packed layout: term i of both
 * outputs is the single element j + R·i, weighted by cas = cos + sin of each output's power.
 * Shared by the packed and mirrored pass programs.
 */
export function naturalTermLoopGlsl(p: number, r: number, before: string, after: string): string {
  return `
      int base = j;
      vec2 a = pairA(row, base);
      vec2 acc0 = a;
      vec2 acc1 = a;
      for (int i = 1; i < ${p}; i++) {
        ${before}
        base += ${r};
        a = pairA(row, base);
        acc0 += (u0.x + u0.y) * a;
        acc1 += (u1.x + u1.y) * a;
        ${after}
      }`;
}

/**
 * Writes a packed 2×2 texel scaled; the second row's lanes are 0 past the last row, because
 * tfjs's packed matMul multiplies padding lanes and a stale value there would leak into sums.
 */
export function packedResult(texel: string, rows: number): string {
  return `vec4 result = ${texel} * scale;
      if (row + 1 >= ${rows}) { result.zw = vec2(0.0); }
      setOutput(result);`;
}

/** The program object of a packed pass: packed `A` and `Tw` in, packed [rows, n] out. */
export function packedPassProgram(rows: number, n: number, userCode: string): WebGLPassProgram {
  return {
    variableNames: ['A', 'Tw'],
    outputShape: [rows, n],
    userCode,
    customUniforms: [{ name: 'scale', type: 'float' }],
    packedInputs: true,
    packedOutput: true,
  };
}
