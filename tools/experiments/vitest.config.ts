import { defineConfig } from 'vitest/config';
import { defaultServerConditions } from 'vite';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests of the experiments harness, not part of CI (so no JSON report into .test-reports/):
//   npx vitest run --config tools/experiments/vitest.config.ts
export default defineConfig({
  ssr: { resolve: { conditions: ['@ssh-peft/source', ...defaultServerConditions] } },
  test: { root: dirname(fileURLToPath(import.meta.url)), include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
