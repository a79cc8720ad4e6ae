/**
 * Browser benchmark of the GPU kernels (headless Chromium, SwiftShader — a CPU
 * implementation of WebGL2/WebGPU, so absolute times mean little; ratios do):
 *
 * 1. the DHT op against tfjs's own `tf.spectral.rfft` (an O(N²) DFT on these
 *    backends) and against a cas-matrix matMul, N = 256, 1024, 4096, 4099 (prime) and
 *    11008 (43·2⁸), and the Bluestein stage against radix-p passes at 4099 and 11008;
 * 2. the schedule choices the kernels make (direct pass vs passes for short rows,
 *    radix 2/4/8 for long ones);
 * 3. one training step of an adapted 768→768 and 768→3072 layer (see training-step.ts);
 * 4. one training step of a whole model of Dense blocks: body frozen, LoRA r = 8, SSH
 *    (model-step.ts).
 *
 * Writes the browser sections of docs/benchmarks/tfjs.md and prints them.
 * Run: `npx nx run tfjs:bench-browser` (or `npx tsx --conditions=@ssh-peft/source
 * bench/browser/run.ts` from packages/tfjs). Flags: `--no-training` (op tables only),
 * `--training-only`; and, printed without touching the docs, `--dht-only` (the webgl pass
 * layouts on the whole model's DHT shapes, ~1 min) and `--model-only[=webgl|webgpu]` (the
 * whole-model step with absolute kernel times); `--model-repeats=N` sets the whole-model rounds
 * (default 3). cpu-time.ts measures the same DHT layouts and whole-model variants by the CPU
 * time of the browser's processes, which a loaded machine disturbs less than wall time.
 */
import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BROWSER_GPU, CHROMIUM_PATH, openBrowserSession, type BrowserSession } from '../../test/browser/harness/browser-session';
import type { BenchDhtResult, GpuBackendName, PlanVariant, Timing } from '../../test/browser/harness/harness-api';
import type { BrowserStepResult } from './training-step-async';
import type { TrainingBenchApi } from './bench-page-entry';
import { ADAPTER_WORKS, type AdapterWork } from './adapter-work';
import { measureCpu, withNewChromiumPids } from './process-cpu';
import { GATHER_MIX_SSH_VARIANT, PACKED_PASSES_SSH_VARIANT, MODEL_SHAPE, type ModelStepRow } from './model-step';
import { updateDocSection } from '../doc-section';
import { WEBGL_BLUESTEIN_MIN_PRIME, WEBGL_DIRECT_MAX_LENGTH, WEBGL_RADICES } from '../../src/kernels/webgl/dht-webgl';
import { WEBGPU_BLUESTEIN_MIN_PRIME, WEBGPU_DIRECT_MAX_LENGTH, WEBGPU_RADICES } from '../../src/kernels/webgpu/dht-webgpu';

const here = dirname(fileURLToPath(import.meta.url));
const BENCH_ENTRY = resolve(here, 'bench-page-entry.ts');
const BACKENDS: GpuBackendName[] = ['webgl', 'webgpu'];

export interface BrowserBenchOptions {
  /** Rows of x in the op benchmark (rfft's O(N²) cost keeps this small). */
  opRows: number;
  /** Budget per timed op (ms). */
  budgetMs: number;
  /** Budget for one rfft measurement (ms); a call over it is timed once. */
  rfftBudgetMs: number;
  /** Tokens of the training-step benchmark. */
  trainingTokens: number;
  /** Timed repetitions per training-step variant (median reported). */
  trainingRepeats: number;
  /** Whether to run the DHT op and schedule tables. */
  ops: boolean;
  /** Whether to run the training-step tables. */
  training: boolean;
  /** Timed rounds of the whole-model step (median reported). */
  modelRepeats: number;
  /** Whether to run the webgl pass-layout table (part of the op tables; alone with `--dht-only`). */
  layouts: boolean;
  /** Whether the training tables include the one-layer steps (false: the whole model only, `--model-only`). */
  layerSteps: boolean;
  /** Backends of the training tables. */
  trainingBackends: GpuBackendName[];
}

export const DEFAULT_BROWSER_BENCH: BrowserBenchOptions = {
  opRows: 16,
  budgetMs: 1500,
  rfftBudgetMs: 3000,
  // SwiftShader runs the GPU backends on the CPU: T = 1024 took ~11 min for the 768→768 case alone.
  trainingTokens: 256,
  trainingRepeats: 3,
  ops: true,
  training: true,
  modelRepeats: 3,
  layouts: true,
  layerSteps: true,
  trainingBackends: BACKENDS,
};

/** The whole model's DHT shapes ([batch·seq, width], MODEL_SHAPE) for the webgl layout table. */
const LAYOUT_SHAPES: Array<[number, number]> = [
  [MODEL_SHAPE.batch * MODEL_SHAPE.seq, MODEL_SHAPE.dim],
  [MODEL_SHAPE.batch * MODEL_SHAPE.seq, MODEL_SHAPE.hidden],
];

export interface BrowserBenchReport {
  environment: string;
  op: Array<{ backend: GpuBackendName; n: number; result: BenchDhtResult }>;
  shortRows: Array<{ backend: GpuBackendName; n: number; result: BenchDhtResult }>;
  bluestein: Array<{ backend: GpuBackendName; n: number; result: BenchDhtResult }>;
  radix: Array<{ backend: GpuBackendName; n: number; result: BenchDhtResult }>;
  /** webgl passes in the gather and packed layouts on the whole model's shapes. */
  layouts: Array<{ rows: number; n: number; result: BenchDhtResult }>;
  training: Array<{ backend: GpuBackendName; dIn: number; dOut: number; rows: BrowserStepResult[] }>;
  model: Array<{ backend: GpuBackendName; rows: ModelStepRow[] }>;
  /** Each adapter's own kernels on the whole model's shapes: CPU ms of the browser's processes per step, one entry per round. */
  adapterWork: Array<{ backend: GpuBackendName; cpuMs: Record<AdapterWork, number[]> }>;
  options: BrowserBenchOptions;
  /** Wall time of the whole run (s). */
  seconds: number;
}

function radicesOf(backend: GpuBackendName): number[] {
  return [...(backend === 'webgl' ? WEBGL_RADICES : WEBGPU_RADICES)];
}

/** Runs every measurement in one browser session. */
export async function runBrowserBench(options: BrowserBenchOptions = DEFAULT_BROWSER_BENCH, log: (line: string) => void = () => {}): Promise<BrowserBenchReport> {
  const started = performance.now();
  const { value: session, pids } = await withNewChromiumPids<BrowserSession>(() => openBrowserSession(BENCH_ENTRY));
  try {
    const init = await session.call('init');
    if (!init.webgpuAdapter) throw new Error('WebGPU adapter unavailable in the page: cannot benchmark the webgpu kernel');
    let version = 'chromium';
    try {
      version = execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      // The version line is informative only.
    }
    const report: BrowserBenchReport = {
      environment: `${version}; WebGL${init.webglVersion} on ${init.webglRenderer} + WebGPU adapter ${init.webgpuAdapterInfo} (renderer choice \`SSH_PEFT_BROWSER_GPU=${BROWSER_GPU}\`)`,
      op: [],
      shortRows: [],
      bluestein: [],
      radix: [],
      layouts: [],
      training: [],
      model: [],
      adapterWork: [],
      options,
      seconds: 0,
    };
    for (const backend of options.ops ? BACKENDS : []) {
      // 4099 (prime) and 11008 (43·2⁸) go through the Bluestein stage; tfjs's O(N²) rfft is
      // timed up to 4099 only (at 11008 one call takes minutes on SwiftShader).
      for (const n of [256, 1024, 4096, 4099, 11008]) {
        log(`op ${backend} N=${n}`);
        const result = await session.call('benchDhtOp', { backend, n, rows: options.opRows, budgetMs: options.budgetMs, rfftBudgetMs: options.rfftBudgetMs, rfft: n <= 4099, casMatMul: n <= 4096, plans: [] });
        report.op.push({ backend, n, result });
      }
      // 16448 = 257·64: a larger prime factor, where the stage's O(log M) beats a pass's O(p). On webgl
      // also 11·64, 61·64, 127·64 and 509·16 around its threshold (WEBGL_BLUESTEIN_MIN_PRIME).
      const crossover = backend === 'webgl' ? [704, 3904, 8128, 8144] : [];
      for (const n of [4099, 11008, 16448, ...crossover]) {
        log(`bluestein ${backend} N=${n}`);
        const plans: PlanVariant[] = [
          { label: 'stage', directMaxLength: 16, radices: radicesOf(backend), bluesteinMinPrime: 11 },
          { label: 'radix passes', directMaxLength: 16, radices: radicesOf(backend), bluesteinMinPrime: Infinity },
        ];
        const result = await session.call('benchDhtOp', { backend, n, rows: options.opRows, budgetMs: options.budgetMs, rfftBudgetMs: 0, rfft: false, casMatMul: false, plans });
        report.bluestein.push({ backend, n, result });
      }
      for (const n of [8, 16, 32, 64]) {
        log(`short rows ${backend} N=${n}`);
        const plans: PlanVariant[] = [
          { label: 'direct', directMaxLength: n, radices: radicesOf(backend) },
          { label: 'passes', directMaxLength: 1, radices: radicesOf(backend) },
        ];
        const result = await session.call('benchDhtOp', { backend, n, rows: 512, budgetMs: options.budgetMs / 2, rfftBudgetMs: 0, rfft: false, casMatMul: true, plans });
        report.shortRows.push({ backend, n, result });
      }
      for (const n of [1024, 4096]) {
        log(`radix ${backend} N=${n}`);
        const plans: PlanVariant[] = [
          { label: 'radix 2', directMaxLength: 1, radices: [2] },
          { label: 'radix 4', directMaxLength: 1, radices: [4, 2] },
          { label: 'radix 8', directMaxLength: 1, radices: [8, 4, 2] },
        ];
        const result = await session.call('benchDhtOp', { backend, n, rows: 64, budgetMs: options.budgetMs, rfftBudgetMs: 0, rfft: false, casMatMul: false, plans });
        report.radix.push({ backend, n, result });
      }
    }
    for (const [rows, n] of options.layouts ? LAYOUT_SHAPES : []) {
      log(`webgl layouts [${rows}, ${n}]`);
      const radices = [...WEBGL_RADICES];
      const plans: PlanVariant[] = [
        { label: 'gather', directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices, webglLayout: 'gather' },
        { label: 'packed', directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices, webglLayout: 'packed' },
        { label: 'mirrored', directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices, webglLayout: 'mirrored' },
      ];
      const result = await session.call('benchDhtOp', { backend: 'webgl', n, rows, budgetMs: options.budgetMs, rfftBudgetMs: 0, rfft: false, casMatMul: false, plans });
      report.layouts.push({ rows, n, result });
    }
    if (options.training) {
      for (const backend of options.trainingBackends) {
        const layers = options.layerSteps
          ? [
              [768, 768],
              [768, 3072],
            ]
          : [];
        for (const [dIn, dOut] of layers) {
          log(`training ${backend} ${dIn}→${dOut}`);
          // SSH factored against LoRA (the comparison this table exists for); the dense-ΔW variants
          // (SSH dense, FourierFT) cost minutes per step on SwiftShader and are in the cpu/wasm tables.
          const stepCase = { rows: dIn, cols: dOut, tokens: options.trainingTokens, n: 1000, loraRank: 8, repeats: options.trainingRepeats, variants: ['SSH factored', 'LoRA r=8'] };
          const rows = await session.page.evaluate(
            (a) => (window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench.run(a),
            { backend, stepCase },
          );
          report.training.push({ backend, dIn, dOut, rows });
        }
        log(`whole model ${backend}`);
        const rows = await session.page.evaluate(
          (a) => (window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench.model(a),
          { backend, repeats: options.modelRepeats },
        );
        report.model.push({ backend, rows });
        log(`adapter kernels ${backend}`);
        report.adapterWork.push({ backend, cpuMs: (await timeAdapterWork(session, pids, backend, Math.max(5, options.modelRepeats))).cpu });
      }
    }
    if (session.pageErrors.length > 0) throw new Error(`the page reported errors during the bench:\n${session.pageErrors.join('\n')}`);
    report.seconds = (performance.now() - started) / 1000;
    return report;
  } finally {
    await session.close();
  }
}

/**
 * Each adapter's own kernels (adapter-work.ts) per step of the whole model, by the CPU time of
 * the browser's processes `pids` (and wall time): `rounds` rounds after a warm-up, the works
 * alternating within each; ms per step, one entry per round. Shared with cpu-time.ts `--adapter`.
 */
export async function timeAdapterWork(
  session: BrowserSession,
  pids: number[],
  backend: GpuBackendName,
  rounds: number,
): Promise<{ cpu: Record<AdapterWork, number[]>; wall: Record<AdapterWork, number[]> }> {
  const runs = 3;
  const perWork = () => Object.fromEntries(ADAPTER_WORKS.map((w) => [w, [] as number[]])) as Record<AdapterWork, number[]>;
  const cpu = perWork();
  const wall = perWork();
  for (let round = 0; round <= rounds; round++) {
    for (const work of ADAPTER_WORKS) {
      const m = await measureCpu(pids, () =>
        session.page.evaluate((a) => (window as unknown as { sshTrainingBench: TrainingBenchApi }).sshTrainingBench.adapterRuns(a), { backend, work, runs }),
      );
      if (round === 0) continue; // round 0 compiles the shaders and uploads the tables
      cpu[work].push(m.cpu / runs);
      wall[work].push(m.wall / runs);
    }
  }
  return { cpu, wall };
}

const ms = (t: Timing | null | undefined) => (t ? `${t.ms < 10 ? t.ms.toFixed(2) : t.ms.toFixed(0)} ms${t.runs === 1 ? ' (1 run)' : ''}` : '—');
const ratio = (a: Timing | null | undefined, b: Timing | null | undefined) => (a && b ? `${(a.ms / b.ms).toFixed(a.ms / b.ms < 10 ? 2 : 0)}×` : '—');
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** The markdown of the browser section. */
/** Environment, run time and what SwiftShader numbers mean (both sections). */
function preamble(r: BrowserBenchReport): string[] {
  return [
    `Environment: ${r.environment}. Regenerate with \`npx nx run tfjs:bench-browser\` (this run took`,
    `${(r.seconds / 60).toFixed(1)} min of wall time on the shared 2-core machine).`,
    '',
    '**SwiftShader is the CPU emulating a GPU.** Both backends here run their shaders on the CPU of a',
    'shared 2-core machine, so absolute times say nothing about a real GPU, and even ratios carry over',
    'only in part. What carries over: the number of dispatches (programs) per step, the memory each',
    "variant allocates (peak bytes), the absence of scatter/atomics/UnsortedSegmentSum and of",
    'transposes of activations, and correctness. What does not: the relative cost of kernels. SwiftShader',
    'pays per element of work roughly as a CPU does, so an O(T·m) gather loop costs about what its',
    'arithmetic says; on a real GPU the same loop is bandwidth-bound and spread over thousands of lanes',
    'while the frozen matMul runs near peak FLOPs, and the per-dispatch launch cost (tens of µs) weighs',
    'more. Expect the SSH/LoRA ratios below to move on a real GPU; measure there before relying on them.',
    '',
  ];
}

/** The markdown of the DHT op section. */
export function renderOpSection(r: BrowserBenchReport): string {
  const o = r.options;
  const lines: string[] = [
    '## Browser: webgl and webgpu kernels (headless Chromium)',
    '',
    ...preamble(r),
    'The kernels (`@ssh-peft/tfjs/gpu`): a decimation-in-time mixed-radix Hartley transform in Stockham',
    'order (natural order in and out), one shader program per pass, ping-pong textures (webgl) or storage',
    'buffers (webgpu), float32 cos/sin tables computed in float64 and uploaded once per length, no CPU round',
    "trip. webgl works on tfjs's packed textures (one fragment per 2×2 texel, fetches shared by its two",
    'rows and its two columns — for even N the buffers between passes hold mirrored pairs (k, L − k), which read',
    'the same inputs; twiddle powers by rotation); webgpu runs radix ≤ 16',
    'as butterflies (one thread per p outputs sharing 2p reads). Any N works in O(N log N): factors 8/4/2/3/5/7',
    `as passes; prime factors from ${WEBGL_BLUESTEIN_MIN_PRIME} up (webgl; ${WEBGPU_BLUESTEIN_MIN_PRIME} on webgpu) as one Bluestein stage — length-Q DHTs`,
    'by a real-arithmetic chirp convolution of 7-smooth length M ≥ 2Q−1 on the same passes (4099: Q = 4099;',
    '11008 = 43·2⁸ on webgpu: Q = 43, then radix passes; on webgl 11008 is radix passes only, 43 included).',
    '',
    `### DHT op vs tfjs's \`tf.spectral.rfft\` (x: [${o.opRows}, N], float32)`,
    '',
    'The op is the O(N log N) mixed-radix Hartley transform of `@ssh-peft/tfjs/gpu`; `rfft` is',
    "tfjs's own kernel on the same backend (an O(N²) DFT with cos/sin per term; one timed call when",
    `a single call exceeds ${o.rfftBudgetMs} ms); "cas matMul" is \`tf.matMul(x, C)\` with a cached N×N cas matrix.`,
    '',
    '| backend | N | DHT op | rfft | rfft / DHT | cas matMul | matMul / DHT |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { backend, n, result } of r.op) {
    lines.push(`| ${backend} | ${n} | ${ms(result.dht)} | ${ms(result.rfft)} | ${ratio(result.rfft, result.dht)} | ${ms(result.casMatMul)} | ${ratio(result.casMatMul, result.dht)} |`);
  }
  lines.push(
    '',
    `### Large prime factors: Bluestein stage vs radix-p passes (x: [${o.opRows}, N])`,
    '',
    'The same kernel loop with the stage (the default) and without it (the prime factor as one radix-p',
    'pass, O(N·p) per row; for a prime N the direct O(N²) pass).',
    '',
    '| backend | N | stage (Q, M, passes after) | radix passes (count) | radix / stage |',
    '|---|---:|---:|---:|---:|',
  );
  for (const { backend, n, result } of r.bluestein) {
    const stage = result.plans['stage'];
    const passes = result.plans['radix passes'];
    lines.push(`| ${backend} | ${n} | ${ms(stage)} (${stage.bluestein ?? '—'}) | ${ms(passes)} (${passes.passes}) | ${ratio(passes, stage)} |`);
  }
  lines.push(
    '',
    '### Schedule choices',
    '',
    `Short rows (x: [512, N]): one direct O(N²) pass vs the multi-pass schedule vs a cas-matrix matMul. The kernels`,
    `use the direct pass up to N = ${WEBGL_DIRECT_MAX_LENGTH} on webgl and N = ${WEBGPU_DIRECT_MAX_LENGTH} on webgpu (constants \`WEBGL_DIRECT_MAX_LENGTH\`,`,
    '`WEBGPU_DIRECT_MAX_LENGTH`), the passes above; the matMul is kept as a measured peer, not as a kernel path.',
    '',
    '| backend | N | direct | passes (count) | cas matMul | direct / passes | matMul / best kernel schedule |',
    '|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const { backend, n, result } of r.shortRows) {
    const d = result.plans['direct'];
    const p = result.plans['passes'];
    const best = d.ms <= p.ms ? d : p;
    lines.push(`| ${backend} | ${n} | ${ms(d)} | ${ms(p)} (${p.passes}) | ${ms(result.casMatMul)} | ${ratio(d, p)} | ${ratio(result.casMatMul, best)} |`);
  }
  lines.push(
    '',
    `Long rows (x: [64, N]): radix of the passes. Defaults: webgl [${WEBGL_RADICES.join(', ')}], webgpu [${WEBGPU_RADICES.join(', ')}]`,
    '(webgl, mirrored passes: a fragment computes a 2×2 texel from one fetch per term between the first',
    'and last passes, p + 1 fetches for 4 outputs; the webgpu butterfly computes p outputs per thread from 2p reads).',
    '',
    '| backend | N | radix 2 | radix 4 | radix 8 |',
    '|---|---:|---:|---:|---:|',
  );
  for (const { backend, n, result } of r.radix) {
    const cell = (label: string) => `${ms(result.plans[label])} (${result.plans[label].passes} passes)`;
    lines.push(`| ${backend} | ${n} | ${cell('radix 2')} | ${cell('radix 4')} | ${cell('radix 8')} |`);
  }
  lines.push(...renderLayoutTable(r));
  lines.push('', 'Training steps on these backends (a layer and a whole model, SSH against LoRA): section *Browser: SSH training* below.');
  return lines.join('\n');
}

/** The webgl pass layouts (gather, packed, mirrored — the kernel's) on the whole model's DHT shapes. */
export function renderLayoutTable(r: BrowserBenchReport): string[] {
  if (r.layouts.length === 0) return [];
  const lines = [
    '',
    `webgl pass layout on the whole model's DHT shapes (same schedule, radices [${WEBGL_RADICES.join(', ')}]): \`gather\` is one`,
    'fragment per output reading 2p−1 values and 2(p−1) twiddles (13 fetches per output at radix 4);',
    '`packed` is one fragment per 2×2 texel in natural order, each fetch serving two rows and, on these',
    'power-of-two lengths, two columns sharing a texel too; one twiddle fetch per texel, the other powers',
    'by rotation in the shader (~2.75 fetches per output at radix 4, a quarter of the fragments);',
    '`mirrored` (the kernel\'s layout) is `packed` with the buffers between passes stored in mirrored pairs',
    '(k, L − k), so one fetch per term serves the whole texel (1.25 fetches per output at radix 4 between',
    'the first and the last pass, 2.25 in the last, which writes natural order).',
    '',
    '| x | passes | gather | packed | mirrored | packed / mirrored |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const { rows, n, result } of r.layouts) {
    const g = result.plans['gather'];
    const p = result.plans['packed'];
    const m = result.plans['mirrored'];
    lines.push(`| [${rows}, ${n}] | ${p.passes} | ${ms(g)} | ${ms(p)} | ${ms(m)} | ${ratio(p, m)} |`);
  }
  return lines;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/** The adapters' own kernels on the whole model's shapes, and what that says about the step. */
export function renderAdapterWork(r: BrowserBenchReport): string[] {
  if (r.adapterWork.length === 0) return [];
  const m = MODEL_SHAPE;
  const lines = [
    '',
    '#### What each adapter adds: its own kernels alone, on the whole model\'s shapes',
    '',
    `bench/browser/adapter-work.ts runs, per step, only the kernels an adapter adds to the three adapted layers`,
    `(x: [${m.batch * m.seq}, d_in], dy: [${m.batch * m.seq}, d_out]; no frozen matMul, no optimizer), timed by the CPU time of the`,
    'browser\'s processes (what the renderer spends; a loaded machine disturbs it less than wall time), median',
    'and range over the rounds. *LoRA r = 8*: its six rank-8 matMuls per layer (five on the first, which needs',
    'no ∂L/∂x). *SSH*: the factored route as sshLinear runs it (DHT of x, mix, DHT; DHT of dy, ∂L/∂c,',
    'and the transposed mix and DHT for ∂L/∂x). *SSH floor*: what ∂L/∂c = Σ_t DHT(x)[t, u]·DHT(dy)[t, v]',
    'needs on every route that does not form the dense weight gradient — the transform of x over d_in, the',
    'transform of dy over d_out and the reduction; a route that folded ΔW into the frozen matMul would save',
    'the other transforms, never these. *SSH via xᵀ·dy*: ∂L/∂c the other way, from the weight gradient',
    'G = xᵀ·dy of full fine-tuning (T·d_in·d_out multiply-adds), its 2D DHT and a gather of the n positions.',
    '',
    '| backend | LoRA r=8 own kernels | SSH own kernels | SSH / LoRA | SSH floor | floor / LoRA | SSH ∂L/∂c via xᵀ·dy | that / LoRA |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const cell = (v: number[]) => `${median(v).toFixed(0)} ms (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`;
  const verdicts: string[] = [];
  for (const { backend, cpuMs } of r.adapterWork) {
    const lora = median(cpuMs.lora);
    const ssh = median(cpuMs.ssh);
    const floor = median(cpuMs['ssh-floor']);
    const viaGrad = median(cpuMs['ssh-weight-grad']);
    lines.push(
      `| ${backend} | ${cell(cpuMs.lora)} | ${cell(cpuMs.ssh)} | ${(ssh / lora).toFixed(2)}× | ${cell(cpuMs['ssh-floor'])} | ${(floor / lora).toFixed(2)}× | ` +
        `${cell(cpuMs['ssh-weight-grad'])} | ${(viaGrad / lora).toFixed(2)}× |`,
    );
    verdicts.push(
      Math.min(floor, viaGrad) > lora
        ? `* ${backend}: ∂L/∂c alone costs at least ${(Math.min(floor, viaGrad) / lora).toFixed(2)}× LoRA's own kernels whichever way it is computed, so on this renderer no route of the op brings SSH's step under LoRA's; only cheaper transforms could.`
        : ssh > lora
          ? `* ${backend}: SSH's kernels cost ${(ssh / lora).toFixed(2)}× LoRA's, but the floor is ${(floor / lora).toFixed(2)}×: a route with fewer transforms could close the gap.`
          : `* ${backend}: SSH's own kernels cost ${(ssh / lora).toFixed(2)}× LoRA's.`,
    );
  }
  lines.push('', ...verdicts);
  return lines;
}

/** The markdown of the training-step section. */
export function renderTrainingSection(r: BrowserBenchReport): string {
  const o = r.options;
  const lines: string[] = [
    '## Browser: SSH training on webgl and webgpu (headless Chromium)',
    '',
    ...preamble(r),
    'The sparse mix (`SshSparseMix`, `SshSparseMixCoefGrad`) is gather-only on both backends: one',
    'thread/fragment per output element reads the terms grouped on it (index tables built once per',
    'position set, grouped by output column for the forward and by input column for ∂L/∂x, uploaded',
    'once and cached on the backend), a small pass forms weight·c per term, and ∂L/∂c is one reduction',
    'over the tokens per coefficient (on webgl in chunks of 32 tokens, then a sum): 2 programs per mix direction (per-term weights, then the gather) and 1–2 for ∂L/∂c, plus the',
    'DHT passes; no UnsortedSegmentSum, no scatter, no atomics, no transpose of [T, d] activations.',
    'On webgl the programs run in tfjs\'s packed layout, as the DHT passes do: a fragment computes a',
    '2×2 block (two tokens × two output columns, or two coefficients over token pairs), so each fetch',
    'of x or dy serves two tokens and no pack/unpack conversion sits between the transform and the mix.',
    '',
  ];
  {
    lines.push(
      '',
      `### One training step (T = ${o.trainingTokens} tokens, n = 1000 positions, LoRA r = 8), ratios over the frozen layer`,
      '',
      'The cpu table\'s training step (bench/training-step.ts; run here through training-step-async.ts, which only swaps',
      '`dataSync` for `await data()` — WebGPU cannot read back synchronously) on each GPU backend:',
      'forward + backward + Adam update of the adapter weights; "frozen" is the frozen layer\'s forward',
      `and loss. Median of ${o.trainingRepeats} steps; peak = \`tf.profile\` peakBytes of one step.`,
      '',
      '| backend | layer | variant | trainable | step | step / frozen | overhead / frozen | peak | peak / frozen |',
      '|---|---|---|---:|---:|---:|---:|---:|---:|',
    );
    const targets: string[] = [
      '',
      'Targets: SSH factored overhead ≤ LoRA r=8 overhead, SSH peak ≤ LoRA peak (same run):',
      '',
      '| backend | layer | SSH overhead | LoRA overhead | overhead target | SSH peak | LoRA peak | memory target |',
      '|---|---|---:|---:|---|---:|---:|---|',
    ];
    for (const { backend, dIn, dOut, rows } of r.training) {
      const frozen = rows[0];
      const ssh = rows.find((x) => x.variant === 'SSH factored');
      const lora = rows.find((x) => x.variant.startsWith('LoRA'));
      if (ssh && lora) {
        const over = (x: BrowserStepResult) => (x.ms - frozen.ms) / frozen.ms;
        targets.push(
          `| ${backend} | ${dIn}→${dOut} | ${over(ssh).toFixed(2)}× | ${over(lora).toFixed(2)}× | ${over(ssh) <= over(lora) ? 'met' : 'NOT met'} | ` +
            `${mb(ssh.peakBytes)} | ${mb(lora.peakBytes)} | ${ssh.peakBytes <= lora.peakBytes ? 'met' : 'NOT met'} |`,
        );
      }
      for (const row of rows) {
        lines.push(
          `| ${backend} | ${dIn}→${dOut} | ${row.variant} | ${row.trainable} | ${row.ms.toFixed(0)} ms | ${(row.ms / frozen.ms).toFixed(2)}× | ` +
            `${((row.ms - frozen.ms) / frozen.ms).toFixed(2)}× | ${mb(row.peakBytes)} | ${(row.peakBytes / frozen.peakBytes).toFixed(2)}× |`,
        );
      }
    }
    lines.push(...targets);
    lines.push(
      '',
      '#### Where the SSH factored step spends its time (tf.profile kernel times of one step)',
      '',
      '| backend | layer | top kernels (share of summed kernel time) |',
      '|---|---|---|',
    );
    for (const { backend, dIn, dOut, rows } of r.training) {
      const ssh = rows.find((x) => x.variant === 'SSH factored');
      if (!ssh) continue;
      const total = ssh.kernels.reduce((a, k) => a + k.ms, 0);
      const top = ssh.kernels.slice(0, 5).map((k) => `${k.name} ${((100 * k.ms) / total).toFixed(0)}%`);
      lines.push(`| ${backend} | ${dIn}→${dOut} | ${top.join(', ')} |`);
    }
  }
  if (r.model.length > 0) {
    const m = MODEL_SHAPE;
    lines.push(
      '',
      `### Whole model: Dense blocks on [${m.batch}, ${m.seq}, ${m.dim}], adapters on 3 layers, head trainable (\`trainOnBatch\`, Adam)`,
      '',
      `Layers ${m.dim}→${m.hidden}→${m.dim}→${m.hidden}→${m.dim} (ReLU), average pooling, head ${m.dim}→${m.classes}; adapters on the first`,
      `three Dense layers: LoRA r = ${m.loraRank} or SSH with n = ${m.positionsPerLayer} per layer (applySSH defaults: separable, route \`auto\`).`,
      `The variants' steps alternate round by round; median of ${o.modelRepeats} rounds.`,
      '',
      '| backend | variant | trainable | step | step / frozen | overhead / frozen | peak | top kernels (share of summed kernel time) |',
      '|---|---|---:|---:|---:|---:|---:|---|',
    );
    for (const { backend, rows } of r.model) {
      const frozen = rows[0];
      for (const row of rows) {
        const total = row.kernels.reduce((a, k) => a + k.ms, 0);
        const top = row.kernels.slice(0, 4).map((k) => `${k.name} ${((100 * k.ms) / total).toFixed(0)}%`);
        lines.push(
          `| ${backend} | ${row.variant} | ${row.trainable} | ${row.ms.toFixed(0)} ms | ${(row.ms / frozen.ms).toFixed(2)}× | ` +
            `${((row.ms - frozen.ms) / frozen.ms).toFixed(2)}× | ${mb(row.peakBytes)} | ${top.join(', ')} |`,
        );
      }
    }
    lines.push('', 'SSH step / LoRA r=8 step (same run):', '');
    for (const { backend, rows } of r.model) {
      const lora = rows.find((x) => x.variant.startsWith('LoRA'));
      const ssh = rows.find((x) => x.variant === 'SSH');
      const packedPasses = rows.find((x) => x.variant === PACKED_PASSES_SSH_VARIANT);
      if (!lora || !ssh) continue;
      const gatherMix = rows.find((x) => x.variant === GATHER_MIX_SSH_VARIANT);
      const before = packedPasses ? ` (with the DHT passes in the \`packed\` layout, natural order between passes: ${(packedPasses.ms / lora.ms).toFixed(2)}×, mirrored / packed passes step ${(ssh.ms / packedPasses.ms).toFixed(2)}×)` : '';
      const beforeMix = gatherMix ? `; with the sparse-mix programs unpacked (\`gather\`): ${(gatherMix.ms / lora.ms).toFixed(2)}×, packed mix / unpacked mix step ${(ssh.ms / gatherMix.ms).toFixed(2)}×` : '';
      lines.push(`* ${backend}: ${(ssh.ms / lora.ms).toFixed(2)}×${before}${beforeMix}`);
    }
  }
  lines.push(...renderAdapterWork(r));
  return lines.join('\n');
}


async function main(): Promise<void> {
  const log = (line: string) => console.error(`[browser bench] ${line}`);
  if (process.argv.includes('--dht-only')) {
    // The webgl layout table alone (~1 min), printed, docs untouched.
    const report = await runBrowserBench({ ...DEFAULT_BROWSER_BENCH, ops: false, training: false, layouts: true }, log);
    console.log(renderLayoutTable(report).join('\n'));
    return;
  }
  // `--model-repeats=N`: more alternating rounds of the whole-model step than the default, for a steadier median on a busy machine.
  const repeatsArg = process.argv.find((a) => a.startsWith('--model-repeats='));
  const modelRepeats = repeatsArg === undefined ? DEFAULT_BROWSER_BENCH.modelRepeats : Number(repeatsArg.split('=')[1]);
  if (!Number.isInteger(modelRepeats) || modelRepeats < 1) throw new Error(`--model-repeats must be a positive integer, got ${repeatsArg}`);
  const modelOnly = process.argv.find((a) => a.startsWith('--model-only'));
  if (modelOnly !== undefined) {
    // The whole-model step alone (`--model-only=webgl` for one backend), printed, docs untouched.
    const backend = modelOnly.split('=')[1] as GpuBackendName | undefined;
    const trainingBackends = backend === undefined ? BACKENDS : [backend];
    const report = await runBrowserBench({ ...DEFAULT_BROWSER_BENCH, ops: false, training: true, layouts: false, layerSteps: false, trainingBackends, modelRepeats }, log);
    console.log(renderTrainingSection(report));
    // Absolute kernel times (ms) of the profiled step: what a variant adds over another.
    for (const { backend, rows } of report.model) {
      for (const row of rows) {
        const total = row.kernels.reduce((a, k) => a + k.ms, 0);
        const top = row.kernels.slice(0, 8).map((k) => `${k.name} ${k.ms.toFixed(0)}`);
        console.log(`${backend} | ${row.variant} | Σ kernels ${total.toFixed(0)} ms | ${top.join(', ')}`);
        console.log(`${backend} | ${row.variant} | largest matMuls (input shapes): ${row.matMuls.slice(0, 6).map((k) => `${k.name} ${k.ms.toFixed(0)}`).join(', ')}`);
      }
    }
    return;
  }
  const training = !process.argv.includes('--no-training');
  const ops = !process.argv.includes('--training-only');
  const report = await runBrowserBench({ ...DEFAULT_BROWSER_BENCH, ops, training, layouts: ops, modelRepeats }, log);
  if (ops) {
    const section = renderOpSection(report);
    console.log(section);
    console.log(`\nwritten: ${updateDocSection('browser', section)}`);
  }
  if (training) {
    const section = renderTrainingSection(report);
    console.log(section);
    console.log(`\nwritten: ${updateDocSection('browser-training', section)}`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
