/**
 * What one webgl pass over a [512, 1024] packed texture costs on the renderer, apart from the
 * DHT's arithmetic: the same 131 072 fragments (one 2×2 texel each) running a shader that
 * only writes its coordinates, or that also reads 4 or 8 texels of the input through tfjs's
 * packed getter, or 4 through `texelFetch`. Against a radix-4 pass of the DHT (one twiddle and
 * four data fetches per fragment) this splits a pass into a per-fragment part, which only
 * fewer passes can cut, and a per-fetch part, which only fewer reads can.
 *
 * Bundled into the bench page (bench-page-entry.ts); cpu-time.ts `--pass-cost` times it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';

const ROWS = 512;
const COLS = 1024;

/** The shader variants, by what a fragment does besides writing its texel. */
export type PassCostVariant = 'write only' | 'getter ×4' | 'getter ×8' | 'texelFetch ×4';

export const PASS_COST_VARIANTS: readonly PassCostVariant[] = ['write only', 'getter ×4', 'getter ×8', 'texelFetch ×4'];

/** Texel reads spread over the row, as a radix pass's terms are (stride COLS / reads). */
function readsGlsl(variant: PassCostVariant): string {
  if (variant === 'write only') return '';
  const reads = variant === 'getter ×8' ? 8 : 4;
  const stride = COLS / reads;
  const column = `(q + ${stride} * i) & ${COLS - 1}`;
  const read = variant === 'texelFetch ×4' ? `texelFetch(A, ivec2((${column}) >> 1, row >> 1), 0)` : `getA(row, ${column})`;
  return `for (int i = 0; i < ${reads}; i++) { acc += ${read}; }`;
}

interface PassCostProgram {
  variableNames: string[];
  outputShape: number[];
  packedInputs: boolean;
  packedOutput: boolean;
  userCode: string;
}

function program(variant: PassCostVariant): PassCostProgram {
  return {
    variableNames: ['A'],
    outputShape: [ROWS, COLS],
    packedInputs: true,
    packedOutput: true,
    userCode: `
    void main() {
      ivec2 coords = getOutputCoords();
      int row = coords.x;
      int q = coords.y;
      vec4 acc = vec4(float(row), float(q), 0.0, 0.0);
      ${readsGlsl(variant)}
      setOutput(acc);
    }`,
  };
}

interface WebGLRunner {
  runWebGLProgram(program: PassCostProgram, inputs: TensorInfo[], outputDtype: 'float32'): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

/** Runs `runs` passes of `variant` over x [512, 1024] on the active webgl backend and waits for the last; wall ms. */
export async function runPassCost(x: tf.Tensor2D, variant: PassCostVariant, runs: number): Promise<number> {
  const backend = tf.backend() as unknown as WebGLRunner;
  const prog = program(variant);
  const t0 = performance.now();
  let last: TensorInfo | null = null;
  for (let i = 0; i < runs; i++) {
    if (last !== null) backend.disposeIntermediateTensorInfo(last);
    last = backend.runWebGLProgram(prog, [x], 'float32');
  }
  const out = tf.engine().makeTensorFromTensorInfo(last as TensorInfo);
  await out.data();
  out.dispose();
  return performance.now() - t0;
}

export const PASS_COST_SHAPE: [number, number] = [ROWS, COLS];
