/**
 * The experiments: SSH vs FourierFT vs LoRA vs full fine-tuning vs head only, on a vision
 * task and on text domain-shift tasks, written to docs/results.md (+ plots and raw JSON).
 *
 *   npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts            # full run
 *   npx tsx --conditions=@ssh-peft/source tools/experiments/run.ts --quick    # harness check (< 1 min)
 *   … --tasks vision,text-yelp   --seeds 3   --jobs 2   --deadline-minutes 35   --report-only
 *   … --methods ssh-per-layer-e0.5,fourierft-n7 --spectral-lrs 0.003   (probes; use --out-dir elsewhere)
 *   … --merge /tmp/other-run   (add the tasks of another run of the same configuration)
 *
 * Tasks are independent (each pretrains its own base model), so `--jobs N` runs N of them
 * at once in child processes of this script: tfjs's wasm backend is single-threaded here.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerBlockTile, registerLinearSegmentSum, registerLinearTileGradient, registerSshKernelsOnWasm } from '@ssh-peft/tfjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@ssh-peft/adapter/node';
import { BASE_COMMAND, FULL_CONFIG, QUICK_CONFIG, type ExperimentConfig } from './config';
import { ExperimentError, ExperimentOptionError, ResultsFormatError } from './errors';
import { methodGrid, SPECTRAL_ALPHA, type MethodEntry } from './methods';
import { runTask } from './protocol';
import { renderResultsMarkdown } from './report/markdown';
import { renderAccuracyPlot } from './report/plot';
import { RESULTS_FORMAT, RESULTS_VERSION, type ExperimentResults, type TaskResult } from './results-types';
import { prepareTask, TASK_IDS } from './tasks';

const ROOT = resolve(import.meta.dirname, '..', '..');

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    tasks: { type: 'string' },
    seeds: { type: 'string' },
    jobs: { type: 'string' },
    'deadline-minutes': { type: 'string' },
    'out-dir': { type: 'string', default: 'docs' },
    'report-only': { type: 'boolean', default: false },
    merge: { type: 'string' },
    methods: { type: 'string' },
    'spectral-lrs': { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    // Internal: run the one task of --tasks and write its TaskResult JSON here (child mode).
    'task-result': { type: 'string' },
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
function backendFlag(value: string | undefined): 'wasm' | 'cpu' {
  const name = value ?? 'wasm';
  if (name !== 'wasm' && name !== 'cpu') throw new ExperimentOptionError(`--backend must be wasm or cpu, got '${name}'`);
  return name;
}
const backendName = backendFlag(flags.backend);
const config: ExperimentConfig = structuredClone(quick ? QUICK_CONFIG : FULL_CONFIG);
if (flags['spectral-lrs'] !== undefined) {
  // Probe: other candidate rates for SSH and FourierFT (the same list for both families).
  const lrs = flags['spectral-lrs'].split(',').map(Number);
  if (lrs.some((v) => !(v > 0 && Number.isFinite(v)))) throw new ExperimentOptionError(`--spectral-lrs must be positive numbers separated by commas, got '${flags['spectral-lrs']}'`);
  config.lrGrid.fourierft = lrs;
  config.lrGrid.ssh = lrs;
}
config.seeds = intFlag('seeds', flags.seeds, config.seeds);
const taskIds = (flags.tasks ?? TASK_IDS.join(',')).split(',').map((t) => t.trim());
for (const t of taskIds) if (!(TASK_IDS as readonly string[]).includes(t)) throw new ExperimentOptionError(`--tasks: unknown task '${t}' (known: ${TASK_IDS.join(', ')})`);
const jobs = Math.min(taskIds.length, intFlag('jobs', flags.jobs, Math.min(2, cpus().length)));
const deadlineMinutes = flags['deadline-minutes'] === undefined ? Number.POSITIVE_INFINITY : intFlag('deadline-minutes', flags['deadline-minutes'], 0);
const outDir = resolve(ROOT, flags['out-dir'] ?? 'docs');
const resultsFile = join(outDir, 'results', 'results.json');
const notesFile = join(outDir, 'results', 'discussion.md');
const command = [BASE_COMMAND, ...process.argv.slice(2).filter((a) => a !== '--report-only')].join(' ');

function selectedMethods(): MethodEntry[] {
  const grid = methodGrid(config.n, config.lrGrid);
  // head-only always runs: it sets the head rate of the others.
  const wanted = flags.methods === undefined ? undefined : new Set(['head', ...flags.methods.split(',').map((m) => m.trim())]);
  for (const id of wanted ?? []) if (!grid.some((m) => m.id === id)) throw new ExperimentOptionError(`--methods: unknown method '${id}' (known: ${grid.map((m) => m.id).join(', ')})`);
  return wanted === undefined ? grid : grid.filter((m) => wanted.has(m.id));
}

async function writeReport(results: ExperimentResults): Promise<void> {
  mkdirSync(join(outDir, 'results'), { recursive: true });
  mkdirSync(dirname(resultsFile), { recursive: true });
  await writeFileAtomic(resultsFile, `${JSON.stringify(results, null, 2)}\n`, { overwrite: true });
  for (const task of results.tasks) await writeFileAtomic(join(outDir, 'results', `${task.id}.svg`), await renderAccuracyPlot(task), { overwrite: true });
  const notes = existsSync(notesFile) ? readFileSync(notesFile, 'utf8') : '_No discussion written yet (docs/results/discussion.md)._';
  await writeFileAtomic(join(outDir, 'results.md'), renderResultsMarkdown(results, (t) => `results/${t.id}.svg`, notes), { overwrite: true });
}

function loadResults(file: string): ExperimentResults {
  let parsed: ExperimentResults;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ExperimentResults;
  } catch (error) {
    throw new ResultsFormatError(`${file}: cannot read results (${(error as Error).message})`);
  }
  if (parsed.format !== RESULTS_FORMAT || parsed.version !== RESULTS_VERSION) {
    throw new ResultsFormatError(`${file}: format ${String(parsed.format)} v${String(parsed.version)}, expected ${RESULTS_FORMAT} v${RESULTS_VERSION}`);
  }
  return parsed;
}

/** The configuration as recorded, minus what does not change the numbers. */
function comparableConfig(results: ExperimentResults): string {
  const { jobs: _jobs, ...rest } = results.config as Record<string, unknown>;
  return JSON.stringify(rest);
}

/**
 * Adds the tasks of other runs (`<dir>/results/results.json`, same configuration) to this
 * out-dir's results and rewrites the report: tasks are independent, so a task run in
 * another invocation is the same experiment.
 */
async function mergeRuns(dirs: string[]): Promise<void> {
  const results = loadResults(resultsFile);
  for (const dir of dirs) {
    const other = loadResults(join(resolve(ROOT, dir), 'results', 'results.json'));
    if (other.quick !== results.quick || comparableConfig(other) !== comparableConfig(results)) {
      throw new ResultsFormatError(`--merge ${dir}: its configuration differs from ${resultsFile}; only runs of the same configuration can be merged`);
    }
    const added = other.tasks.filter((t) => !results.tasks.some((mine) => mine.id === t.id));
    if (added.length === 0) throw new ResultsFormatError(`--merge ${dir}: no task that ${resultsFile} lacks`);
    results.tasks.push(...added);
    results.skippedTasks = results.skippedTasks.filter((id) => !added.some((t) => t.id === id));
    results.merged = [...(results.merged ?? []), { command: other.command, createdAt: other.createdAt, wallSeconds: other.wallSeconds, tasks: added.map((t) => t.id), loadAverageAtStart: other.environment.loadAverageAtStart }];
  }
  const order = TASK_IDS as readonly string[];
  results.tasks.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  await writeReport(results);
  console.log(`merged ${dirs.join(', ')} into ${resultsFile}; tasks: ${results.tasks.map((t) => t.id).join(', ')}`);
}

async function useBackend(): Promise<void> {
  tf.env().set('PROD', true);
  // Single-threaded wasm (XNNPACK matMul, several times faster than the pure-JS cpu backend).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend(backendName))) throw new ExperimentOptionError(`tfjs backend '${backendName}' failed to initialise`);
  await tf.ready();
  // LayerNormalization's backward through tfjs's Tile gradient is a slice + add per (batch, token).
  registerLinearTileGradient();
  // tfjs tiles element by element through a TensorBuffer; LayerNormalization tiles on every call.
  registerBlockTile(backendName);
  if (backendName === 'wasm') registerSshKernelsOnWasm();
  // The stock cpu UnsortedSegmentSum is O(segments · size): Embedding gradients took 8–20 s a step.
  else registerLinearSegmentSum('cpu');
}

async function runInProcess(id: string, log: (line: string) => void): Promise<TaskResult> {
  return runTask(prepareTask(id, config.sizes), selectedMethods(), { ...config, log });
}

const children = new Set<ReturnType<typeof spawn>>();

/** Runs task `id` in a child process of this script; its log lines are prefixed with the task. */
function runInChild(id: string, scratch: string): Promise<TaskResult> {
  const out = join(scratch, `${id}.json`);
  const passOn: string[] = ['--backend', backendName, '--seeds', String(config.seeds)];
  if (quick) passOn.push('--quick');
  if (flags.methods !== undefined) passOn.push('--methods', flags.methods);
  if (flags['spectral-lrs'] !== undefined) passOn.push('--spectral-lrs', flags['spectral-lrs']);
  const args = [...process.execArgv, import.meta.filename, ...passOn, '--tasks', id, '--task-result', out];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => console.log(line.startsWith('[') ? line : `[${id}] ${line}`));
  }
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      if (code !== 0) return reject(new ExperimentError(`task ${id}: child process exited with code ${String(code)}`));
      try {
        resolvePromise(JSON.parse(readFileSync(out, 'utf8')) as TaskResult);
      } catch (error) {
        reject(new ResultsFormatError(`${out}: task ${id} wrote no readable result (${(error as Error).message})`));
      }
    });
  });
}

async function main(): Promise<void> {
  if (flags.merge !== undefined) {
    await mergeRuns(flags.merge.split(',').map((d) => d.trim()));
    return;
  }
  if (flags['report-only'] === true) {
    const results = loadResults(resultsFile);
    await writeReport(results);
    console.log(`report rewritten from ${resultsFile}\nregenerate everything with:\n  ${results.command}`);
    return;
  }
  const childResult = flags['task-result'];
  if (childResult !== undefined) {
    if (taskIds.length !== 1) throw new ExperimentOptionError('--task-result needs exactly one task in --tasks');
    await useBackend();
    const result = JSON.stringify(await runInProcess(taskIds[0], (l) => console.log(l)));
    mkdirSync(dirname(childResult), { recursive: true });
    await writeFileAtomic(childResult, result, { overwrite: true });
    return;
  }
  selectedMethods(); // validates --methods before anything starts
  const started = performance.now();
  const results: ExperimentResults = {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    createdAt: new Date().toISOString(),
    command,
    quick,
    config: { model: config.sizes.model, ...config, alpha: SPECTRAL_ALPHA, lrCandidates: config.lrGrid.head.length, jobs },
    tasks: [] as TaskResult[],
    skippedTasks: [],
    wallSeconds: 0,
    environment: { node: process.version, tfjsBackend: backendName, cpus: cpus().length, loadAverageAtStart: loadavg() },
  };
  const done = new Map<string, TaskResult>();
  const skipped: string[] = [];
  const report = async (final: boolean) => {
    results.tasks = taskIds.filter((id) => done.has(id)).map((id) => done.get(id) as TaskResult);
    // Written after every task: an interrupted run still leaves a consistent report of what finished.
    results.skippedTasks = final ? skipped : taskIds.filter((id) => !done.has(id));
    results.wallSeconds = (performance.now() - started) / 1000;
    await writeReport(results);
  };
  const scratch = mkdtempSync(join(tmpdir(), 'ssh-peft-experiments-'));
  if (jobs <= 1) await useBackend();
  try {
    const queue = [...taskIds];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const elapsedMinutes = (performance.now() - started) / 60000;
        if (elapsedMinutes >= deadlineMinutes) {
          skipped.push(id);
          console.log(`[${id}] skipped: ${elapsedMinutes.toFixed(1)} min elapsed ≥ --deadline-minutes ${deadlineMinutes}`);
          continue;
        }
        done.set(id, jobs <= 1 ? await runInProcess(id, (l) => console.log(l)) : await runInChild(id, scratch));
        await report(false);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
  } finally {
    // A failed task ends the run: stop the others rather than leave them running unattended.
    for (const child of children) child.kill('SIGTERM');
    rmSync(scratch, { recursive: true, force: true });
  }
  await report(true);
  console.log(`done in ${(results.wallSeconds / 60).toFixed(1)} min → ${join(outDir, 'results.md')}\nregenerate everything with:\n  ${command}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
