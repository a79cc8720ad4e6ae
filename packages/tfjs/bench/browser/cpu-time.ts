/**
 * Load-robust companion of run.ts: the CPU time that the browser's processes spend per DHT or
 * per whole-model training step (process-cpu.ts). Variants alternate round by round;
 * medians are reported, with the wall times beside them. Printed only (docs untouched).
 *
 * Run from packages/tfjs:
 *   npx tsx --conditions=@ssh-peft/source bench/browser/cpu-time.ts [--rounds=7] [--dht] [--model[=webgl|webgpu]] [--adapter[=webgl|webgpu]] [--pass-cost]
 * `--dht` times the webgl pass layouts on the whole model's DHT shapes, `--model` the
 * whole-model step variants of model-step.ts (default: both, webgl), `--adapter` each
 * adapter's own kernels on the whole model's shapes (adapter-work.ts: LoRA r = 8's rank-r
 * matMuls, SSH's transforms, mixes and ∂c, the part of SSH's that ∂L/∂c needs without the dense
 * weight gradient, and ∂L/∂c through it), `--pass-cost` what a webgl pass over [512, 1024] costs
 * apart from its arithmetic (pass-cost.ts), next to a DHT pass of the kernel.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowserSession } from '../../test/browser/harness/browser-session';
import type { GpuBackendName, PlanVariant } from '../../test/browser/harness/harness-api';
import type { TrainingBenchApi } from './bench-page-entry';
import { MODEL_SHAPE } from './model-step';
import { ADAPTER_WORKS } from './adapter-work';
import { timeAdapterWork } from './run';
import { PASS_COST_SHAPE, PASS_COST_VARIANTS } from './pass-cost';
import { measureCpu, withNewChromiumPids } from './process-cpu';
import { WEBGL_DIRECT_MAX_LENGTH, WEBGL_RADICES } from '../../src/kernels/webgl/dht-webgl';

const here = dirname(fileURLToPath(import.meta.url));

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function main(): Promise<void> {
  const arg = (name: string) => process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const rounds = Number(arg('rounds')?.split('=')[1] ?? 7);
  const adapterArg = arg('adapter');
  const passCost = arg('pass-cost') !== undefined;
  const onlyOthers = adapterArg === undefined && !passCost;
  const dht = arg('dht') !== undefined || (arg('model') === undefined && onlyOthers);
  const modelArg = arg('model');
  const model = modelArg !== undefined || (arg('dht') === undefined && onlyOthers);
  const modelBackend = (modelArg?.split('=')[1] ?? 'webgl') as GpuBackendName;

  const { value: session, pids: mine } = await withNewChromiumPids(() => openBrowserSession(resolve(here, 'bench-page-entry.ts')));
  const bench = <K extends keyof TrainingBenchApi>(name: K, a: Parameters<TrainingBenchApi[K]>[0]) =>
    session.page.evaluate(([n, x]) => (window as unknown as { sshTrainingBench: Record<string, (v: unknown) => Promise<unknown>> }).sshTrainingBench[n](x), [name, a] as const) as ReturnType<TrainingBenchApi[K]>;
  const measure = (fn: () => Promise<unknown>) => measureCpu(mine, fn);
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
    if (passCost) {
      const runs = 20;
      const [rows, n] = PASS_COST_SHAPE;
      // The kernel's radix-4 pass on the same shape: N = 1024 is five such passes.
      const plan = { label: 'DHT', directMaxLength: WEBGL_DIRECT_MAX_LENGTH, radices: [...WEBGL_RADICES], webglLayout: 'mirrored' as const };
      const labels = [...PASS_COST_VARIANTS, 'DHT pass (mirrored, radix 4; a fifth of the transform)'];
      const cpu = new Map<string, number[]>(labels.map((l) => [l, []]));
      for (let round = 0; round < rounds + 1; round++) {
        for (const variant of PASS_COST_VARIANTS) {
          const m = await measure(() => bench('passCostRuns', { variant, runs }));
          if (round > 0) cpu.get(variant)?.push(m.cpu / runs);
        }
        const m = await measure(() => bench('dhtRuns', { backend: 'webgl', n, rows, plan, runs: runs / 5 }));
        if (round > 0) cpu.get(labels[labels.length - 1])?.push(m.cpu / runs);
      }
      for (const label of labels) console.log(`webgl pass over [${rows}, ${n}] | ${label}: CPU ${median(cpu.get(label) as number[]).toFixed(1)} ms`);
    }
    if (adapterArg !== undefined) {
      const backend = (adapterArg.split('=')[1] ?? 'webgl') as GpuBackendName;
      const { cpu, wall } = await timeAdapterWork(session, mine, backend, rounds);
      const lora = median(cpu.lora);
      for (const work of ADAPTER_WORKS) {
        const c = median(cpu[work]);
        const range = `${Math.min(...cpu[work]).toFixed(0)}…${Math.max(...cpu[work]).toFixed(0)}`;
        console.log(`${backend} adapter kernels per step | ${work}: CPU ${c.toFixed(0)} ms (range ${range}; ${(c / lora).toFixed(2)}× LoRA's), wall ${median(wall[work]).toFixed(0)} ms`);
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
