/**
 * Load-robust companion of run.ts: the CPU time that the browser's processes (the GPU process
 * that runs SwiftShader, the renderer that runs tfjs) spend per DHT or per whole-model
 * training step, read from /proc (Linux) around each call. On a machine shared with other
 * jobs the wall times of run.ts swing by ±50 % between runs, while the CPU time a
 * computation consumes changes far less with the load. Variants alternate round by round;
 * medians are reported, with the wall times beside them. Printed only (docs untouched).
 *
 * Run from packages/tfjs:
 *   npx tsx --conditions=@ssh-peft/source bench/browser/cpu-time.ts [--rounds=7] [--dht] [--model[=webgl|webgpu]]
 * `--dht` times the webgl pass layouts on the whole model's DHT shapes, `--model` the
 * whole-model step variants of model-step.ts (default: both, webgl).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowserSession } from '../../test/browser/harness/browser-session';
import type { GpuBackendName, PlanVariant } from '../../test/browser/harness/harness-api';
import type { TrainingBenchApi } from './bench-page-entry';
import { MODEL_SHAPE } from './model-step';
import { WEBGL_DIRECT_MAX_LENGTH, WEBGL_RADICES } from '../../src/kernels/webgl/dht-webgl';

const here = dirname(fileURLToPath(import.meta.url));
const TICKS_PER_SECOND = 100;

function chromiumPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('chromium')) pids.add(Number(entry));
    } catch {
      // The process ended while listing.
    }
  }
  return pids;
}

/** User + system CPU time (ms) of `pids`, counting processes that have ended as 0 from then on. */
function cpuMs(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Ended.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const rounds = Number(arg('rounds')?.split('=')[1] ?? 7);
  const dht = arg('dht') !== undefined || arg('model') === undefined;
  const modelArg = arg('model');
  const model = modelArg !== undefined || arg('dht') === undefined;
  const modelBackend = (modelArg?.split('=')[1] ?? 'webgl') as GpuBackendName;

  const before = chromiumPids();
  const session = await openBrowserSession(resolve(here, 'bench-page-entry.ts'));
  const mine = [...chromiumPids()].filter((p) => !before.has(p));
  const bench = <K extends keyof TrainingBenchApi>(name: K, a: Parameters<TrainingBenchApi[K]>[0]) =>
    session.page.evaluate(([n, x]) => (window as unknown as { sshTrainingBench: Record<string, (v: unknown) => Promise<unknown>> }).sshTrainingBench[n](x), [name, a] as const) as ReturnType<TrainingBenchApi[K]>;
  const measure = async (fn: () => Promise<unknown>) => {
    const c0 = cpuMs(mine);
    const t0 = performance.now();
    await fn();
    return { cpu: cpuMs(mine) - c0, wall: performance.now() - t0 };
  };
  try {
    await session.call('init');
    if (dht) {
      // --plans=layout:r1/r2,…  (default: packed and mirrored with the kernel's radices)
      const plansArg = arg('plans')?.split('=')[1];
      const plans: PlanVariant[] = plansArg
        ? plansArg.split(',').map((v) => {
            const [layout, radices] = v.split(':');
            return { label: v, directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices: radices.split('/').map(Number), webglLayout: layout as PlanVariant['webglLayout'] };
          })
        : (['packed', 'mirrored'] as const).map((layout) => ({ label: layout, directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices: [...WEBGL_RADICES], webglLayout: layout }));
      for (const n of [MODEL_SHAPE.dim, MODEL_SHAPE.hidden]) {
        const rows = MODEL_SHAPE.batch * MODEL_SHAPE.seq;
        const runs = n >= 1024 ? 8 : 24;
        const cpu = new Map<string, number[]>();
        const wall = new Map<string, number[]>();
        for (let round = 0; round < rounds + 1; round++) {
          for (const plan of plans) {
            const m = await measure(() => bench('dhtRuns', { backend: 'webgl', n, rows, plan, runs }));
            if (round === 0) continue; // shader compilation
            (cpu.get(plan.label) ?? cpu.set(plan.label, []).get(plan.label))?.push(m.cpu / runs);
            (wall.get(plan.label) ?? wall.set(plan.label, []).get(plan.label))?.push(m.wall / runs);
          }
        }
        for (const plan of plans) {
          console.log(`webgl DHT [${rows}, ${n}] ${plan.label}: CPU ${median(cpu.get(plan.label) as number[]).toFixed(1)} ms, wall ${median(wall.get(plan.label) as number[]).toFixed(1)} ms per transform`);
        }
      }
    }
    if (model) {
      const names = await bench('modelVariants', { backend: modelBackend });
      const cpu = new Map<string, number[]>(names.map((n) => [n, []]));
      const wall = new Map<string, number[]>(names.map((n) => [n, []]));
      for (let round = 0; round < rounds; round++) {
        for (const variant of names) {
          const m = await measure(() => bench('modelSteps', { backend: modelBackend, variant, steps: 1 }));
          cpu.get(variant)?.push(m.cpu);
          wall.get(variant)?.push(m.wall);
        }
      }
      await bench('disposeModels', undefined as never);
      const lora = median(cpu.get(`LoRA r=${MODEL_SHAPE.loraRank}`) as number[]);
      const loraWall = median(wall.get(`LoRA r=${MODEL_SHAPE.loraRank}`) as number[]);
      for (const variant of names) {
        const c = median(cpu.get(variant) as number[]);
        const w = median(wall.get(variant) as number[]);
        console.log(`${modelBackend} model step | ${variant}: CPU ${c.toFixed(0)} ms (${(c / lora).toFixed(2)}× LoRA), wall ${w.toFixed(0)} ms (${(w / loraWall).toFixed(2)}× LoRA)`);
      }
    }
  } finally {
    await session.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
