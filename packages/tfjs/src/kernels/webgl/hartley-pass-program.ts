/**
 * The WebGL program of one Hartley pass (see ../gpu-common/hartley-pass-plan.ts for the formula):
 * one fragment per output element, a gather of 2p−1 values of the previous buffer
 * and p−1 twiddle pairs. Shape constants are baked into the source (tfjs caches one
 * compiled program per source and input shapes); the scale is a uniform so that
 * `scale` values do not each compile a program.
 */
import type { HartleyPass } from '../gpu-common/hartley-pass-plan';

/** Structural copy of tfjs-backend-webgl's GPGPUProgram (only the members used). */
export interface WebGLPassProgram {
  variableNames: string[];
  outputShape: number[];
  userCode: string;
  customUniforms: Array<{ name: string; type: 'float' }>;
}

/** Input names: `A` is the previous buffer [rows, N], `Tw` the twiddle table [N, 2]. */
export function createWebGLPassProgram(rows: number, n: number, pass: HartleyPass): WebGLPassProgram {
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
