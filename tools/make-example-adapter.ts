/**
 * Generates the small example adapter of docs/adapter-format.md:
 *   npx tsx --conditions=@ssh-peft/source tools/make-example-adapter.ts
 * Two layers (8×6 and 5×7) with seeded random base weights, positions chosen by
 * @ssh-peft/selection, coefficients from the 'normal' initialisation (so ΔW ≠ 0), saved with
 * saveAdapter. It also writes the expected ΔW of each layer (computed by deltaWeight64) as JSON,
 * which docs/examples/read_adapter.py checks its own numpy computation against.
 * Deterministic: running it twice gives identical files.
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom, selectSpectrum } from '@ssh-peft/selection';
import { createAdapter, deltaWeight64, verifyBase } from '@ssh-peft/adapter';
import { saveAdapter } from '@ssh-peft/adapter/node';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(root, 'docs/examples');

const random = createRandom(2025);
const shapes = [
  { name: 'encoder.0.query', rows: 8, cols: 6 },
  { name: 'encoder.0.value', rows: 5, cols: 7 },
];
const layers = shapes.map(({ name, rows, cols }) => ({
  name,
  rows,
  cols,
  weights: Float32Array.from({ length: rows * cols }, () => 0.1 * random.nextNormal()),
}));

const plan = await selectSpectrum(layers, { strategy: 'per-layer', perLayer: 4, energyRatio: 0.5, seed: 7 });
const adapter = createAdapter(plan, { alpha: 2, init: 'normal', std: 1, metadata: { description: 'ssh-peft example adapter (docs/adapter-format.md)' } });
for (const layer of layers) verifyBase(adapter, layer.name, layer.weights);

const file = resolve(outDir, 'example-adapter.safetensors');
await saveAdapter(adapter, file, { overwrite: true });

const expected = {
  note: 'ΔW (row-major [rows, cols]) of every layer, computed by @ssh-peft/adapter deltaWeight64; read_adapter.py compares against it',
  layers: Object.fromEntries(adapter.layers.map((l) => [l.name, { rows: l.rows, cols: l.cols, deltaWeight: Array.from(deltaWeight64(adapter, l.name)) }])),
};
writeFileSync(resolve(outDir, 'example-adapter.expected.json'), `${JSON.stringify(expected, null, 1)}\n`);
console.log(`wrote ${file} and example-adapter.expected.json`);
