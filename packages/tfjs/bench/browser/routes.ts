/**
 * Step overhead of SSH on webgl and webgpu with this package's kernels (native route) and
 * with them unregistered (the composed route of stock ops that a backend without our
 * kernels gets), one training step of a 768→768 layer as in the browser bench's table.
 * SwiftShader (the CPU emulating a GPU): compare ratios within a backend only.
 *
 * Run: `npx tsx --conditions=@ssh-peft/source bench/browser/routes.ts` (from packages/tfjs);
 * prints a markdown table. SSH_BENCH_TOKENS (default 256), SSH_BENCH_REPEATS (default 2),
 * SSH_BENCH_BACKENDS (default `webgl,webgpu`), SSH_BENCH_ROUTES (default `native,composed`).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowserSession } from '../../test/browser/harness/browser-session';
import type { TrainingBenchApi } from './bench-page-entry';
import type { BrowserStepResult } from './training-step-async';

const BENCH_ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), 'bench-page-entry.ts');
const tokens = Number(process.env.SSH_BENCH_TOKENS ?? 256);
const repeats = Number(process.env.SSH_BENCH_REPEATS ?? 2);
const backends = (process.env.SSH_BENCH_BACKENDS ?? 'webgl,webgpu').split(',');
const ROUTES = { native: 'native kernels', composed: 'composed (stock ops)' } as const;
const routes = (process.env.SSH_BENCH_ROUTES ?? 'native,composed').split(',').map((r) => {
  if (!(r in ROUTES)) throw new Error(`SSH_BENCH_ROUTES: unknown route '${r}' (native, composed)`);
  return ROUTES[r as keyof typeof ROUTES];
});

async function main(): Promise<void> {
  const started = Date.now();
  const session = await openBrowserSession(BENCH_ENTRY);
  const lines = [
    `768→768, T = ${tokens}, n = 1000, LoRA r = 8; overhead = (step − frozen step) / frozen step, median of ${repeats} steps after a warm-up.`,
    '',
    '| backend | route | variant | step (ms) | frozen (ms) | overhead / frozen |',
    '|---|---|---|---:|---:|---:|',
  ];
  try {
    await session.call('init');
    const stepCase = { rows: 768, cols: 768, tokens, n: 1000, loraRank: 8, repeats };
    const only = ['SSH factored', 'LoRA'];
    for (const backend of backends) {
      for (const route of routes) {
        const rows: BrowserStepResult[] = await session.page.evaluate(
          (a) => {
            const api = (window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench;
            return a.route === 'native kernels' ? api.run({ backend: a.backend, stepCase: a.stepCase, only: a.only }) : api.runComposed({ backend: a.backend, stepCase: a.stepCase, only: a.only });
          },
          { backend, route, stepCase, only },
        );
        const frozen = rows[0];
        for (const r of rows.filter((x) => only.some((p) => x.variant.startsWith(p)))) {
          lines.push(`| ${backend} | ${route} | ${r.variant} | ${r.ms.toFixed(0)} | ${frozen.ms.toFixed(0)} | ${((r.ms - frozen.ms) / frozen.ms).toFixed(2)}× |`);
        }
        console.error(`[routes] ${backend} ${route} done`);
      }
    }
    if (session.pageErrors.length > 0) throw new Error(`page errors:\n${session.pageErrors.join('\n')}`);
  } finally {
    await session.close();
  }
  console.log(lines.join('\n'));
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s, ${new Date().toISOString()})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
