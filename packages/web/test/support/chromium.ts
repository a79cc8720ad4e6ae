/**
 * Headless Chromium (Debian's package) through playwright-core, with WebGL2 and WebGPU on
 * SwiftShader: the same binary and flags as the tfjs GPU-kernel tests.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../../tools/chromium';

export { CHROMIUM_ARGS, CHROMIUM_PATH };


/** A browser context with its own profile directory, removed on close. */
export interface ChromiumContext {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium; a missing binary is an error with the fix, never a skip. */
export async function launchChromium(viewport = { width: 1200, height: 900 }): Promise<ChromiumContext> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`bash tools/ci-system-deps.sh\` (apt-get install chromium) or set SSH_PEFT_CHROMIUM`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'ssh-peft-web-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS], viewport, acceptDownloads: true });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
