import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';
import { packageTestConfig } from '../vitest.shared';

// The bounded, seeded fuzz run of CI (report: .test-reports/fuzz.json, counted by `npm test`).
// The generous timeout is for loaded CI machines; an idle one needs well under a minute.
export default defineConfig(packageTestConfig(fileURLToPath(new URL('.', import.meta.url)), { testTimeout: 600_000 }));
