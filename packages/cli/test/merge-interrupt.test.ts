/**
 * Ctrl-C during `ssh-peft merge`: a real child process and a real SIGINT in the middle of a merge
 * of a large model. One SIGINT must stop it promptly, write nothing (no output, no temporary
 * file) and exit 130.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFromLayers } from '@ssh-peft/adapter';
import { saveAdapter } from '@ssh-peft/adapter/node';
import { encodeModel } from '@ssh-peft/onnx';
import { fingerprintWeights } from '@ssh-peft/selection';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'cli-merge-int-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** x → MatMul(W_0) → … → MatMul(W_{n-1}): n square float32 weights; and an adapter for all of them. */
function writeChainModel(path: string, adapterPath: string, layers: number, d: number): Promise<unknown> {
  const initializer = [];
  const node = [];
  const adapterLayers = [];
  for (let k = 0; k < layers; k++) {
    const w = Float32Array.from({ length: d * d }, (_, i) => Math.sin(i * 0.001 + k) * 0.05);
    initializer.push({ name: `layer${k}`, dataType: 1, dims: [d, d], rawData: new Uint8Array(w.buffer) });
    node.push({ opType: 'MatMul', name: `layer${k}/MatMul`, input: [k === 0 ? 'x' : `h${k - 1}`, `layer${k}`], output: [k === layers - 1 ? 'y' : `h${k}`] });
    adapterLayers.push({
      name: `layer${k}`,
      rows: d,
      cols: d,
      indices: Uint32Array.from({ length: 16 }, (_, j) => j * 997 + k),
      coefficients: new Float32Array(16).fill(0.25),
      alpha: 1,
      fingerprint: fingerprintWeights(w, d, d),
    });
  }
  const vi = (name: string) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 1 }, { dimValue: d }] } } } });
  writeFileSync(path, encodeModel({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'chain', node, initializer, input: [vi('x')], output: [vi('y')] } }));
  return saveAdapter(adapterFromLayers(adapterLayers), adapterPath);
}

describe('ssh-peft merge and Ctrl-C', () => {
  it('one SIGINT in the middle of a large merge stops it promptly: exit 130, no output, no temporary file', async () => {
    const model = join(work, 'chain.onnx');
    const adapter = join(work, 'chain.safetensors');
    // 32 layers of 768×768: seconds of merge work even on an idle machine with the SIMD transforms, so the
    // signal below always lands inside the merge (384×384 could finish within the 400 ms wait).
    await writeChainModel(model, adapter, 32, 768);
    const out = join(work, 'merged.onnx');
    const child = spawn(
      process.execPath,
      ['--conditions=@ssh-peft/source', '--import', 'tsx', join(packageDir, 'src', 'bin.ts'), '--verbose', 'merge', '--model', model, '--adapter', adapter, '--out', out],
      { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    const started = new Promise<void>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('merging 32 layer(s)')) resolve();
      });
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([started, closed]);
    // Well inside the merge of 32 layers (several seconds of work).
    await new Promise((r) => setTimeout(r, 400));
    const interruptedAt = performance.now();
    child.kill('SIGINT');
    const code = await closed;
    const seconds = (performance.now() - interruptedAt) / 1000;
    console.log(`merge: SIGINT to exit ${seconds.toFixed(2)} s`);
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted during merge; no output was written/);
    // A fraction of a second on an idle machine (1.5 s measured with 10 jobs per core); the bound
    // leaves room for loaded CI runners, while the old behaviour (finish the merge, exit 0) fails at once.
    expect(seconds).toBeLessThan(5);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(work).sort()).toEqual(['chain.onnx', 'chain.safetensors']);
  }, 120_000);
});
