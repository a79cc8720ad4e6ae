import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors, type SafetensorsDtype } from '@ssh-peft/adapter';
import { fingerprintWeights, parsePlan } from '@ssh-peft/selection';
import { TorchCheckpointLayers, readTransposed, torchLinearWeights } from '../src/model-io/torch-checkpoint';
import { CliInputError } from '../src/errors';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ssh-peft-torch-layout-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A deterministic [outF, inF] matrix (row-major), values exactly representable in bfloat16. */
function torchWeight(outF: number, inF: number, salt: number): Float32Array {
  return Float32Array.from({ length: outF * inF }, (_, i) => Math.round(128 * Math.sin(i * 0.37 + salt)) / 64);
}

function transpose(w: Float32Array, outF: number, inF: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let o = 0; o < outF; o++) for (let i = 0; i < inF; i++) t[i * outF + o] = w[o * inF + i]!;
  return t;
}

type Entry = { name: string; outF: number; inF: number; w: Float32Array };

function bytesOf(w: Float32Array, dtype: SafetensorsDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(w.buffer.slice(0));
  if (dtype === 'F64') return new Uint8Array(Float64Array.from(w).buffer);
  if (dtype === 'BF16') return new Uint8Array(Uint16Array.from(new Uint32Array(w.slice().buffer), (x) => x >>> 16).buffer);
  throw new Error(dtype);
}

function writeTorchFile(path: string, entries: Entry[], dtype: SafetensorsDtype = 'F32'): void {
  const tensors = entries.flatMap((e) => [
    { name: `${e.name}.weight`, dtype, shape: [e.outF, e.inF], bytes: bytesOf(e.w, dtype) },
    { name: `${e.name}.bias`, dtype: 'F32' as const, shape: [e.outF], bytes: new Uint8Array(4 * e.outF) },
  ]);
  writeFileSync(path, encodeSafetensors(tensors, { format: 'pt' }));
}

const entries: Entry[] = [
  { name: 'blocks.0.attn.q', outF: 9, inF: 13, w: torchWeight(9, 13, 1) },
  { name: 'blocks.0.attn.v', outF: 11, inF: 13, w: torchWeight(11, 13, 2) },
  { name: 'blocks.1.mlp.up', outF: 17, inF: 6, w: torchWeight(17, 6, 3) },
];

describe('select --layout torch', () => {
  it('selects in the [d_in, d_out] orientation: the plan equals the one of the transposed weights in the default layout', async () => {
    const torchFile = join(dir, 'model.safetensors');
    writeTorchFile(torchFile, entries);
    const inOut = join(dir, 'in-out.safetensors');
    writeFileSync(inOut, encodeSafetensors(entries.map((e) => ({ name: e.name, dtype: 'F32', shape: [e.inF, e.outF], bytes: new Uint8Array(transpose(e.w, e.outF, e.inF).buffer) }))));
    const a = await cli(['select', '--layout', 'torch', '--model', torchFile, '--budget', '40', '--out', join(dir, 'a.json')], dir);
    expect(a.code, a.stderr).toBe(0);
    const b = await cli(['select', '--model', inOut, '--budget', '40', '--out', join(dir, 'b.json')], dir);
    expect(b.code, b.stderr).toBe(0);
    expect(readFileSync(join(dir, 'a.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.json'), 'utf8'));
    const plan = parsePlan(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(plan.layers.map((l) => [l.name, l.rows, l.cols])).toEqual(entries.map((e) => [e.name, e.inF, e.outF]));
    for (const [k, e] of entries.entries()) expect(plan.layers[k]!.fingerprint).toBe(fingerprintWeights(transpose(e.w, e.outF, e.inF), e.inF, e.outF));
  });

  it('reads a sharded checkpoint through its index json or its directory, with the same plan', async () => {
    const shards = join(dir, 'sharded');
    mkdirSync(shards);
    writeTorchFile(join(shards, 'model-00001-of-00002.safetensors'), entries.slice(0, 2));
    writeTorchFile(join(shards, 'model-00002-of-00002.safetensors'), entries.slice(2));
    const weightMap: Record<string, string> = {};
    entries.forEach((e, k) => {
      const file = k < 2 ? 'model-00001-of-00002.safetensors' : 'model-00002-of-00002.safetensors';
      weightMap[`${e.name}.weight`] = file;
      weightMap[`${e.name}.bias`] = file;
    });
    const index = join(shards, 'model.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
    for (const [model, out] of [[index, 'c.json'], [shards, 'd.json']] as const) {
      const r = await cli(['select', '--layout', 'torch', '--model', model, '--budget', '40', '--out', join(dir, out)], dir);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, out), 'utf8')).toBe(readFileSync(join(dir, 'a.json'), 'utf8'));
    }
    // --targets filters by layer name (without .weight)
    const t = await cli(['--json', 'select', '--layout', 'torch', '--model', index, '--strategy', 'per-layer', '--per-layer', '2', '--targets', 'attn\\.v$', '--out', join(dir, 'e.json')], dir);
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).layers.map((l: { name: string }) => l.name)).toEqual(['blocks.0.attn.v']);
  });

  it('streams: a shard is opened only when the selection reaches its layers', () => {
    const shards = join(dir, 'lazy');
    mkdirSync(shards);
    writeTorchFile(join(shards, 'a.safetensors'), entries.slice(0, 1));
    writeTorchFile(join(shards, 'b.safetensors'), entries.slice(1, 2));
    const layers = new TorchCheckpointLayers(shards);
    expect(layers.length).toBe(2);
    const it = layers[Symbol.iterator]();
    const first = it.next();
    expect(first.done).toBe(false);
    rmSync(join(shards, 'b.safetensors'));
    expect(() => it.next()).toThrow(/b\.safetensors/);
  });

  it('widens BF16 exactly and keeps F64; transposes matrices larger than one read block', () => {
    const bf = join(dir, 'bf16.safetensors');
    writeTorchFile(bf, entries, 'BF16');
    const f64 = join(dir, 'f64.safetensors');
    writeTorchFile(f64, entries, 'F64');
    for (const file of [bf, f64]) {
      const [w] = torchLinearWeights(file, /attn\.q$/);
      const t = readTransposed(w!);
      expect(Array.from(t)).toEqual(Array.from(transpose(entries[0]!.w, 9, 13)));
    }
    const big = { name: 'big', outF: 1100, inF: 1001, w: torchWeight(1100, 1001, 4) }; // 4.4 MB > one 4 MiB block
    const bigFile = join(dir, 'big.safetensors');
    writeTorchFile(bigFile, [big]);
    const t = readTransposed(torchLinearWeights(bigFile)[0]!);
    expect(fingerprintWeights(t, 1001, 1100)).toBe(fingerprintWeights(transpose(big.w, 1100, 1001), 1001, 1100));
  });

  it('refuses adapters, unsafe shard names, checkpoints without linear weights and truncated files, naming the file', async () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad);
    const adapter = join(bad, 'adapter.safetensors');
    writeFileSync(adapter, encodeSafetensors([], { 'ssh_peft.format': 'ssh-peft-adapter' }));
    expect(() => torchLinearWeights(adapter)).toThrow(/adapter\.safetensors: is an ssh-peft adapter/);
    const index = join(bad, 'x.safetensors.index.json');
    writeFileSync(index, JSON.stringify({ weight_map: { 'a.weight': '../etc/passwd' } }));
    expect(() => torchLinearWeights(index)).toThrow(CliInputError);
    const noLinear = join(bad, 'bias-only.safetensors');
    writeFileSync(noLinear, encodeSafetensors([{ name: 'x.bias', dtype: 'F32', shape: [2], bytes: new Uint8Array(8) }]));
    expect(() => torchLinearWeights(noLinear)).toThrow(/bias-only\.safetensors: has no 2-D float '<layer>\.weight'/);
    const full = join(dir, 'model.safetensors');
    const truncated = join(bad, 'truncated.safetensors');
    writeFileSync(truncated, readFileSync(full).subarray(0, readFileSync(full).length - 5));
    expect(() => torchLinearWeights(truncated)).toThrow(/truncated\.safetensors: tensor .* data_offsets/);
    const r = await cli(['select', '--layout', 'torch', '--model', truncated, '--budget', '3', '--out', join(bad, 'p.json')], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/truncated\.safetensors/);
  });
});
