import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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
    expect(lines[0]).toMatch(/^config: separable backward init = normal$/);
    expect(lines.slice(1).map((l) => l.split(':')[0])).toEqual(['encoder.0.query', 'encoder.0.value']);
    for (const line of lines.slice(1)) expect(line).toMatch(/max\|dW - JS\| = \d\.\d\de-\d\d$/);
  });
});
