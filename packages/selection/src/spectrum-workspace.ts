import { createPlan2d, normalizationFactor, type HartleyPlan2D, type Normalization, type Variant2D } from '@ssh-peft/hartley';

/**
 * One reusable spectrum buffer (per float type) and the 2D plans of the shapes met, for the
 * duration of one selection: a layer's spectrum overwrites the previous one instead of allocating
 * rows·cols floats per layer, so a stream's memory stays at one weight matrix + one spectrum even
 * before the garbage collector runs. The spectrum has the weights' float type (float32 weights:
 * float32 spectrum), exactly as `dht2d` would return it.
 */
export class SpectrumWorkspace {
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private readonly plans = new Map<string, HartleyPlan2D>();

  constructor(
    private readonly variant: Variant2D,
    private readonly normalization: Normalization,
  ) {}

  /** DHT2 of `weights` (rows × cols) into the workspace; valid until the next call. */
  transform(weights: Float32Array | Float64Array, rows: number, cols: number): Float32Array | Float64Array {
    const n = rows * cols;
    const key = `${rows}x${cols}`;
    let plan = this.plans.get(key);
    if (plan === undefined) {
      plan = createPlan2d(rows, cols, { variant: this.variant });
      this.plans.set(key, plan);
    }
    const scale = normalizationFactor(n, this.normalization, 'dht');
    // Float32 on the WebAssembly SIMD path: the spectrum stays in the module's memory (valid until
    // the next transform, i.e. for the whole scoring of this layer): no second matrix-sized buffer.
    if (weights instanceof Float32Array && plan.backend === 'simd') return plan.transformToScratch(weights, scale);
    let out: Float32Array | Float64Array;
    if (weights instanceof Float32Array) {
      if (this.f32.length < n) this.f32 = new Float32Array(n);
      out = this.f32.subarray(0, n);
    } else {
      if (this.f64.length < n) this.f64 = new Float64Array(n);
      out = this.f64.subarray(0, n);
    }
    out.set(weights);
    plan.transform(out, scale);
    return out;
  }
}
