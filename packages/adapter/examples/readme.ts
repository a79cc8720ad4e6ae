// The README example, verbatim (keep them in sync): npx tsx --conditions=@ssh-peft/source packages/adapter/examples/readme.ts
import { selectSpectrum } from '@ssh-peft/selection';
import {
  createAdapter, describeAdapter,
  deltaWeight, mergeWeights, unmergeWeights, verifyBase,
} from '@ssh-peft/adapter';
import { saveAdapter, loadAdapter } from '@ssh-peft/adapter/node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A base weight W0 of a Dense layer, [d_in, d_out] = [64, 32], row-major.
const rows = 64, cols = 32;
const w0 = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) * 0.05);

// 1. Choose 100 spectral positions (20 % by energy, the rest seeded random).
const plan = await selectSpectrum([{ name: 'dense', rows, cols, weights: w0 }], {
  strategy: 'per-layer', perLayer: 100, energyRatio: 0.2, seed: 7,
});

// 2. An adapter: coefficients start at zero (ΔW = 0, the model starts at the base).
const adapter = createAdapter(plan, { alpha: 300 });
console.log(describeAdapter(adapter).text);
// trainable params: 100 || all params: 2,148 || trainable%: 4.6555

// …training updates adapter.layers[0].coefficients (e.g. with @ssh-peft/tfjs)…
adapter.layers[0].coefficients.set([0.02, -0.01, 0.005], 0);

// 3. Save (single file; a path without .safetensors gives the PEFT directory layout) and load.
const file = join(mkdtempSync(join(tmpdir(), 'ssh-')), 'dense.safetensors');
await saveAdapter(adapter, file);
const loaded = await loadAdapter(file);

// 4. Verify the base, merge for inference, unmerge back.
verifyBase(loaded, 'dense', w0);                       // throws AdapterMismatchError on a wrong base
const dW = deltaWeight(loaded, 'dense');               // Float32Array [64·32]
const merged = mergeWeights(w0, loaded, 'dense');      // W0 + ΔW
const restored = unmergeWeights(merged, loaded, 'dense');
let err = 0;
for (let i = 0; i < w0.length; i++) err = Math.max(err, Math.abs(restored[i] - w0[i]));
console.log(`|ΔW|max = ${Math.max(...dW.map(Math.abs)).toExponential(3)}, unmerge error = ${err.toExponential(1)}`);
// |ΔW|max = 6.565e-3, unmerge error = 1.9e-9
