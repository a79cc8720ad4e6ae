/**
 * `npx nx run tfjs:bench` — cpu-backend benchmarks of @ssh-peft/tfjs; writes the cpu
 * section of docs/benchmarks/tfjs.md (between <!-- cpu:start --> and <!-- cpu:end -->,
 * leaving the browser section intact) atomically. `npx nx run tfjs:bench-wasm` (flag
 * `--backend=wasm`) runs the same training-step tables on the WebAssembly backend with
 * registerSshKernelsOnWasm, plus the cost of the kernels' JS bridge, into the wasm section.
 *
 * Environment: SSH_BENCH_TOKENS (default 256), SSH_BENCH_REPEATS (timed rounds per variant,
 * default 7 on cpu, 21 on wasm; minimum 5), SSH_BENCH_HEAVY_REPEATS (rounds of variants over 8× the frozen step:
 * default 1 on cpu, 2 on wasm), SSH_BENCH_RFFT_CAP_MS (default 3000), SSH_BENCH_QUICK=1
 * (tiny sizes, smoke run: prints the section, does not write the document).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerSshKernelsOnWasm } from '../src/kernels/register-wasm';
import { measureBridgeCost } from './wasm-bridge';
import { updateDocSection } from './doc-section';
import { loadavg } from 'node:os';
import { HEAVY_FACTOR, PROFILED_STEPS, benchTrainingStep, median, type StepResult } from './training-step';
import { nodeStepTimer } from './step-clock';
import { benchDhtVsRfft, type DhtResult } from './dht-vs-rfft';

const quick = process.env.SSH_BENCH_QUICK === '1';
const backend = process.argv.includes('--backend=wasm') ? 'wasm' : 'cpu';
const tokens = Number(process.env.SSH_BENCH_TOKENS ?? (quick ? 64 : 256));
// A wasm step takes tens of ms, a cpu one seconds: wasm affords three times the rounds.
const repeats = Math.max(quick ? 2 : 5, Number(process.env.SSH_BENCH_REPEATS ?? (quick ? 3 : backend === 'wasm' ? 21 : 7)));
const heavyRepeats = Math.max(1, Number(process.env.SSH_BENCH_HEAVY_REPEATS ?? (backend === 'wasm' ? 2 : 1)));
const timer = nodeStepTimer();
const capMs = Number(process.env.SSH_BENCH_RFFT_CAP_MS ?? 3000);
const shapes: Array<[number, number]> = quick ? [[48, 48], [48, 192]] : [[768, 768], [768, 3072]];
const n = quick ? 100 : 1000;

const fmt = (v: number, d = 1) => v.toFixed(d);
const mb = (b: number) => (b / 2 ** 20).toFixed(1);

const signed = (v: number, d = 3) => (v >= 0 ? ' ' : '') + v.toFixed(d);
const range = (values: readonly number[]) => `${Math.min(...values).toFixed(3)} … ${Math.max(...values).toFixed(3)}`;

function stepTable(rows: number, cols: number, results: StepResult[]): string {
  const frozen = results[0];
  const overhead = (r: StepResult) => median(r.overheads ?? [0]);
  const lines = [
    `#### d_in = ${rows}, d_out = ${cols}, T = ${tokens} tokens, n = ${n}`,
    '',
    '| variant | trainable params | step (ms) | paired frozen step (ms) | time / frozen | overhead / frozen | overhead range | overhead, wall clock | rounds | peak tensor MB | peak / frozen |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => {
      const paired = r.frozenMs ?? frozen.ms;
      return (
        `| ${r.variant} | ${r.trainable} | ${fmt(r.ms)} | ${fmt(paired)} | ${fmt(r.ms / paired, 2)} | ${signed(overhead(r))} | ${range(r.overheads ?? [0])} | ` +
        `${signed(median(r.wallOverheads ?? [0]))} | ${(r.overheads ?? []).length} | ${mb(r.peakBytes)} | ${fmt(r.peakBytes / frozen.peakBytes, 2)} |`
      );
    }),
  ];
  const get = (prefix: string) => results.find((r) => r.variant.startsWith(prefix)) as StepResult;
  const ssh = get('SSH factored');
  const lora = get('LoRA');
  const fft = get('FourierFT');
  const adapted = results.slice(1);
  const lowestPeak = adapted.every((r) => r === ssh || ssh.peakBytes <= r.peakBytes);
  // Same round, same load: the direct comparison of the two overheads.
  const sshO = ssh.overheads ?? [];
  const loraO = lora.overheads ?? [];
  const paired = sshO.slice(0, loraO.length).map((o, i) => o - loraO[i]);
  const sshWins = paired.filter((d) => d <= 0).length;
  lines.push(
    '',
    `Targets (medians of the per-round overheads): SSH factored ≤ LoRA: ${overhead(ssh) <= overhead(lora) ? 'met' : 'NOT met'} ` +
      `(${overhead(ssh).toFixed(3)} vs ${overhead(lora).toFixed(3)}; SSH − LoRA within a round: median ${signed(median(paired)).trim()}, range ${range(paired)}, SSH ≤ LoRA in ${sshWins} of ${paired.length} rounds); ` +
      `≤ 0.25× FourierFT: ${overhead(ssh) <= 0.25 * overhead(fft) ? 'met' : 'NOT met'} (ratio ${fmt(overhead(ssh) / overhead(fft), 3)}); ` +
      `lowest peak memory of the adapted variants: ${lowestPeak ? 'met' : 'NOT met'}.`,
    '',
  );
  const profiled = results.filter((r) => r.kernels !== undefined);
  if (profiled.length > 0) {
    // The kernels only the adapter runs: SSH's own, and LoRA's matMuls other than the frozen x·W0.
    const frozenMatMul = `BatchMatMul [${tokens},${rows}]×[${rows},${cols}]`;
    const sum = (r: StepResult, pick: (name: string) => boolean) => (r.kernels ?? []).filter((k) => pick(k.name)).reduce((a, k) => a + k.ms, 0);
    const sshOwn = sum(ssh, (k) => k.startsWith('Ssh'));
    const loraOwn = sum(lora, (k) => k.startsWith('BatchMatMul') && k !== frozenMatMul);
    const frozenKernels = sum(frozen, () => true);
    lines.push(
      `Where the time goes (tf.profile kernel times, wall clock, ms: per kernel, summed within a step, median of ${PROFILED_STEPS} steps after the rounds; matMuls by input shapes):`,
      '',
      '| variant | summed kernel time (ms) | largest kernels (ms) |',
      '|---|---:|---|',
      ...profiled.map((r) => {
        const kernels = r.kernels ?? [];
        const total = kernels.reduce((a, k) => a + k.ms, 0);
        return `| ${r.variant} | ${fmt(total)} | ${kernels.slice(0, 8).map((k) => `${k.name} ${fmt(k.ms)}`).join(', ')} |`;
      }),
      '',
      `Kernels only the adapter runs, in those steps: SSH factored's (SshDhtLastAxis, SshSparseMix, SshSparseMixCoefGrad) ${fmt(sshOwn)} ms = ${fmt((100 * sshOwn) / frozenKernels, 1)} % of the frozen step's kernel time; ` +
        `LoRA's rank-${lora.variant.replace(/\D+/g, '')} matMuls ${fmt(loraOwn)} ms = ${fmt((100 * loraOwn) / frozenKernels, 1)} %. ` +
        'Both also run the same shared work beyond the frozen step (the backward of the loss, the add of the update, Adam on their parameters).',
      '',
    );
  }
  return lines.join('\n');
}

function dhtTable(results: DhtResult[]): string {
  return [
    '| N | rows | SSH DHT op (ms) | tf.spectral.rfft (ms) | rfft / DHT |',
    '|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.n} | ${r.rows} | ${fmt(r.dhtMs, 3)} | ${r.rfftMs === null ? `skipped (cap ${capMs} ms reached)` : fmt(r.rfftMs, 1)} | ${r.rfftMs === null ? '—' : fmt(r.rfftMs / r.dhtMs, 0)}× |`,
    ),
    '',
  ].join('\n');
}

/** Writes the section into docs/benchmarks/tfjs.md, except for a quick (smoke) run, which only prints it. */
function writeSection(name: 'cpu' | 'wasm', body: string): void {
  if (quick) {
    process.stdout.write(`${body}\n(SSH_BENCH_QUICK=1: docs/benchmarks/tfjs.md left as it is)\n`);
    return;
  }
  process.stdout.write(`wrote ${updateDocSection(name, body)}\n`);
}

async function main(): Promise<void> {
  if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await tf.setBackend(backend);
  await tf.ready();
  if (backend === 'wasm') registerSshKernelsOnWasm();
  const started = new Date();
  const loadAtStart = loadavg();
  const parts: string[] = [];
  const header = (): string[] => {
    const minutes = (Date.now() - started.getTime()) / 60000;
    const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(' / ');
    return [
      backend === 'wasm'
        ? '## wasm backend (Node, tfjs-backend-wasm 4.22, single-threaded, SSH kernels through registerSshKernelsOnWasm)'
        : '## cpu backend (Node, tfjs-backend-cpu 4.22, pure JavaScript)',
      '',
      `Run ${started.toISOString()} by \`nice npx nx run tfjs:${backend === 'wasm' ? 'bench-wasm' : 'bench'}\` on ${process.platform}/${process.arch}, Node ${process.version}; ` +
        `${minutes.toFixed(1)} min; load average (1 / 5 / 15 min) ${load(loadAtStart)} at the start, ${load(loadavg())} at the end. ` +
        `The machine is shared (2 cores), so compare ratios within a table, not absolute times across runs.` +
        (backend === 'wasm' ? ` T = ${tokens} tokens, as in the cpu table.` : '') +
        (backend === 'cpu' && tokens !== 4096
          ? ` T = ${tokens} tokens instead of a full-size 4096: on this shared 2-core machine tfjs-backend-cpu's pure-JS matMul runs at ~0.1 GFLOP/s (256×768×768 takes 0.7–2.9 s), so T = 4096 would take the better part of an hour per table (set SSH_BENCH_TOKENS=4096 to reproduce at full size). Fewer tokens favour the methods whose cost does not grow with T (FourierFT's ΔW materialisation, SSH dense).`
          : ''),
      '',
      `One training step = forward + backward + Adam update of the adapter parameters with loss mean(y²); the frozen step is the frozen layer's forward + loss alone. ` +
        `After two warm-up steps per variant (optimizer slots, plans, trig tables, JIT; the first is also the step whose tf.profile peakBytes is the peak tensor memory, counting x, W0 and the variant's own weights and optimizer state), ` +
        `the variants run in ${repeats} rounds: in each round every variant — the frozen layer too, paired with itself, so its range is the noise floor — takes one step paired with one frozen step, ` +
        `the variants in a rotated order and the pair's order alternating. A variant whose warm-up steps took over ${HEAVY_FACTOR}× the frozen step runs only ${heavyRepeats} round${heavyRepeats === 1 ? '' : 's'} ` +
        (backend === 'cpu' ? "(FourierFT here: its step takes 15 s to a minute on this backend, so its figures are single steps). " : '(FourierFT and SSH dense here: 0.4–12 s per step on this backend, against tens of ms for the others). ') +
        `Times are ${timer.clock}${timer.clock === 'process CPU time' ? " (process.cpuUsage: the time other processes hold the core is left out; tfjs cpu and single-threaded wasm compute on the main thread, V8's GC and compiler threads add a little)" : ''}` +
        `${timer.gcBetweenSteps ? ', with a full garbage collection before every timed step' : ''}. ` +
        "\"step\" and \"paired frozen step\" are medians over the rounds; \"overhead / frozen\" is the median over rounds of (step − paired frozen step) / paired frozen step, " +
        '"overhead range" its minimum … maximum, "overhead, wall clock" the same median by the wall clock.',
      '',
      'Reading the tables: per token, SSH factored adds Hartley transforms of length d_in or d_out (the one of x, the one of the mix output and, backward, the one of dy; ' +
        "a fourth, of the mix's ∂L/∂x, only when x needs a gradient) and the O(n) sparse mix and its ∂L/∂c — O(d log d + n) work in this package's kernels — " +
        "while LoRA r = 8 adds 2·r·(d_in + d_out) multiply-adds in matMul per pass, tfjs's most optimised kernel. " +
        'Both are small next to the frozen x·W0 (d_in·d_out per token), so on the cpu backend, whose matMul is slow, their overheads are a few per cent and the frozen row\'s range (the noise floor) matters. ' +
        'FourierFT and SSH dense pay for a dense d_in×d_out ΔW every step (FourierFT: O(d_in·d_out·n) for its inverse DFT) ' +
        'plus the dense ∂L/∂ΔW = xᵀ·dy, and hold the d_in×d_out intermediates (peak memory).',
      '',
      '### Training step',
      '',
    ];
  };
  for (const [rows, cols] of shapes) {
    process.stdout.write(`training step ${rows}×${cols}, T=${tokens} …\n`);
    const results = await benchTrainingStep({ rows, cols, tokens, n, loraRank: 8, repeats, heavyRepeats }, undefined, {
      timer,
      progress: (line) => process.stdout.write(`${line}\n`),
    });
    const table = stepTable(rows, cols, results);
    process.stdout.write(`${table}\n`);
    parts.push(table);
  }
  if (backend === 'wasm') {
    process.stdout.write('wasm kernel bridge …\n');
    const b = await measureBridgeCost();
    const part = [
      '### Cost of the JS bridge (sparse mix of a 768→768 layer, n = 1000 true-2D positions, T = 256)',
      '',
      'The wasm kernels are the host kernels run on a view of the wasm heap (inputs read in place, the output written in place into heap memory reserved first). ' +
        "\"host\" is the same kernel function on the cpu backend (no heap); the native peer is tfjs-backend-wasm's own `gather` of the same " +
        '4000 columns — the memory traffic of the mix without its arithmetic, a lower bound for a native mix kernel. Medians of 9 runs, each with readback, in ' + `${timer.clock}.`,
      '',
      `Decision: the bridge costs ${fmt(b.mixBridgedMs - b.mixHostMs, 2)} ms / ${fmt(b.coefGradBridgedMs - b.coefGradHostMs, 2)} ms of ${fmt(b.mixBridgedMs, 2)} ms / ${fmt(b.coefGradBridgedMs, 2)} ms (${Math.abs(b.mixBridgedMs - b.mixHostMs) < 0.15 * b.mixHostMs && Math.abs(b.coefGradBridgedMs - b.coefGradHostMs) < 0.15 * b.coefGradHostMs ? 'within 15 % of the kernels: run-to-run noise on this machine' : 'noise of this machine included'}), ` +
        `and tfjs-backend-wasm's own native gather of the same columns takes ${fmt(b.nativeGatherMs / b.mixBridgedMs, 2)}× the bridged mix, so a native wasm mix kernel has nothing to win here; the wasm backend keeps the bridged host kernels.`,
      '',
      '| kernel | on wasm (bridged) | on cpu (host, no bridge) | bridge cost | native wasm gather of the same columns |',
      '|---|---:|---:|---:|---:|',
      `| SshSparseMix | ${fmt(b.mixBridgedMs, 2)} ms | ${fmt(b.mixHostMs, 2)} ms | ${fmt(b.mixBridgedMs - b.mixHostMs, 2)} ms | ${fmt(b.nativeGatherMs, 2)} ms |`,
      `| SshSparseMixCoefGrad | ${fmt(b.coefGradBridgedMs, 2)} ms | ${fmt(b.coefGradHostMs, 2)} ms | ${fmt(b.coefGradBridgedMs - b.coefGradHostMs, 2)} ms | — |`,
      '',
    ].join('\n');
    process.stdout.write(`${part}\n`);
    parts.push(part);
    writeSection('wasm', [...header(), ...parts].join('\n'));
    return;
  }
  process.stdout.write('DHT op vs tf.spectral.rfft …\n');
  const dht = benchDhtVsRfft(quick ? [64, 256] : [1024, 4096, 11008], quick ? [1] : [1, 64], capMs);
  const dhtPart = [
    '### DHT over the last axis vs tf.spectral.rfft',
    '',
    `rfft runs once per size and stops for larger sizes once one run exceeds ${capMs} ms; the DHT time is the median of 5 runs. ` +
      'Both include reading the result back (dataSync).',
    '',
    dhtTable(dht),
  ].join('\n');
  process.stdout.write(`${dhtPart}\n`);
  parts.push(dhtPart);
  writeSection('cpu', [...header(), ...parts].join('\n'));
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
