import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../vitest.shared';

// Runs in CI with the packages' tests (report: .test-reports/check-imports.json).
export default defineConfig(packageTestConfig(fileURLToPath(new URL('.', import.meta.url))));
