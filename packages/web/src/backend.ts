/**
 * Backend choice: WebGPU, else WebGL, else WebAssembly, else plain JavaScript (cpu), with
 * the reason each faster one was passed over, so the page can say why it runs where it runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { registerGpuKernels } from '@ssh-peft/tfjs/gpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** Backends in order of preference. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

/** The chosen backend and, for every faster one, why it was not used. */
export interface BackendChoice {
  name: BackendName;
  /** One sentence for the page: what runs and why the faster ones did not. */
  reason: string;
  skipped: Array<{ name: BackendName; why: string }>;
}

/** Why WebGPU cannot be used here, or null when an adapter is available. */
async function webgpuUnavailable(): Promise<string | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (gpu === undefined) return window.isSecureContext ? 'this browser has no WebGPU (navigator.gpu is missing)' : 'WebGPU needs a secure context (https or localhost)';
  try {
    return (await gpu.requestAdapter()) === null ? 'no WebGPU adapter (the browser offers WebGPU but found no usable GPU)' : null;
  } catch (error) {
    return `requesting a WebGPU adapter failed: ${(error as Error).message}`;
  }
}

function webglUnavailable(): string | null {
  try {
    const context = document.createElement('canvas').getContext('webgl2');
    return context === null ? 'no WebGL2 context (disabled or unsupported)' : null;
  } catch (error) {
    return `creating a WebGL2 context failed: ${(error as Error).message}`;
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tfjs could not initialise the ${name} backend`;
    await tf.ready();
    return null;
  } catch (error) {
    return `tfjs's ${name} backend failed: ${(error as Error).message}`;
  }
}

/**
 * Makes the fastest working backend active (or `forced`, when given and working) and
 * registers the SSH kernels for it. `excluded` are backends already found unable to run
 * SSH here, with the reason.
 *
 * @example
 * ```ts
 * const { name, reason } = await chooseBackend();
 * ```
 */
export async function chooseBackend(forced?: BackendName, excluded: BackendChoice['skipped'] = []): Promise<BackendChoice> {
  tf.env().set('PROD', true);
  registerGpuKernels();
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  registerSshKernelsOnWasm();
  const skipped: BackendChoice['skipped'] = [];
  const candidates = forced === undefined ? BACKEND_ORDER : [forced, ...BACKEND_ORDER.filter((b) => b !== forced)];
  for (const name of candidates) {
    const known = excluded.find((e) => e.name === name);
    if (known !== undefined) {
      skipped.push(known);
      continue;
    }
    let why: string | null = null;
    if (name === 'webgpu') why = await webgpuUnavailable();
    if (name === 'webgl') why = webglUnavailable();
    why ??= await tryBackend(name);
    if (why === null) {
      const reason =
        forced === name
          ? `${name}: requested with ?backend=${name}`
          : skipped.length === 0
            ? `${name}: the fastest backend, and this browser offers it`
            : `${name}, because ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`;
      return { name, reason, skipped };
    }
    skipped.push({ name, why });
  }
  throw new Error(`no tfjs backend works in this browser: ${skipped.map((s) => `${s.name}: ${s.why}`).join('; ')}`);
}
