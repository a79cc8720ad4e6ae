/**
 * Memory of `select --layout torch` on a sharded checkpoint against the default layout reading the
 * same weights from one in-memory file (the peer). Each run is a fresh child process that runs the
 * CLI in-process and reports its peak RSS; a run on a one-layer 8×8 checkpoint gives the
 * runtime's own footprint, subtracted from both. Prints peaks in units of the largest matrix.
 *
 *   nice npx tsx --conditions=@ssh-peft/source packages/cli/bench/torch-select.ts [layers] [d]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeSafetensors } from '@ssh-peft/adapter';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');

if (process.argv[2] === '--child') {
  const { runCli } = await import('../src/program');
  const code = await runCli(process.argv.slice(3), { stdout: { write: () => true }, stderr: { write: (t: string) => process.stderr.write(t), isTTY: false }, cwd: process.cwd() });
  process.stdout.write(JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }));
  process.exit(0);
}

const layers = Number(process.argv[2] ?? 6);
const d = Number(process.argv[3] ?? 2048);
const dir = mkdtempSync(join(tmpdir(), 'ssh-peft-torch-select-bench-'));

function matrix(seed: number, rows: number, cols: number): Uint8Array {
  const w = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < w.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    w[i] = s / 2 ** 32 - 0.5;
  }
  return new Uint8Array(w.buffer);
}

function run(args: string[]): number {
  const child = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['--conditions=@ssh-peft/source', fileURLToPath(import.meta.url), '--child', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const result = JSON.parse(child.stdout) as { code: number; maxRssKiB: number };
  if (result.code !== 0) throw new Error(`select failed: ${child.stderr}`);
  return result.maxRssKiB * 1024;
}

try {
  const half = Math.ceil(layers / 2);
  const weightMap: Record<string, string> = {};
  const inOut = [];
  for (const [shard, range] of [['model-1.safetensors', [0, half]], ['model-2.safetensors', [half, layers]]] as const) {
    const tensors = [];
    for (let l = range[0]; l < range[1]; l++) {
      const bytes = matrix(l + 1, d, d);
      tensors.push({ name: `layers.${l}.proj.weight`, dtype: 'F32' as const, shape: [d, d], bytes });
      inOut.push({ name: `layers.${l}.proj`, dtype: 'F32' as const, shape: [d, d], bytes });
      weightMap[`layers.${l}.proj.weight`] = shard;
    }
    writeFileSync(join(dir, shard), encodeSafetensors(tensors));
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ weight_map: weightMap }));
  writeFileSync(join(dir, 'in-out.safetensors'), encodeSafetensors(inOut));
  writeFileSync(join(dir, 'tiny.safetensors'), encodeSafetensors([{ name: 't.weight', dtype: 'F32', shape: [8, 8], bytes: matrix(9, 8, 8) }]));

  const select = (model: string, layout: string[], budget = 5000) => ['select', ...layout, '--model', model, '--budget', String(budget), '--out', join(dir, 'plan.json'), '--force'];
  const baseline = run(select('tiny.safetensors', ['--layout', 'torch'], 10));
  const torch = run(select('model.safetensors.index.json', ['--layout', 'torch']));
  const peer = run(select('in-out.safetensors', []));
  const matrixBytes = d * d * 4;
  const mib = (b: number) => (b / 2 ** 20).toFixed(0);
  console.log(`checkpoint: ${layers} matrices of ${d}×${d} float32 (${mib(matrixBytes)} MiB each, ${mib(layers * matrixBytes)} MiB), 2 shards`);
  console.log(`runtime baseline peak RSS: ${mib(baseline)} MiB`);
  console.log(`--layout torch (sharded, streamed): peak − baseline = ${mib(torch - baseline)} MiB = ${((torch - baseline) / matrixBytes).toFixed(2)} × largest matrix`);
  console.log(`default layout (one file read whole): peak − baseline = ${mib(peer - baseline)} MiB = ${((peer - baseline) / matrixBytes).toFixed(2)} × largest matrix`);
  console.log(`ratio torch/default: ${((torch - baseline) / (peer - baseline)).toFixed(2)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
