// The README example, kept runnable: npx tsx --conditions=@ssh-peft/source packages/hartley/examples/readme.ts
import { createPlan, dht, dht2d, idht, idht2d, sparseSpectrumProduct } from '@ssh-peft/hartley';

// 1D, any length (768 = 3·2^8): returns a new array of the input's type.
const x = Float32Array.from({ length: 768 }, (_, i) => Math.sin(i / 7));
const X = dht(x, { normalization: 'ortho' });
const back = idht(X, { normalization: 'ortho' });
console.log('1D round trip error', Math.max(...back.map((v, i) => Math.abs(v - x[i]!))));

// A plan: in place, no allocation per call, every row of a [tokens, width] matrix.
const plan = createPlan(768);
const acts = new Float32Array(4 * 768).map(() => Math.random());
plan.transformRows(acts, 4);

// 2D, separable (default) or true variant.
const W = new Float64Array(6 * 10).map(() => Math.random());
const S = dht2d(W, 6, 10, { variant: 'true' });
console.log('2D round trip error', Math.max(...idht2d(S, 6, 10, { variant: 'true' }).map((v, i) => Math.abs(v - W[i]!))));

// x · ΔW with ΔW = 49 · idht2d(S) for a sparse spectrum S, without building ΔW.
const y = sparseSpectrumProduct(new Float32Array(2 * 6).fill(1), 2, 6, 10, new Uint32Array([3, 17, 42]), new Float32Array([0.5, -1, 2]), { scale: 49 });
console.log('y shape [2, 10]:', y.length);
