import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../vitest.shared';

// The harness's tests run in CI with the packages' (report: .test-reports/experiments.json);
// the experiments themselves do not.
export default defineConfig(packageTestConfig(fileURLToPath(new URL('.', import.meta.url)), { testTimeout: 180_000 }));
