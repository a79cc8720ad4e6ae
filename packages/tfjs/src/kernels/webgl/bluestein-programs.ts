/**
 * The WebGL programs of the Bluestein stage (formulas in ../gpu-common/bluestein-stage.ts): one
 * fragment per output element. Buffers of the convolution are [2V, M] with V = rows·R
 * virtual rows (row, j): row 2v holds the real part, row 2v+1 the imaginary part.
 * Shape constants are baked into the source; the scale is a uniform.
 */
import type { BluesteinStage } from '../gpu-common/bluestein-stage';
import type { WebGLPassProgram } from './hartley-pass-program';

/** Structural copy of tfjs-backend-webgl's GPGPUProgram, uniforms optional. */
export type WebGLStageProgram = Omit<WebGLPassProgram, 'customUniforms'> & { customUniforms?: WebGLPassProgram['customUniforms'] };

/**
 * Chirp-in: `X` [rows, N], `Ch` [Q, 2] → [2V, M]; element j of virtual row (row, j0)
 * is x[row, j0 + R·j] times cos (real row) or −sin (imaginary row) of the chirp,
 * zero for j ≥ Q.
 */
export function createChirpInProgram(rows: number, stage: BluesteinStage): WebGLStageProgram {
  const { length: q, stride: r, convLength: m } = stage;
  return {
    variableNames: ['X', 'Ch'],
    outputShape: [2 * rows * r, m],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        int vr = coords.x;
        int j = coords.y;
        float result = 0.0;
        if (j < ${q}) {
          int v = vr / 2;
          int h = vr - 2 * v;
          int row = v / ${r};
          int j0 = v - row * ${r};
          float x = getX(row, j0 + ${r} * j);
          result = h == 0 ? x * getCh(j, 0) : -x * getCh(j, 1);
        }
        setOutput(result);
      }
    `,
  };
}

/**
 * Pointwise product with the chirp's spectrum: `Y` [2V, M] (DHT of the modulated
 * pair), `Sp` [M, 2] → [2V, M]: re' = re·B − im·B', im' = re·B' + im·B.
 */
export function createChirpProductProgram(rows: number, stage: BluesteinStage): WebGLStageProgram {
  return {
    variableNames: ['Y', 'Sp'],
    outputShape: [2 * rows * stage.stride, stage.convLength],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        int vr = coords.x;
        int k = coords.y;
        int h = vr - (vr / 2) * 2;
        int b = vr - h;
        float re = getY(b, k);
        float im = getY(b + 1, k);
        float bc = getSp(k, 0);
        float bs = getSp(k, 1);
        setOutput(h == 0 ? re * bc - im * bs : re * bs + im * bc);
      }
    `,
  };
}

/**
 * Chirp-out: `W` [2V, M] (the convolution), `Ch` [Q, 2] → [rows, N] in the Stockham
 * layout (position j0·Q + k of a row holds H[k] of sub-sequence j0), times `scale`.
 */
export function createChirpOutProgram(rows: number, stage: BluesteinStage): WebGLPassProgram {
  const { length: q, stride: r } = stage;
  return {
    variableNames: ['W', 'Ch'],
    outputShape: [rows, q * r],
    userCode: `
      void main() {
        ivec2 coords = getOutputCoords();
        int row = coords.x;
        int p = coords.y;
        int j0 = p / ${q};
        int k = p - j0 * ${q};
        int v = row * ${r} + j0;
        float re = getW(2 * v, k);
        float im = getW(2 * v + 1, k);
        float c = getCh(k, 0);
        float s = getCh(k, 1);
        setOutput(((c + s) * re + (s - c) * im) * scale);
      }
    `,
    customUniforms: [{ name: 'scale', type: 'float' }],
  };
}
