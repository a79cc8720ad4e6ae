/**
 * The Bluestein stage on webgl (../gpu-common/bluestein-stage.ts): chirp-in, the length-M passes,
 * pointwise product, the passes again, chirp-out — every intermediate a texture
 * released as soon as the next program has consumed it.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { BackendTableCache, type TableBackend } from '../gpu-common/backend-table-cache';
import { chirpSpectrumTable, chirpTable, type BluesteinStage } from '../gpu-common/bluestein-stage';
import { createChirpInProgram, createChirpOutProgram, createChirpProductProgram, type WebGLStageProgram } from './bluestein-programs';
import type { HartleyPassPlan } from '../gpu-common/hartley-pass-plan';

/** The MathBackendWebGL members the stage uses. */
export interface WebGLStageBackend extends TableBackend {
  runWebGLProgram(program: WebGLStageProgram, inputs: TensorInfo[], outputDtype: 'float32', customUniformValues?: number[][]): TensorInfo;
  disposeIntermediateTensorInfo(info: TensorInfo): void;
}

/** Runs a pass schedule over the rows of its input (the kernel's pass loop, scale 1). */
export type RunPasses = (input: TensorInfo, plan: HartleyPassPlan) => TensorInfo;

const chirps = new BackendTableCache((q) => ({ shape: [q, 2], values: chirpTable(q) }));
const spectra = new BackendTableCache<string>((key) => {
  const [q, m] = key.split(':').map(Number);
  return { shape: [m, 2], values: chirpSpectrumTable(q, m) };
});

/**
 * The stage over `x2d` ([rows, N], N = Q·R): returns a new [rows, N] holding, at j·Q + k
 * of each row, the length-Q DHT of x[j + R·m] times `scale`. `x2d` is not released.
 */
export function runWebGLBluestein(backend: WebGLStageBackend, x2d: TensorInfo, stage: BluesteinStage, scale: number, runPasses: RunPasses): TensorInfo {
  const rows = x2d.shape[0];
  const chirp = chirps.get(backend, stage.length);
  const spectrum = spectra.get(backend, `${stage.length}:${stage.convLength}`);
  const modulated = backend.runWebGLProgram(createChirpInProgram(rows, stage), [x2d, chirp], 'float32');
  const forward = runPasses(modulated, stage.convPlan);
  backend.disposeIntermediateTensorInfo(modulated);
  const product = backend.runWebGLProgram(createChirpProductProgram(rows, stage), [forward, spectrum], 'float32');
  backend.disposeIntermediateTensorInfo(forward);
  const convolved = runPasses(product, stage.convPlan);
  backend.disposeIntermediateTensorInfo(product);
  const out = backend.runWebGLProgram(createChirpOutProgram(rows, stage), [convolved, chirp], 'float32', [[scale]]);
  backend.disposeIntermediateTensorInfo(convolved);
  return out;
}

/** Releases the chirp tables held for a webgl backend instance. */
export function clearWebGLBluesteinTables(backend: object): void {
  chirps.clear(backend as TableBackend);
  spectra.clear(backend as TableBackend);
}
