/**
 * The experiments: SSH vs FourierFT vs LoRA vs full fine-tuning vs head only, on a vision
 * task and on text domain-shift tasks, written to docs/results.md (+ plots and raw JSON).
 *
 *   npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts            # full run
 *   npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts --quick    # harness check (~minutes)
 *   … --tasks vision,text-yelp   --seeds 3   --deadline-minutes 35   --report-only
 *   … --methods ssh-per-layer-e0.5,fourierft-n3 --spectral-lrs 0.003   (probes; use --out-dir elsewhere)
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLinearSegmentSum, registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from './atomic-write';
import { ExperimentOptionError, ResultsFormatError } from './errors';
import { methodGrid, SPECTRAL_ALPHA, type MethodEntry } from './methods';
import { runTask } from './protocol';
import { renderResultsMarkdown } from './report/markdown';
import { renderAccuracyPlot } from './report/plot';
import { RESULTS_FORMAT, RESULTS_VERSION, type ExperimentResults, type TaskResult } from './results-types';
import { prepareTask, TASK_IDS, type TaskSizes } from './tasks';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BASE_COMMAND = 'npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tasks: { type: 'string' },
    seeds: { type: 'string' },
    'deadline-minutes': { type: 'string' },
    'out-dir': { type: 'string', default: 'docs' },
    'report-only': { type: 'boolean', default: false },
    methods: { type: 'string' },
    'spectral-lrs': { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
  },
  strict: true,
});

function intFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ExperimentOptionError(`--${name} must be a positive integer, got '${value}'`);
  return n;
}

const quick = flags.quick === true;
const backendName = flags.backend ?? 'wasm';
if (backendName !== 'wasm' && backendName !== 'cpu') throw new ExperimentOptionError(`--backend must be wasm or cpu, got '${backendName}'`);
const sizes: TaskSizes = quick
  ? {
      model: { dim: 16, depth: 1, heads: 2, mlpDim: 32 },
      vision: { pretrain: 300, pretrainVal: 100, adapt: 100, val: 60, test: 100 },
      text: { adapt: 100, val: 60, test: 100, pretrainVal: 100, seqLen: 12, minCount: 2 },
    }
  : {
      model: { dim: 16, depth: 1, heads: 2, mlpDim: 32 },
      vision: { pretrain: 2000, pretrainVal: 300, adapt: 400, val: 200, test: 500 },
      text: { adapt: 300, val: 200, test: 400, pretrainVal: 200, seqLen: 16, minCount: 2 },
    };
const n = 3;
const lrGrid: Record<"head" | "full" | "lora" | "fourierft" | "ssh", number[]> = quick
  ? { head: [1e-2], full: [3e-3], lora: [1e-2], fourierft: [1e-2], ssh: [1e-2] }
  : { head: [3e-3, 1e-2], full: [1e-3, 3e-3], lora: [3e-3, 1e-2], fourierft: [1e-2, 3e-2], ssh: [1e-2, 3e-2] };
if (flags['spectral-lrs'] !== undefined) {
  // Probe: other candidate rates for SSH and FourierFT (the same list for both families).
  const lrs = flags['spectral-lrs'].split(',').map(Number);
  if (lrs.some((v) => !(v > 0 && Number.isFinite(v)))) throw new ExperimentOptionError(`--spectral-lrs must be positive numbers separated by commas, got '${flags['spectral-lrs']}'`);
  lrGrid.fourierft = lrs;
  lrGrid.ssh = lrs;
}
const seeds = intFlag('seeds', flags.seeds, quick ? 2 : 3);
const protocol = { pretrainEpochs: quick ? 1 : 3, pretrainLearningRate: 5e-3, adaptEpochs: quick ? 1 : 4, batchSize: 32, seeds };
const taskIds = (flags.tasks ?? TASK_IDS.join(',')).split(',').map((t) => t.trim());
for (const t of taskIds) if (!(TASK_IDS as readonly string[]).includes(t)) throw new ExperimentOptionError(`--tasks: unknown task '${t}' (known: ${TASK_IDS.join(', ')})`);
const deadlineMinutes = flags['deadline-minutes'] === undefined ? Number.POSITIVE_INFINITY : intFlag('deadline-minutes', flags['deadline-minutes'], 0);
const outDir = resolve(ROOT, flags['out-dir'] ?? 'docs');
const resultsFile = join(outDir, 'results', 'results.json');
const notesFile = join(outDir, 'results', 'discussion.md');
const command = [BASE_COMMAND, ...process.argv.slice(2).filter((a) => a !== '--report-only')].join(' ');

async function writeReport(results: ExperimentResults): Promise<void> {
  writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  for (const task of results.tasks) writeFileAtomic(join(outDir, 'results', `${task.id}.svg`), await renderAccuracyPlot(task));
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '_No discussion written yet (docs/results/discussion.md)._';
  writeFileAtomic(join(outDir, 'results.md'), renderResultsMarkdown(results, (t) => `results/${t.id}.svg`, notes));
}

function loadResults(): ExperimentResults {
  let parsed: ExperimentResults;
  try {
    parsed = JSON.parse(readFileSync(resultsFile, 'utf8')) as ExperimentResults;
  } catch (error) {
    throw new ResultsFormatError(`${resultsFile}: cannot read results (${(error as Error).message})`);
  }
  if (parsed.format !== RESULTS_FORMAT || parsed.version !== RESULTS_VERSION) {
    throw new ResultsFormatError(`${resultsFile}: format ${String(parsed.format)} v${String(parsed.version)}, expected ${RESULTS_FORMAT} v${RESULTS_VERSION}`);
  }
  return parsed;
}

async function main(): Promise<void> {
  if (flags['report-only'] === true) {
    const results = loadResults();
    await writeReport(results);
    console.log(`report rewritten from ${resultsFile}\nregenerate everything with:\n  ${results.command}`);
    return;
  }
  tf.env().set('PROD', true);
  // Single-threaded wasm: XNNPACK matMul is several times faster than the pure-JS cpu backend.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(backendName))) throw new ExperimentOptionError(`tfjs backend '${backendName}' failed to initialise`);
  await tf.ready();
  if (backendName === 'wasm') registerSshKernelsOnWasm();
  // The stock cpu UnsortedSegmentSum is O(segments · size): Embedding gradients took 8–20 s a step.
  else registerLinearSegmentSum('cpu');
  const started = performance.now();
  const grid: MethodEntry[] = methodGrid(n, lrGrid);
  // head-only always runs: it sets the head rate of the others.
  const wanted = flags.methods === undefined ? undefined : new Set(['head', ...flags.methods.split(',').map((m) => m.trim())]);
  for (const id of wanted ?? []) if (!grid.some((m) => m.id === id)) throw new ExperimentOptionError(`--methods: unknown method '${id}' (known: ${grid.map((m) => m.id).join(', ')})`);
  const methods = wanted === undefined ? grid : grid.filter((m) => wanted.has(m.id));
  const results: ExperimentResults = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    createdAt: new Date().toISOString(),
    command,
    quick,
    config: { model: sizes.model, sizes, n, alpha: SPECTRAL_ALPHA, lrGrid, lrCandidates: lrGrid.head.length, ...protocol },
    tasks: [] as TaskResult[],
    skippedTasks: [],
    wallSeconds: 0,
    environment: { node: process.version, tfjsBackend: tf.getBackend(), cpus: cpus().length, loadAverageAtStart: loadavg() },
  };
  for (const id of taskIds) {
    const elapsedMinutes = (performance.now() - started) / 60000;
    if (elapsedMinutes >= deadlineMinutes) {
      results.skippedTasks.push(id);
      console.log(`[${id}] skipped: ${elapsedMinutes.toFixed(1)} min elapsed ≥ --deadline-minutes ${deadlineMinutes}`);
      continue;
    }
    results.tasks.push(await runTask(prepareTask(id, sizes), methods, { ...protocol, log: (l) => console.log(l) }));
    results.wallSeconds = (performance.now() - started) / 1000;
    // Written after every task: an interrupted run still leaves a consistent report of what finished.
    await writeReport({ ...results, skippedTasks: [...results.skippedTasks, ...taskIds.slice(taskIds.indexOf(id) + 1)] });
  }
  results.wallSeconds = (performance.now() - started) / 1000;
  await writeReport(results);
  console.log(`done in ${(results.wallSeconds / 60).toFixed(1)} min → ${join(outDir, 'results.md')}\nregenerate everything with:\n  ${command}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
