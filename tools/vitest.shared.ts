/**
 * Shared vitest configuration for every package.
 *
 * Sibling packages are resolved to their TypeScript sources through the
 * `@ssh-peft/source` export condition, so tests never need a prior build.
 * Vitest 4 running in Node only honours `ssr.resolve.conditions` for that, and
 * vite's default server conditions must be kept (spread, not replaced).
 *
 * Each package writes a JSON report to `<root>/.test-reports/<package>.json`;
 * `tools/run-tests.mjs` sums them into the single `N passed, N failed` line CI reads.
 */
import { defaultServerConditions, type UserConfig } from 'vite';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SOURCE_CONDITION = '@ssh-peft/source';

export function packageTestConfig(packageDir: string, overrides: { testTimeout?: number; include?: string[] } = {}): UserConfig {
  const name = basename(packageDir);
  return {
    resolve: { conditions: [SOURCE_CONDITION, 'module', 'browser', 'development|production'] },
    ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
    test: {
      root: packageDir,
      include: overrides.include ?? ['test/**/*.test.ts'],
      testTimeout: overrides.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      reporters: ['default', ['json', { outputFile: resolve(workspaceRoot, '.test-reports', `${name}.json`) }]],
    },
  } as UserConfig;
}
