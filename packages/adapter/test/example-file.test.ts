import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeAdapter, deltaWeight64, encodeAdapter } from '../src/index';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const file = resolve(root, 'docs/examples/example-adapter.safetensors');
const expectedFile = resolve(root, 'docs/examples/example-adapter.expected.json');
const python = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
const hasNumpy = python.status === 0;

describe('docs/examples: the example adapter file', () => {
  it('decodes, re-encodes byte-identically, and matches its recorded ΔW', () => {
    const bytes = new Uint8Array(readFileSync(file));
    const adapter = decodeAdapter(bytes, { file });
    expect(encodeAdapter(adapter)).toEqual(bytes);
    expect(adapter.layers.map((l) => [l.name, l.rows, l.cols])).toEqual([
      ['encoder.0.query', 8, 6],
      ['encoder.0.value', 5, 7],
    ]);
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')).layers;
    for (const layer of adapter.layers) expect(Array.from(deltaWeight64(adapter, layer.name))).toEqual(expected[layer.name].deltaWeight);
  });

  // Visible as "skipped" (never silently passing) where python3 + numpy are absent.
  it.skipIf(!hasNumpy)('is read by the plain-numpy Python reader of docs/adapter-format.md, which computes the same ΔW', () => {
    const out = execFileSync('python3', [resolve(root, 'docs/examples/read_adapter.py'), file], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^config: separable backward init = normal version = 2 \(digest verified\)$/);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['encoder.0.query', 'encoder.0.value']);
    for (const line of lines.slice(1)) expect(line).toMatch(/max\|dW - JS\| = \d\.\d\de-\d\d$/);
  });

  it.skipIf(!hasNumpy)('the Python reader checks the digest: a changed coefficient byte is refused, a version-1 file is read', () => {
    const damaged = new Uint8Array(readFileSync(file));
    damaged[damaged.length - 1]! ^= 1;
    const dir = mkdtempSync(join(tmpdir(), 'ssh-py-'));
    const damagedFile = join(dir, 'damaged.safetensors');
    writeFileSync(damagedFile, damaged);
    const run = spawnSync('python3', [resolve(root, 'docs/examples/read_adapter.py'), damagedFile], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/AssertionError: .*damaged.safetensors: contents changed after writing/);
    const v1 = fileURLToPath(new URL('fixtures/example-adapter-v1.safetensors', import.meta.url));
    const out = execFileSync('python3', [resolve(root, 'docs/examples/read_adapter.py'), v1], { encoding: 'utf8' });
    expect(out.split('\n')[0]).toBe('config: separable backward init = normal version = 1 (no digest)');
  });
});
