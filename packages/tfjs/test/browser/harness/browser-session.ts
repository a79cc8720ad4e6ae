/**
 * Headless Chromium (Debian's package) driven by playwright-core, with the harness page
 * bundled by esbuild and served from a throw-away HTTP server on 127.0.0.1 (WebGPU needs
 * a secure context; loopback http is one). Shared by the browser tests and the bench.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HarnessApi } from './harness-api';
import { BROWSER_GPU, CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../../tools/chromium';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export { BROWSER_GPU, CHROMIUM_ARGS, CHROMIUM_PATH };

/** Chromium is missing or did not start. Never turned into a skip: CI must see it. */
export class BrowserUnavailableError extends Error {
  override name = 'BrowserUnavailableError';
}

/** The test page's script; the bench passes its own entry that extends it. */
export const HARNESS_ENTRY = join(packageDir, 'test/browser/harness/page-entry.ts');

const bundles = new Map<string, Promise<string>>();

/**
 * The page script for `entry` (it and everything it imports in one bundle — a single
 * tfjs-core instance, so backends and kernels registered anywhere are seen everywhere),
 * built once per process.
 */
export function bundleHarness(entry: string = HARNESS_ENTRY): Promise<string> {
  let bundled = bundles.get(entry);
  if (bundled !== undefined) return bundled;
  bundled = build({
    entryPoints: [entry],
    absWorkingDir: packageDir,
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    // Sibling packages (and this one) resolve to their TypeScript sources, as in vitest.
    conditions: ['@ssh-peft/source'],
    // Node-only modules reachable from sibling sources are never executed in the page.
    external: ['node:*'],
    logLevel: 'error',
  }).then((r) => r.outputFiles[0].text);
  bundles.set(entry, bundled);
  return bundled;
}

export interface BrowserSession {
  page: Page;
  /** Calls a harness function in the page with JSON arguments. */
  call<K extends keyof HarnessApi>(name: K, ...args: Parameters<HarnessApi[K]>): Promise<Awaited<ReturnType<HarnessApi[K]>>>;
  /** Errors the page reported (uncaught exceptions, console.error). */
  pageErrors: string[];
  close(): Promise<void>;
}

function serve(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/harness.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
    } else if (req.url === '/' || req.url === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><meta charset="utf-8"><title>ssh-peft gpu harness</title><script src="/harness.js"></script>');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

/**
 * Launches Chromium on the harness page (script bundled from `entry`); throws
 * {@link BrowserUnavailableError} with the fix when it cannot.
 */
export async function openBrowserSession(entry: string = HARNESS_ENTRY): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new BrowserUnavailableError(
      `Chromium not found at ${CHROMIUM_PATH}: the webgl/webgpu kernel tests need it — run \`bash tools/ci-system-deps.sh\` ` +
        `(apt-get install chromium), or set SSH_PEFT_CHROMIUM to a Chromium binary`,
    );
  }
  const script = await bundleHarness(entry);
  const server = await serve(script);
  const userDataDir = mkdtempSync(join(tmpdir(), 'ssh-peft-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  } catch (e) {
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw new BrowserUnavailableError(`Chromium at ${CHROMIUM_PATH} did not start: ${(e as Error).message}`);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    // WebGPU validation failures only surface as console warnings (the dispatch is dropped, output stays zero).
    if (m.type() === 'error' || (m.type() === 'warning' && /While (calling|validating|encoding|finishing)|is invalid|WGSL|Tint/.test(m.text()))) {
      if (!m.text().includes('favicon') && !m.text().includes('404')) pageErrors.push(m.text());
    }
  });
  const { port } = server.address() as { port: number };
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => 'sshHarness' in window, undefined, { timeout: 30_000 });
  } catch (e) {
    await context.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw new Error(`the harness page did not initialise (${(e as Error).message}); page errors:\n${pageErrors.join('\n') || '(none)'}`);
  }
  return {
    page,
    pageErrors,
    call: (name, ...args) =>
      page.evaluate(
        ([fn, a]) => (window as unknown as { sshHarness: Record<string, (x: unknown) => unknown> }).sshHarness[fn as string](a),
        [name, args[0]] as const,
      ) as never,
    async close() {
      await context.close();
      await new Promise<void>((ok) => server.close(() => ok()));
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
