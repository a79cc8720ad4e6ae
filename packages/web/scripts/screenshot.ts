/**
 * Screenshot of the finished page for the README: builds nothing (run `npx nx run web:build`
 * first), serves dist on 127.0.0.1, trains `--steps` (default 80) in headless Chromium and
 * writes docs/web-demo.png (`--backend webgl` passes `?backend=webgl`).
 *
 *   npx tsx packages/web/scripts/screenshot.ts --steps 80 --backend webgl
 */
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server';
import { WEB_DIR } from './base-model-files';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tools/chromium';


const at = process.argv.indexOf('--steps');
const steps = at > 0 ? Number(process.argv[at + 1]) : 80;
const backendAt = process.argv.indexOf('--backend');
const backend = backendAt > 0 ? `&backend=${process.argv[backendAt + 1]}` : '';
const out = resolve(WEB_DIR, '../../docs/web-demo.png');
const served = await serveStatic(resolve(WEB_DIR, 'dist'), 0);
const profile = mkdtempSync(join(tmpdir(), 'ssh-peft-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS],
  viewport: { width: 1180, height: 900 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${served.url}?steps=${steps}&autostart=1${backend}`, { timeout: 10 * 60_000 });
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state ?? ''), undefined, { timeout: 60 * 60_000, polling: 1000 });
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== 'done') throw new Error(`the page ended in state ${state}: ${await page.textContent('#message')}`);
  await page.click('#merge');
  await page.waitForFunction(() => (document.getElementById('merge-result')?.textContent ?? '') !== '', undefined, { timeout: 10 * 60_000 });
  const temporary = `${out}.tmp-${process.pid}.png`;
  await page.screenshot({ path: temporary, fullPage: true });
  renameSync(temporary, out);
  console.log(`wrote ${out}: ${JSON.stringify(await page.evaluate(() => ({ ...window.sshPeftDemo, losses: undefined, testPredictions: undefined, accuracies: undefined })))}`);
} finally {
  await context.close();
  await served.close();
  rmSync(profile, { recursive: true, force: true });
}
