import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../../tools/vitest.shared';

const base = packageTestConfig(fileURLToPath(new URL('.', import.meta.url)));

// Two projects: the default path (WebAssembly SIMD for float32 where available) and the
// JavaScript fallback (SIMD switched off), running the same properties.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    projects: [
      { extends: true, test: { name: 'simd', setupFiles: ['test/setup-backend.ts'] } },
      { extends: true, test: { name: 'js-fallback', setupFiles: ['test/setup-backend.ts'], env: { HARTLEY_SIMD: 'off' } } },
    ],
  },
});
