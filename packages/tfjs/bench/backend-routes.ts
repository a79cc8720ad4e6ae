/**
 * Step overhead of SSH on a backend with our kernels (cpu: the native route) and on one
 * with tfjs's stock kernels only (the composed route of src/ops/composed-route.ts, as on
 * tfjs-node's 'tensorflow' or a third-party backend). The stock-only backend is the cpu
 * backend's own implementation registered under another name with the cpu stock kernels
 * and none of ours (test/stock-only-backend.ts), so both rows run the same matMul code:
 * the ratio isolates the route. Each row is paired with the frozen layer's step run
 * alternately on the same backend (bench/training-step.ts).
 *
 * Run: `npx tsx --conditions=@ssh-peft/source bench/backend-routes.ts` (from packages/tfjs);
 * prints a markdown table. Environment: SSH_BENCH_TOKENS (default 256), SSH_BENCH_REPEATS
 * (rounds, default 5), SSH_BENCH_QUICK=1 (48→48, smoke run).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerSshKernels } from '../src/index';
import { registerStockOnlyBackend } from '../test/stock-only-backend';
import { benchTrainingStep, type StepResult } from './training-step';
import { nodeStepTimer } from './step-clock';

const quick = process.env.SSH_BENCH_QUICK === '1';
const tokens = Number(process.env.SSH_BENCH_TOKENS ?? (quick ? 64 : 256));
const repeats = Math.max(quick ? 2 : 5, Number(process.env.SSH_BENCH_REPEATS ?? (quick ? 3 : 5)));
const timer = nodeStepTimer();
const [rows, cols] = quick ? [48, 48] : [768, 768];
const n = quick ? 100 : 1000;
const STOCK = 'stock-only';

export interface RouteRow {
  backend: string;
  route: string;
  results: StepResult[];
}

export async function benchBackendRoutes(): Promise<RouteRow[]> {
  await tf.setBackend('cpu');
  registerSshKernels();
  registerStockOnlyBackend(STOCK);
  const stepCase = { rows, cols, tokens, n, loraRank: 8, repeats };
  const only = ['SSH factored', 'SSH dense', 'LoRA'];
  const out: RouteRow[] = [];
  for (const [backend, route] of [
    ['cpu', 'native kernels'],
    [STOCK, 'composed (stock ops)'],
  ]) {
    await tf.setBackend(backend);
    out.push({ backend, route, results: await benchTrainingStep(stepCase, only, { timer }) });
  }
  await tf.setBackend('cpu');
  return out;
}

export function renderRoutes(rowsOut: RouteRow[]): string {
  const lines = [
    `${rows}→${cols}, T = ${tokens}, n = ${n}, LoRA r = 8; overhead = (step − paired frozen step) / paired frozen step, medians of ${repeats} interleaved rounds (${timer.clock}).`,
    '',
    '| backend | route | variant | step (ms) | paired frozen (ms) | overhead / frozen | peak / frozen |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  for (const { backend, route, results } of rowsOut) {
    const frozen = results[0];
    for (const r of results.slice(1)) {
      const base = r.frozenMs ?? frozen.ms;
      const label = r.variant.startsWith('LoRA') ? `${r.variant} (no SSH kernels involved)` : r.variant;
      lines.push(
        `| ${backend} | ${route} | ${label} | ${r.ms.toFixed(0)} | ${base.toFixed(0)} | ${((r.ms - base) / base).toFixed(2)}× | ${(r.peakBytes / frozen.peakBytes).toFixed(2)}× |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const table = renderRoutes(await benchBackendRoutes());
  console.log(table);
  console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s, ${new Date().toISOString()}, Node ${process.version})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
