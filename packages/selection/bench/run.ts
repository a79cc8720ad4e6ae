/**
 * Benchmark of @ssh-peft/selection on a model-shaped workload: the 7 projections of one LLaMA-7B
 * block (4 × 4096×4096, 2 × 4096×11008, 11008×4096), streamed layer by layer from a generator.
 * Reports total time, the share of the DHT vs the ranking, peak RSS against the largest matrix,
 * 1 vs 2 worker threads, the bare 2D DHT of the same matrices (the floor), the histogram top-k vs
 * the previous sampled-threshold top-k vs a full sort, and the fingerprint throughput vs Node's
 * native SHA-256; writes docs/benchmarks/selection.md (atomically).
 *
 * Usage: npx nx run selection:bench   [-- --scale=4] (divide every dimension by 4, quick; not written)
 *                                      [-- --only=global-1pct] (that streamed-selection row alone, quick;
 *                                      not written; ids: global-7000, per-layer-1000, global-1pct)
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPlan2d, dht2d, loadSimd, normalizationFactor } from '@ssh-peft/hartley';
import { fingerprintWeights, serializePlan, type SelectionOptions } from '../src/index';
import { phaseTimer, runSelection, type PhaseTimes } from '../src/select';
import { FIRST_DIGIT_BINS, scanEnergies } from '../src/energy-keys';
import { topEnergyPositions } from '../src/top-energy';
import { topEnergySet } from '../src/top-energy-set';
import { legacyTopEnergyPositions } from '../test/legacy-top-energy';
import { blockShapes, streamBlock } from './workload';

const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const divisor = scaleArg === undefined ? 1 : Number(scaleArg.slice('--scale='.length));
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg?.slice('--only='.length);
const write = divisor === 1 && only === undefined;
const shapes = blockShapes(divisor);
const MB = 1024 * 1024;
const lines: string[] = [];
const log = (line = ''): void => {
  console.log(line);
  lines.push(line);
};
const rssMB = (): number => process.memoryUsage().rss / MB;
const peakRssMB = (): number => process.resourceUsage().maxRSS / 1024;

/** totalMs: wall time of the selection, the generator's synthesis of the weights (synthesisMs) excluded. */
async function timedSelection(options: SelectionOptions): Promise<{ times: PhaseTimes; totalMs: number; synthesisMs: number; text: string; peakMB: number; cpuMs: number }> {
  const times: PhaseTimes = { checkMs: 0, dhtMs: 0, rankMs: 0 };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const synthesis = { ms: 0 };
  const plan = await runSelection(streamBlock(shapes, synthesis), options, phaseTimer(times));
  const totalMs = performance.now() - t0 - synthesis.ms;
  const cpu = process.cpuUsage(cpu0);
  return { times, totalMs, synthesisMs: synthesis.ms, text: serializePlan(plan), peakMB: peakRssMB(), cpuMs: (cpu.user + cpu.system) / 1000 };
}

const largest = shapes.reduce((m, [, r, c]) => Math.max(m, r * c), 0);
const largestMB = (largest * 4) / MB;
const totalPositions = shapes.reduce((s, [, r, c]) => s + r * c, 0);
log(`# @ssh-peft/selection benchmark`);
log();
log(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average at start ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')} (machine shared with other jobs: figures are noisy).`);
log(`Workload: one LLaMA-7B block${divisor === 1 ? '' : ` with every dimension divided by ${divisor}`} — ${shapes.map(([n, r, c]) => `${n.split('.').pop()} ${r}×${c}`).join(', ')} — float32, streamed from an async generator (each matrix is created when requested and dropped after scoring): ${(totalPositions / 1e6).toFixed(1)} M positions, largest matrix ${largestMB.toFixed(0)} MB.`);
log();
const baseline = rssMB();

// 1. The streamed selection itself (first, so that peak RSS belongs to it alone).
const budget = 7 * 1000;
const allRuns: [id: string, label: string, options: SelectionOptions][] = [
  ['global-7000', `global, budget ${budget}, relative-energy, δ = 0.7`, { strategy: 'global', budget, energyRatio: 0.7, seed: 1, score: 'relative-energy', workers: 1 }],
  ['per-layer-1000', `per-layer, 1000 per layer, δ = 0.7`, { strategy: 'per-layer', perLayer: 1000, energyRatio: 0.7, seed: 1, workers: 1 }],
  ['global-1pct', `global, budget 1% = ${Math.round(totalPositions / 100)}, δ = 1 (large-k ranking)`, { strategy: 'global', budget: Math.round(totalPositions / 100), energyRatio: 1, seed: 1, score: 'energy', workers: 1 }],
];
const runs = allRuns.filter(([id]) => only === undefined || id === only).map(([, label, options]): [string, SelectionOptions] => [label, options]);
if (runs.length === 0) throw new Error(`--only=${only}: no such run (ids: ${allRuns.map(([id]) => id).join(', ')})`);
log(`## Streamed selection (\`selectSpectrum\`)`);
log();
log(`One thread (\`workers: 1\`). RSS before: ${baseline.toFixed(0)} MB. "check" = finiteness check and fingerprint (one pass); "DHT" = 2D DHT + one pass for the total energy and the histogram of the energies' keys; "ranking" = top-k as a set (threshold from the histogram, one sequential collecting pass, the exact cut among the ≈ k collected; nothing ordered), cross-layer pool (score-digit counts, one exact cut at the end), random share, plan assembly. Phase times come from the \`SelectionObserver\` of the benchmark's entry \`runSelection\`.`);
log();
log('| run | total s | (weights synthesis s, excluded) | check s | DHT s | ranking s | ranking / DHT | peak RSS MB | peak RSS / largest matrix |');
log('|---|---|---|---|---|---|---|---|---|');
const verdicts: string[] = [];
let oneThreadMs = 0;
let oneThreadText = '';
for (const [label, options] of runs) {
  const { times, totalMs, synthesisMs, peakMB, text } = await timedSelection(options);
  if (oneThreadMs === 0) {
    oneThreadMs = totalMs;
    oneThreadText = text;
  }
  const rankShare = times.rankMs / times.dhtMs;
  const memory = (peakMB - baseline) / largestMB;
  const rankLimit = options.budget !== undefined && options.budget > 100_000 ? 0.2 : 0.15;
  // The O(budget) part: what a budget position may hold while ranked — index, energy, sort keys,
  // pool score and key, several layers' candidates before trimming — allowed 128 bytes each.
  const positionsHeld = options.budget ?? (options.perLayer ?? 0) * shapes.length;
  const excessMB = peakMB - baseline - 3 * largestMB;
  const allowanceMB = (128 * positionsHeld) / MB;
  verdicts.push(
    `- ${label}: ranking adds ${(100 * rankShare).toFixed(1)} % to the DHT time (target ≤ ${100 * rankLimit} %: ${rankShare <= rankLimit ? 'met' : 'NOT met'}); peak RSS above the start = ${memory.toFixed(2)} × the largest matrix = 3 × ${excessMB >= 0 ? '+' : '−'} ${Math.abs(excessMB).toFixed(1)} MB, against 3 × + ${allowanceMB.toFixed(1)} MB for ${positionsHeld} positions at 128 B (target ≤ 3 × + O(budget): ${excessMB <= allowanceMB ? 'met' : 'NOT met'}).`,
  );
  log(`| ${label} | ${(totalMs / 1000).toFixed(2)} | ${(synthesisMs / 1000).toFixed(2)} | ${(times.checkMs / 1000).toFixed(2)} | ${(times.dhtMs / 1000).toFixed(2)} | ${(times.rankMs / 1000).toFixed(3)} | ${((100 * times.rankMs) / times.dhtMs).toFixed(1)} % | ${peakMB.toFixed(0)} | ${(peakMB / largestMB).toFixed(2)} (${((peakMB - baseline) / largestMB).toFixed(2)} above the start) |`);
}
log();
log('Targets:');
for (const v of verdicts) log(v);
log('- one block on one core (≤ 6 s): see "One block against the DHT floor" below.');
log();
if (only !== undefined) process.exit(0);
log('Peak RSS is the process maximum so far (`process.resourceUsage().maxRSS`), so each row includes the rows above it; "total" is the wall time of \`selectSpectrum\` without the time the generator spends synthesising the weights (measured inside it, shown apart): reading a checkpoint instead would not be part of the selection either. The three matrices: the layer being scored, its spectrum in the WebAssembly memory of hartley (kept at the largest size), and the previous layer, unreachable but not yet collected while the generator allocates the next one (V8 collects large array buffers lazily).');
log();

// 1b. Worker threads: the first run again with 1 and 2 workers (wall time; after the one-thread
// rows, so that their peak RSS is theirs alone). The plans must be byte-identical.
log('## Worker threads (`workers` option), first run above');
log();
log('| workers | wall s (weights synthesis excluded) | process CPU s (synthesis included) | speed-up vs 1 worker | plan identical to one thread | 32-block 7B model, projected |');
log('|---|---|---|---|---|---|');
let wallOne = 0;
for (const workers of [1, 2]) {
  const { totalMs, text, cpuMs } = await timedSelection({ ...runs[0]![1], workers });
  if (workers === 1) wallOne = totalMs;
  log(`| ${workers} | ${(totalMs / 1000).toFixed(2)} | ${(cpuMs / 1000).toFixed(2)} | ${(wallOne / totalMs).toFixed(2)} × | ${text === oneThreadText ? 'yes' : 'NO'} | ${((32 * totalMs) / 60000).toFixed(1)} min |`);
}
log();
log(`Projection: 32 × the time of one block (a LLaMA-7B checkpoint has 32 such blocks; embeddings and the LM head are not selected). The machine has ${cpus().length} cores shared with other jobs (load average now ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}), so 2-worker scaling is bounded by the cores actually free.`);
log();

// 1c. The floor: the bare 2D DHT of the same 7 matrices through hartley's public API (the transform
// the selection calls), in this run, against the one-thread selection of the first row.
await loadSimd();
let floorMs = 0;
for await (const layer of streamBlock(shapes)) {
  const plan = createPlan2d(layer.rows, layer.cols);
  const t0 = performance.now();
  plan.transformToScratch(layer.weights as Float32Array, normalizationFactor(layer.rows * layer.cols, 'backward', 'dht'));
  floorMs += performance.now() - t0;
}
log('## One block against the DHT floor');
log();
const blockMs = Math.min(oneThreadMs, wallOne);
log(`The 2D DHT alone of the block's 7 matrices (\`createPlan2d(rows, cols).transformToScratch\`, WebAssembly SIMD, one thread, this run): ${(floorMs / 1000).toFixed(2)} s. The one-thread selection of the first row took ${(oneThreadMs / 1000).toFixed(2)} s, and ${(wallOne / 1000).toFixed(2)} s run again with \`workers: 1\` (the spread is the machine's load); the faster, ${(blockMs / 1000).toFixed(2)} s, is ${(blockMs / floorMs).toFixed(2)} × that floor (the rest: the fingerprint pass, the energy pass, ranking; the weights' synthesis is excluded).`);
log();
log(`- one block on one core: ${(blockMs / 1000).toFixed(2)} s (target ≤ 6 s: ${blockMs <= 6000 ? 'met' : `NOT met; the DHT floor alone is ${(floorMs / 1000).toFixed(2)} s here, ${floorMs <= 6000 ? 'so the gap is the work beyond the DHT' : 'above the target by itself on this machine'}`}).`);
log();

// 2. Top-k: the histogram selection against the previous implementation (sampled threshold +
// counting pass + 64-bit radix order) and against a full sort of the same energies.
const [, qRows, qCols] = shapes[0]!;
const sample = (await streamBlock([shapes[0]!]).next()).value!;
const spectrum = dht2d(sample.weights, qRows, qCols);
log(`## Ranking one ${qRows}×${qCols} spectrum: histogram top-k vs the previous top-k vs full sort`);
log();
log('Histogram top-k (ranked, as the reference rule `energyThreshold` needs) timed twice: with its own counting pass, and given the histogram as in the selection (where the pass that sums the total energy counts it); the top-k set (index order, no ranking) given the histogram. Results identical to the previous top-k (checked here, in test/top-energy.test.ts and test/top-energy-set.test.ts).');
log();
log('| k | histogram top-k ms | … histogram given ms | top-k set, histogram given ms (what the selection runs) | previous top-k ms | previous / histogram (given) | full sort of the energies ms (Float64Array.prototype.sort, no indices) | full sort / histogram |');
log('|---|---|---|---|---|---|---|---|');
const firstDigits = new Uint32Array(FIRST_DIGIT_BINS);
scanEnergies(spectrum, firstDigits);
const energies = new Float64Array(spectrum.length);
for (let i = 0; i < spectrum.length; i++) energies[i] = spectrum[i]! * spectrum[i]!;
const sorted = energies.slice();
const t2 = performance.now();
sorted.sort();
const sortMs = performance.now() - t2;
for (const k of [1000, 100_000, Math.round(spectrum.length / 100), Math.round(totalPositions / 100)]) {
  const t0 = performance.now();
  const fast = topEnergyPositions(spectrum, k);
  const topMs = performance.now() - t0;
  const t3 = performance.now();
  topEnergyPositions(spectrum, k, 'auto', firstDigits);
  const givenMs = performance.now() - t3;
  const t4 = performance.now();
  const set = topEnergySet(spectrum, k, firstDigits);
  const setMs = performance.now() - t4;
  const t1 = performance.now();
  const previous = legacyTopEnergyPositions(spectrum, k);
  const previousMs = performance.now() - t1;
  const same = fast.indices.length === previous.indices.length && fast.indices.every((v, i) => v === previous.indices[i]);
  if (!same) throw new Error(`top-k differs from the previous implementation at k = ${k}`);
  const asSet = Array.from(previous.indices).sort((a, b) => a - b);
  if (set.indices.length !== asSet.length || !asSet.every((v, i) => v === set.indices[i])) throw new Error(`top-k set differs from the previous top-k at k = ${k}`);
  log(`| ${k} | ${topMs.toFixed(1)} | ${givenMs.toFixed(1)} | ${setMs.toFixed(1)} | ${previousMs.toFixed(1)} | ${(previousMs / topMs).toFixed(1)} × (${(previousMs / givenMs).toFixed(1)} ×) | ${sortMs.toFixed(1)} | ${(sortMs / topMs).toFixed(1)} × |`);
}
log();

// 3. Fingerprint throughput against Node's native SHA-256 over the same bytes.
log(`## fingerprintWeights vs node:crypto SHA-256 (same bytes)`);
log();
log('| input | fingerprint ms | MB/s | SHA-256 ms | SHA-256 / fingerprint |');
log('|---|---|---|---|---|');
const f32 = sample.weights as Float32Array;
const f64 = Float64Array.from(f32);
for (const [label, w] of [['float32', f32], ['float64 (converted to float32 in chunks)', f64]] as const) {
  fingerprintWeights(w, qRows, qCols); // warm-up
  const t0 = performance.now();
  fingerprintWeights(w, qRows, qCols);
  const fpMs = performance.now() - t0;
  const t1 = performance.now();
  createHash('sha256').update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength)).digest('hex');
  const shaMs = performance.now() - t1;
  log(`| ${label} ${qRows}×${qCols} | ${fpMs.toFixed(1)} | ${((w.length * 4) / MB / (fpMs / 1000)).toFixed(0)} (float32 bytes) | ${shaMs.toFixed(1)} | ${(shaMs / fpMs).toFixed(2)} × |`);
}
log();
log(`Command: \`npx nx run selection:bench\` (${new Date().toISOString()}).`);

if (write) {
  const target = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'docs', 'benchmarks', 'selection.md');
  mkdirSync(dirname(target), { recursive: true });
  const temp = `${target}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  writeSync(fd, `${lines.join('\n')}\n`);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, target);
  console.log(`\nwritten: ${target}`);
}
