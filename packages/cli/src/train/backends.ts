/**
 * tfjs backends of the demo. Pretraining a plain tfjs model runs on the WebAssembly backend
 * (XNNPACK, SIMD; several times faster than the pure-JS cpu backend here, and no native
 * binaries to download). SSH adaptation runs there too: @ssh-peft/tfjs's host kernels (DHT,
 * sparse mix) are bridged onto wasm by `registerSshKernelsOnWasm`; the cpu backend serves
 * tests and the experiments' `--backend cpu`. Models move between backends through the
 * cache's bytes, so the adapted model always starts from exactly the stored weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerBlockTile, registerLinearTileGradient } from '@ssh-peft/tfjs';
import { CliError } from '../errors';

/** Backends the demo uses. */
export type DemoBackend = 'cpu' | 'wasm';

let configured = false;

function configureOnce(): void {
  if (configured) return;
  configured = true;
  // PROD silences tfjs's "install tfjs-node" banner (stderr must stay one-line-per-event).
  tf.env().set('PROD', true);
  // One thread: the threaded build's work split is machine dependent, and the machine is shared.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // LayerNormalization's backward pass through tfjs's own Tile gradient is a slice + add per
  // (batch, token): most of a training step. Same gradient, one reduction.
  registerLinearTileGradient();
  // Both backends tile element by element through a TensorBuffer; LayerNormalization tiles
  // on every call. Same values, copied by rows and blocks.
  registerBlockTile('cpu');
  registerBlockTile('wasm');
}

/**
 * Makes `name` the active tfjs backend (initialising it on first use).
 *
 * @example
 * ```ts
 * await useBackend('wasm');
 * ```
 */
export async function useBackend(name: DemoBackend): Promise<void> {
  configureOnce();
  if (tf.getBackend() === name) return;
  // The wasm module's Emscripten glue installs process-wide uncaughtException and
  // unhandledRejection listeners that rethrow (printing its whole minified source line);
  // the CLI reports errors itself, so those listeners are removed again.
  const before = {
    uncaughtException: new Set(process.listeners('uncaughtException')),
    unhandledRejection: new Set(process.listeners('unhandledRejection')),
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (error) {
    throw new CliError(`tfjs backend '${name}' failed to initialise: ${(error as Error).message}`);
  } finally {
    const emitter = process as NodeJS.EventEmitter;
    for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
      const known = before[event] as Set<unknown>;
      for (const listener of emitter.listeners(event)) {
        if (!known.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
  }
  if (!ok) throw new CliError(`tfjs backend '${name}' failed to initialise`);
}
