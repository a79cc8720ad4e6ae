/** The benchmark's model-shaped workload: the 7 projection matrices of one LLaMA-7B block, streamed. */
import type { LayerInput } from '../src/index';

/** [name, d_in (rows), d_out (cols)] of one LLaMA-7B decoder block, in this project's [d_in, d_out] layout. */
export const LLAMA_BLOCK: readonly [string, number, number][] = [
  ['self_attn.q_proj', 4096, 4096],
  ['self_attn.k_proj', 4096, 4096],
  ['self_attn.v_proj', 4096, 4096],
  ['self_attn.o_proj', 4096, 4096],
  ['mlp.gate_proj', 4096, 11008],
  ['mlp.up_proj', 4096, 11008],
  ['mlp.down_proj', 11008, 4096],
];

/** Shapes divided by `divisor` (rounded), for quick runs. */
export function blockShapes(divisor: number): [string, number, number][] {
  return LLAMA_BLOCK.map(([name, rows, cols]) => [name, Math.max(1, Math.round(rows / divisor)), Math.max(1, Math.round(cols / divisor))]);
}

/**
 * Deterministic float32 weights: LCG noise in [−0.02, 0.02) plus a few strong rank-one patterns,
 * so that the spectrum has peaks as trained weights do. Made lazily, one layer at a time: only
 * the layer being scored exists, as when reading a checkpoint tensor by tensor. The time spent
 * making them is added to `synthesis.ms`, so that it can be told apart from the selection's.
 */
export async function* streamBlock(shapes: readonly [string, number, number][], synthesis?: { ms: number }): AsyncGenerator<LayerInput> {
  for (const [i, [name, rows, cols]] of shapes.entries()) {
    const t0 = performance.now();
    const weights = new Float32Array(rows * cols);
    let s = (0x9e3779b9 * (i + 1)) >>> 0;
    for (let k = 0; k < weights.length; k++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      weights[k] = (s / 2 ** 32 - 0.5) * 0.04;
    }
    for (let p = 0; p < 4; p++) {
      const fr = (p + 1) * 3;
      const fc = (p + 2) * 5;
      const columnWave = Float64Array.from({ length: cols }, (_, c) => Math.sin((2 * Math.PI * fc * c) / cols));
      for (let r = 0; r < rows; r++) {
        const a = 0.01 * Math.cos((2 * Math.PI * fr * r) / rows);
        const base = r * cols;
        for (let c = 0; c < cols; c++) weights[base + c]! += a * columnWave[c]!;
      }
    }
    if (synthesis !== undefined) synthesis.ms += performance.now() - t0;
    yield { name: `model.layers.0.${name}`, rows, cols, weights };
  }
}
