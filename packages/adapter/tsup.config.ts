import { defineConfig } from 'tsup';

export default defineConfig({
  // src/node.ts = `@ssh-peft/adapter/node`, the file I/O kept out of the browser-safe main entry.
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  platform: 'node',
});
