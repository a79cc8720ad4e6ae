/**
 * Structural copies of the tfjs-backend-webgpu members our webgpu kernels use, in one place:
 * the package imports nothing from tfjs-backend-webgpu at run time (it stays an optional peer).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

/** tfjs-backend-webgpu's WebGPUProgram (only the members used). */
export interface WebGPUProgramLike {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  size: boolean;
  /** WGSL declarations of program-defined uniforms, filled by `runWebGPUProgram`'s last argument. */
  uniforms?: string;
  getUserCode: () => string;
}

/** The WebGPUBackend member that runs a program. */
export interface WebGPUProgramRunner {
  runWebGPUProgram(
    program: WebGPUProgramLike,
    inputs: TensorInfo[],
    outputDtype: 'float32',
    programDefinedUniform?: Array<{ type: 'float32'; data: number[] }>,
  ): TensorInfo;
}
