/**
 * WebGPU programs of the Bluestein stage (formulas in ../gpu-common/bluestein-stage.ts): one
 * thread per output element, buffers flat. The convolution buffers are [2V, M] with
 * V = rows·R virtual rows: row 2v the real part, row 2v+1 the imaginary part. Constants
 * are baked into the source and named in `shaderKey`; the scale is a uniform.
 */
import type { BluesteinStage } from '../gpu-common/bluestein-stage';
import type { WebGPUPassProgram } from './hartley-pass-programs';

const WORKGROUP_SIZE = 64;

function program(name: string, variableNames: string[], outputShape: [number, number], body: string): WebGPUPassProgram {
  return {
    variableNames,
    outputShape,
    shaderKey: name,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil((outputShape[0] * outputShape[1]) / WORKGROUP_SIZE), 1, 1],
    workgroupSize: [WORKGROUP_SIZE, 1, 1],
    size: true,
    uniforms: 'scale : f32,',
    getUserCode: () => `
    fn main(index : i32) {
      if (index < uniforms.size) {
        ${body}
      }
    }
  `,
  };
}

/**
 * Chirp-in: `X` [rows, N], `Ch` [2Q] → [2V, M]: element j of virtual row (row, j0) is
 * x[row, j0 + R·j] times cos (real row) or −sin (imaginary row), zero for j ≥ Q.
 */
export function createChirpInProgram(rows: number, stage: BluesteinStage): WebGPUPassProgram {
  const { length: q, stride: r, convLength: m } = stage;
  return program(`sshBluesteinIn_q${q}_r${r}_m${m}`, ['X', 'Ch'], [2 * rows * r, m], `
        let vr = index / ${m};
        let j = index - vr * ${m};
        var result = 0.0;
        if (j < ${q}) {
          let v = vr / 2;
          let h = vr - 2 * v;
          let row = v / ${r};
          let j0 = v - row * ${r};
          let x = X[row * ${q * r} + j0 + ${r} * j];
          result = select(-x * Ch[2 * j + 1], x * Ch[2 * j], h == 0);
        }
        setOutputAtIndex(index, result);`);
}

/** Pointwise product: `Y` [2V, M], `Sp` [2M] → [2V, M]: re' = re·B − im·B', im' = re·B' + im·B. */
export function createChirpProductProgram(rows: number, stage: BluesteinStage): WebGPUPassProgram {
  const m = stage.convLength;
  return program(`sshBluesteinProduct_m${m}`, ['Y', 'Sp'], [2 * rows * stage.stride, m], `
        let vr = index / ${m};
        let k = index - vr * ${m};
        let h = vr - (vr / 2) * 2;
        let b = (vr - h) * ${m} + k;
        let re = Y[b];
        let im = Y[b + ${m}];
        let bc = Sp[2 * k];
        let bs = Sp[2 * k + 1];
        setOutputAtIndex(index, select(re * bs + im * bc, re * bc - im * bs, h == 0));`);
}

/**
 * Chirp-out: `W` [2V, M], `Ch` [2Q] → [rows, N] in the Stockham layout (position
 * j0·Q + k of a row holds H[k] of sub-sequence j0), times `scale`. Since N = Q·R, the
 * flat output index is v·Q + k with v = row·R + j0.
 */
export function createChirpOutProgram(rows: number, stage: BluesteinStage): WebGPUPassProgram {
  const { length: q, stride: r, convLength: m } = stage;
  return program(`sshBluesteinOut_q${q}_m${m}`, ['W', 'Ch'], [rows, q * r], `
        let v = index / ${q};
        let k = index - v * ${q};
        let re = W[2 * v * ${m} + k];
        let im = W[(2 * v + 1) * ${m} + k];
        let c = Ch[2 * k];
        let s = Ch[2 * k + 1];
        setOutputAtIndex(index, ((c + s) * re + (s - c) * im) * uniforms.scale);`);
}
