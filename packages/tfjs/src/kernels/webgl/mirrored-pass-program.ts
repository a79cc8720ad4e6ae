/**
 * The `mirrored` pass schedule of the webgl DHT: packed textures whose intermediate
 * buffers hold each sub-transform in mirrored pairs, so one fetch per term serves a whole
 * 2×2 texel of outputs.
 *
 * A Hartley pass (../gpu-common/hartley-pass-plan.ts) computes output k of a length-L
 * sub-transform from A_i[k mod Lp] and its mirror A_i[(−k) mod Lp] of p sub-transforms of
 * length Lp; output L − k reads exactly the same two elements (with the sine negated). In
 * natural order those two elements lie in different texels, so the packed pass
 * (./hartley-pass-program.ts) needs 3 fetches per term for its texel of two columns. Here
 * the buffers between passes keep, in texel column b·Lp/2 + e of block b, the pair
 * (e, Lp − e) for 1 ≤ e < Lp/2 and (0, Lp/2) for e = 0, two rows each (lanes x, y: first
 * and second element of row r; z, w: of row r + 1). A fragment then computes outputs k and
 * L − k (0 and L/2 for e = 0) of two rows from one fetch per term and writes them as the
 * next buffer's pair: p + 1 fetches (one twiddle) for 4 outputs, against 3(p − 1) + 2.
 *
 * Only the buffers between passes are mirrored. The first pass reads the kernel's input in
 * tfjs's natural packed layout (Lp = 1: both outputs read the same single element, one
 * fetch per term, as before) and the last pass writes natural order, reading the pairs of
 * k and k + 1 (2 fetches per term). Needs every sub-transform length even (N even with a
 * factor 2 or 4 as the first radix, the webgl planner's order) and at least two passes;
 * other schedules (odd N, a single direct pass, the Bluestein stage) run the packed passes.
 * At radix 4 that is 1.25 fetches per output per pass between the first and the last, 2.25
 * in the last, against 2.75 for the packed passes.
 */
import type { HartleyPass, HartleyPassPlan } from '../gpu-common/hartley-pass-plan';
import { naturalTermLoopGlsl, PACKED_READERS_GLSL, packedPassProgram, packedResult, twiddlePowersGlsl, unitRoot, type WebGLPassProgram } from './hartley-pass-program';

/** Where a pass sits in the mirrored schedule: what layout it reads and writes. */
export type MirroredPassRole = 'first' | 'middle' | 'last';

/**
 * Whether `plan` can run as a mirrored schedule: two or more passes, the first reading
 * single elements (Lp = 1), every sub-transform length even, no Bluestein stage.
 */
export function supportsMirroredSchedule(plan: HartleyPassPlan & { bluestein?: unknown }): boolean {
  const { passes } = plan;
  return (plan.bluestein ?? null) === null && passes.length >= 2 && passes[0].inLength === 1 && passes.every((p) => p.outLength % 2 === 0);
}

/** The role of pass `index` of a schedule of `count` passes. */
export function mirroredRole(index: number, count: number): MirroredPassRole {
  return index === 0 ? 'first' : index === count - 1 ? 'last' : 'middle';
}

/**
 * GLSL: lanes of element m (of a block of length Lp) in its mirrored pair texel: the
 * second lane (y/w) for m ≥ Lp/2, else the first (x/z); and the texel column of the pair.
 */
function pairGlsl(lp: number): string {
  return `
    vec2 lanes(vec4 t, bool second) {
      return second ? t.yw : t.xz;
    }
    // Texel column (in element units, as the getter takes) of the pair of element m of block b.
    int pairColumn(int b, int m) {
      int mirror = m == 0 ? 0 : ${lp} - m;
      int e = 2 * m == ${lp} ? 0 : min(m, mirror);
      return 2 * (b * ${lp / 2} + e);
    }`;
}

/**
 * Builds the program of one pass of the mirrored schedule. Inputs: `A` the previous buffer
 * [rows, N] (natural packed layout for the first pass, mirrored pairs otherwise), `Tw` the
 * twiddle table [N, 2]; output [rows, N] (mirrored pairs, natural order for the last pass).
 */
export function createMirroredPassProgram(rows: number, n: number, pass: HartleyPass, role: MirroredPassRole): WebGLPassProgram {
  const { radix: p, inLength: lp, outLength: l, stride: r } = pass;
  const { before, after } = twiddlePowersGlsl(p, l, r, 'k0', 'k1');
  // Outputs of the fragment: k0, k1 of block j and their twiddles w0, w1 = cas angle 2π·k/L.
  const outputs =
    role === 'last'
      ? `
      int j = q / ${l};
      int k0 = q - j * ${l};
      int k1 = k0 + 1;
      vec2 w0 = root(k0 * ${r});
      vec2 w1 = rotate(w0, vec2(${unitRoot(l).join(', ')}));`
      : `
      int tc = q / 2;
      int j = tc / ${l / 2};
      int e = tc - j * ${l / 2};
      int k0 = e;
      int k1 = e == 0 ? ${l / 2} : ${l} - e;
      vec2 w0 = root(k0 * ${r});
      // 2π(L − e)/L is −2πe/L; 2π(L/2)/L is π.
      vec2 w1 = e == 0 ? vec2(-1.0, 0.0) : vec2(w0.x, -w0.y);`;
  let body: string;
  if (role === 'first') {
    // Lp = 1: the input is tfjs's natural packed layout, as for the packed passes.
    body = naturalTermLoopGlsl(p, r, before, after);
  } else {
    // Element kp = k mod Lp of sub-transform i and its mirror kn; second lane when ≥ Lp/2.
    const laneFlags = (k: string, s: string) => `
      int kp${s} = ${k} - (${k} / ${lp}) * ${lp};
      int kn${s} = kp${s} == 0 ? 0 : ${lp} - kp${s};
      bool sp${s} = 2 * kp${s} >= ${lp};
      bool sn${s} = 2 * kn${s} >= ${lp};`;
    const flags = laneFlags('k0', '0') + laneFlags('k1', '1');
    if (role === 'middle') {
      // k1 ≡ −k0 (mod Lp), or both in pair 0 when e = 0: one texel per term serves both outputs.
      body = `
      ${flags}
      int col = pairColumn(j, kp0);
      vec4 t = getA(row, col);
      vec2 acc0 = lanes(t, sp0);
      vec2 acc1 = lanes(t, sp1);
      for (int i = 1; i < ${p}; i++) {
        ${before}
        col += ${r * lp};
        t = getA(row, col);
        acc0 += u0.x * lanes(t, sp0) + u0.y * lanes(t, sn0);
        acc1 += u1.x * lanes(t, sp1) + u1.y * lanes(t, sn1);
        ${after}
      }`;
    } else {
      // Natural order out: k0 and k0 + 1 lie in different pairs, one texel each per term.
      body = `
      ${flags}
      int col0 = pairColumn(j, kp0);
      int col1 = pairColumn(j, kp1);
      vec4 t0 = getA(row, col0);
      vec4 t1 = getA(row, col1);
      vec2 acc0 = lanes(t0, sp0);
      vec2 acc1 = lanes(t1, sp1);
      for (int i = 1; i < ${p}; i++) {
        ${before}
        col0 += ${r * lp};
        col1 += ${r * lp};
        t0 = getA(row, col0);
        t1 = getA(row, col1);
        acc0 += u0.x * lanes(t0, sp0) + u0.y * lanes(t0, sn0);
        acc1 += u1.x * lanes(t1, sp1) + u1.y * lanes(t1, sn1);
        ${after}
      }`;
    }
  }
  const userCode = `
    ${PACKED_READERS_GLSL}
    ${role === 'first' ? '' : pairGlsl(lp)}
    void main() {
      ivec2 coords = getOutputCoords();
      int row = coords.x;
      int q = coords.y;
      ${outputs}
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
