/**
 * The Bluestein stage on webgpu (../gpu-common/bluestein-stage.ts): chirp-in, the length-M
 * passes, pointwise product, the passes again, chirp-out, all queued on the GPU; every
 * intermediate buffer is released once the next program is queued (the backend defers
 * the release until the command buffer is submitted).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { BackendTableCache, type TableBackend } from '../gpu-common/backend-table-cache';
import { chirpSpectrumTable, chirpTable, type BluesteinStage } from '../gpu-common/bluestein-stage';
import type { HartleyPassPlan } from '../gpu-common/hartley-pass-plan';
import { createChirpInProgram, createChirpOutProgram, createChirpProductProgram } from './bluestein-programs';
import type { WebGPUProgramRunner } from './webgpu-program';

/** The WebGPUBackend members the stage uses. */
export interface WebGPUStageBackend extends TableBackend, WebGPUProgramRunner {}

/** Runs a pass schedule over the rows of its input (the kernel's pass loop, scale 1). */
export type RunPasses = (input: TensorInfo, plan: HartleyPassPlan) => TensorInfo;

const chirps = new BackendTableCache((q) => ({ shape: [2 * q], values: chirpTable(q) }));
const spectra = new BackendTableCache<string>((key) => {
  const [q, m] = key.split(':').map(Number);
  return { shape: [2 * m], values: chirpSpectrumTable(q, m) };
});

/**
 * The stage over `x2d` ([rows, N], N = Q·R): returns a new [rows, N] holding, at j·Q + k
 * of each row, the length-Q DHT of x[j + R·m] times `scale`. `x2d` is not released.
 */
export function runWebGPUBluestein(backend: WebGPUStageBackend, x2d: TensorInfo, stage: BluesteinStage, scale: number, runPasses: RunPasses): TensorInfo {
  const rows = x2d.shape[0];
  const chirp = chirps.get(backend, stage.length);
  const spectrum = spectra.get(backend, `${stage.length}:${stage.convLength}`);
  const one = [{ type: 'float32' as const, data: [1] }];
  const modulated = backend.runWebGPUProgram(createChirpInProgram(rows, stage), [x2d, chirp], 'float32', one);
  const forward = runPasses(modulated, stage.convPlan);
  backend.disposeData(modulated.dataId);
  const product = backend.runWebGPUProgram(createChirpProductProgram(rows, stage), [forward, spectrum], 'float32', one);
  backend.disposeData(forward.dataId);
  const convolved = runPasses(product, stage.convPlan);
  backend.disposeData(product.dataId);
  const out = backend.runWebGPUProgram(createChirpOutProgram(rows, stage), [convolved, chirp], 'float32', [{ type: 'float32', data: [scale] }]);
  backend.disposeData(convolved.dataId);
  return out;
}

/** Releases the chirp tables held for a webgpu backend instance. */
export function clearWebGPUBluesteinTables(backend: object): void {
  chirps.clear(backend as TableBackend);
  spectra.clear(backend as TableBackend);
}
