import { defineConfig } from 'tsup';

export default defineConfig({
  // src/gpu.ts = the `@ssh-peft/tfjs/gpu` entry (webgl/webgpu DHT kernels; added by the GPU-kernels engineer).
  entry: ['src/index.ts', 'src/gpu.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
