import { defineConfig } from 'tsup';

export default defineConfig({
  // index: browser-safe main entry; node: the worker-thread pool (Node only), loaded lazily by
  // selectSpectrum; selection-worker: the script each worker thread runs.
  entry: ['src/index.ts', 'src/node.ts', 'src/selection-worker.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
  shims: true,
});
