/**
 * `FourierFTDense` (baseline, Gao et al. 2024): n seeded random positions of the 2D DFT
 * spectrum, trainable real coefficients, ΔW = α·Re(IDFT2(S)) materialised at every
 * forward pass, as FourierFT's reference implementation does (`ifft2(S).real·α`).
 *
 * tfjs registers no gradient for its FFT ops, so the inverse DFT is written with
 * matrix products: Re(IDFT2(S))[m, j] = 1/(MN)·Σ_k c_k·cos(2π(u_k·m/M + v_k·j/N))
 * = 1/(MN)·((Cu·diag c)·Cvᵀ − (Su·diag c)·Svᵀ), with the cos/sin tables Cu, Su `[M, n]`
 * and Cv, Sv `[N, n]` built once. Cost per step O(M·N·n) plus the dense ΔW gradient.
 * Weights: `kernel`, `bias` (frozen), `fourier_coefficients` (trainable).
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshOptionError, SshStateError } from '../errors';
import { AdaptedDense, type AdaptedDenseArgs } from '../layers/adapted-dense';
import { validatePositions } from '../ops/spectral-terms';

/** Constructor arguments (and serialised config) of {@link FourierFTDense}. */
export interface FourierFTDenseArgs extends AdaptedDenseArgs {
  /** Flat positions u·units + v of the spectral coefficients (distinct). */
  indices: ArrayLike<number>;
  /** Scale α of ΔW. */
  alpha: number;
}

/**
 * FourierFT-adapted Dense layer.
 * @example
 * ```ts
 * const layer = new FourierFTDense({ name: 'proj', units: 8, inputDim: 4, indices: [1, 9], alpha: 300 });
 * ```
 */
export class FourierFTDense extends AdaptedDense {
  static readonly className = 'FourierFTDense';
  readonly alpha: number;
  private readonly indexList: Uint32Array;
  private coefficientsVar: tfl.LayerVariable | null = null;
  private tables: { cu: tf.Tensor2D; su: tf.Tensor2D; cv: tf.Tensor2D; sv: tf.Tensor2D } | null = null;

  constructor(args: FourierFTDenseArgs) {
    super(args);
    if (!Number.isFinite(args.alpha)) throw new SshOptionError(`${this.describe()}: alpha must be finite, got ${String(args.alpha)}`);
    validatePositions(args.indices, this.inputDim, this.units, this.describe());
    this.alpha = args.alpha;
    this.indexList = Uint32Array.from(args.indices);
  }

  protected override buildAdapter(): void {
    this.coefficientsVar = this.addWeight('fourier_coefficients', [this.indexList.length], 'float32', tfl.initializers.zeros(), undefined, true);
  }

  /** The trainable coefficient variable. */
  get coefficients(): tfl.LayerVariable {
    if (this.coefficientsVar === null) throw new SshStateError(`${this.describe()}: not built`);
    return this.coefficientsVar;
  }

  /** Flat positions (a copy). */
  get indices(): Uint32Array {
    return this.indexList.slice();
  }

  private trigTables(): { cu: tf.Tensor2D; su: tf.Tensor2D; cv: tf.Tensor2D; sv: tf.Tensor2D } {
    if (this.tables === null) {
      const n = this.indexList.length;
      const [m, cols] = [this.inputDim, this.units];
      const cu = new Float32Array(m * n);
      const su = new Float32Array(m * n);
      const cv = new Float32Array(cols * n);
      const sv = new Float32Array(cols * n);
      for (let k = 0; k < n; k++) {
        const u = Math.floor(this.indexList[k] / cols);
        const v = this.indexList[k] - u * cols;
        // Reduce the angle index mod M (N) before scaling to keep float32 tables accurate.
        for (let r = 0; r < m; r++) {
          const t = (2 * Math.PI * ((u * r) % m)) / m;
          cu[r * n + k] = Math.cos(t);
          su[r * n + k] = Math.sin(t);
        }
        for (let j = 0; j < cols; j++) {
          const t = (2 * Math.PI * ((v * j) % cols)) / cols;
          cv[j * n + k] = Math.cos(t);
          sv[j * n + k] = Math.sin(t);
        }
      }
      this.tables = tf.tidy(() => ({
        cu: tf.keep(tf.tensor2d(cu, [m, n])),
        su: tf.keep(tf.tensor2d(su, [m, n])),
        cv: tf.keep(tf.tensor2d(cv, [cols, n])),
        sv: tf.keep(tf.tensor2d(sv, [cols, n])),
      }));
    }
    return this.tables;
  }

  private deltaInScope(): tf.Tensor2D {
    const { cu, su, cv, sv } = this.trigTables();
    const c = this.coefficients.read();
    const scale = this.alpha / (this.inputDim * this.units);
    const re = tf.sub(tf.matMul(tf.mul(cu, c), cv, false, true), tf.matMul(tf.mul(su, c), sv, false, true));
    return tf.mul(re, scale);
  }

  protected override adaptedForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null): tf.Tensor {
    const x2d = tf.reshape(x, [-1, this.inputDim]) as tf.Tensor2D;
    let y = tf.matMul(x2d, tf.add(kernel, this.deltaInScope()) as tf.Tensor2D) as tf.Tensor;
    if (bias !== null) y = tf.add(y, bias);
    return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override deltaWeight(): tf.Tensor2D {
    return tf.tidy(() => this.deltaInScope());
  }

  override get adapterParameterCount(): number {
    return this.indexList.length;
  }

  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    if (this.tables !== null) tf.dispose([this.tables.cu, this.tables.su, this.tables.cv, this.tables.sv]);
    this.tables = null;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), indices: Array.from(this.indexList), alpha: this.alpha };
  }
}
tf.serialization.registerClass(FourierFTDense);
