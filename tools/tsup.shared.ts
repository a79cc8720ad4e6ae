/**
 * Shared tsup configuration for every package: ESM + CommonJS + `.d.ts` in `dist/`, source maps,
 * ES2022. A package states only what differs (its entries, a browser-neutral platform, CLI shims),
 * as `tools/vitest.shared.ts` does for tests.
 */
import { defineConfig, type Options } from 'tsup';

export interface PackageBuildOptions {
  /** Entry files, one per `exports` subpath (default `['src/index.ts']`); a record names the outputs. */
  entry?: string[] | Record<string, string>;
  /** `'neutral'` for packages that must not assume Node (default `'node'`). */
  platform?: Options['platform'];
  /** Declarations for these entries only (default: every entry). */
  dtsEntry?: string[] | Record<string, string>;
  /** Shims `import.meta.url` / `__dirname` across ESM and CommonJS builds. */
  shims?: boolean;
}

/**
 * The tsup configuration of one package.
 *
 * @example
 * ```ts
 * // packages/adapter/tsup.config.ts
 * import { packageBuildConfig } from '../../tools/tsup.shared';
 * export default packageBuildConfig({ entry: ['src/index.ts', 'src/node.ts'] });
 * ```
 */
export function packageBuildConfig(options: PackageBuildOptions = {}): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry: options.entry ?? ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: options.dtsEntry ? { entry: options.dtsEntry } : true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: options.platform ?? 'node',
    shims: options.shims ?? false,
  });
}
