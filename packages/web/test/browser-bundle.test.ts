/**
 * Every browser-facing package, as built (`dist/`, the files a visitor's bundler gets from
 * npm), bundles for the browser with esbuild: platform 'browser', no externals, tfjs peers
 * resolved from node_modules. A Node module anywhere in a package's graph fails the build
 * ("Could not resolve \"fs\""). The web project's test target depends on the builds.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = resolve(webDir, '..');

/** Entry points a browser page imports, and the built file each must resolve to. */
const BROWSER_ENTRIES = [
  { specifier: '@ssh-peft/hartley', dist: 'hartley/dist/index.js' },
  { specifier: '@ssh-peft/selection', dist: 'selection/dist/index.js' },
  { specifier: '@ssh-peft/adapter', dist: 'adapter/dist/index.js' },
  { specifier: '@ssh-peft/tfjs', dist: 'tfjs/dist/index.js' },
  { specifier: '@ssh-peft/tfjs/gpu', dist: 'tfjs/dist/gpu.js' },
] as const;

async function bundleForBrowser(specifier: string): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    // `export *` keeps every export reachable, so nothing is tree-shaken out of the check.
    stdin: { contents: `export * from '${specifier}';`, resolveDir: webDir, sourcefile: 'entry.js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    absWorkingDir: webDir,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}

describe('browser bundling of the built packages', () => {
  for (const entry of BROWSER_ENTRIES) {
    it(`${entry.specifier} (dist) bundles for platform 'browser' with no externals`, async () => {
      const distFile = resolve(packagesDir, entry.dist);
      expect(existsSync(distFile), `${distFile} is missing: build first (npx nx run web:test builds it)`).toBe(true);
      const { code, metafile } = await bundleForBrowser(entry.specifier);
      // Namespaced inputs ("(disabled):util") are third-party modules a package.json `browser` field switches off.
      const files = Object.keys(metafile.inputs).filter((p) => !p.includes(':') && p !== 'entry.js').map((p) => resolve(webDir, p));
      // The built file was bundled, not the TypeScript sources of any package of this repository.
      expect(files).toContain(distFile);
      const ownSources = files.filter((p) => p.startsWith(packagesDir) && !p.includes('/node_modules/') && !p.includes('/dist/'));
      expect(ownSources.map((p) => relative(packagesDir, p))).toEqual([]);
      expect(code.length).toBeGreaterThan(1000);
    });
  }

  it('the check fails on a Node-only entry (@ssh-peft/adapter/node needs fs and path)', async () => {
    const failure = await bundleForBrowser('@ssh-peft/adapter/node').then(
      () => null,
      (error: { errors?: Array<{ text: string }> }) => error.errors?.map((e) => e.text).join('\n') ?? String(error),
    );
    expect(failure).toMatch(/Could not resolve "(node:)?(fs|path|fs\/promises)/);
  });
});
