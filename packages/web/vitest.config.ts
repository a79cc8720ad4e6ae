import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../../tools/vitest.shared';

// The browser test trains in SwiftShader and the bundling test runs esbuild over every built package.
export default defineConfig(packageTestConfig(fileURLToPath(new URL('.', import.meta.url)), { testTimeout: 300_000 }));
