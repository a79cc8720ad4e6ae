/**
 * `SshDense`: a Dense layer whose kernel W0 is frozen and whose update ΔW = α·IDHT2(S)
 * lives in a few trainable spectral coefficients.
 *
 * Weights (names as saved by `model.save`):
 * - `kernel` `[inputDim, units]`, non-trainable: W0, or W0 + ΔW while merged (`config.merged`);
 * - `bias` `[units]`, non-trainable (when `useBias`);
 * - `ssh_coefficients` `[n]`, trainable: c_k at the flat positions `config.indices`.
 * Output: activation(x·(kernel + ΔW) + bias) unmerged, activation(x·kernel + bias) merged
 * or disabled. Serialisable (`registerClass`), so `model.save`/`tf.loadLayersModel`
 * round-trip the adapter with the model.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Normalization, Variant2D } from '@ssh-peft/hartley';
import { SshNonFiniteError, SshOptionError, SshShapeError, SshStateError } from '../errors';
import { compileSpectralTerms, type SpectralTerms } from '../ops/spectral-terms';
import { sshDeltaWeight, sshLinear, type SshLayerState, type SshPath } from '../ops/ssh-linear';
import { AdaptedDense, type AdaptedDenseArgs } from './adapted-dense';

/** Constructor arguments (and serialised config) of {@link SshDense}. */
/** Backends whose tensors live in host memory, where a synchronous read costs a copy at most. */
const HOST_MEMORY_BACKENDS = new Set(['cpu', 'wasm', 'tensorflow']);

export interface SshDenseArgs extends AdaptedDenseArgs {
  /** Flat positions u·units + v of the trained coefficients (distinct). */
  indices: ArrayLike<number>;
  /** Scale α of ΔW. */
  alpha: number;
  variant?: Variant2D;
  normalization?: Normalization;
  /** Route of x·ΔW while unmerged (default `'auto'`). */
  path?: SshPath;
  /** Check the coefficients for NaN/±Infinity at every training-mode call (default true; on GPU backends the read is asynchronous and a bad value is thrown at the next training call). */
  checkFinite?: boolean;
  /** Name of the adapter the coefficients belong to (informational). */
  adapterName?: string;
}

/**
 * SSH-adapted Dense layer. Usually created by `applySSH`; usable directly too.
 *
 * @example
 * ```ts
 * const layer = new SshDense({ name: 'proj', units: 8, inputDim: 4, indices: [0, 5, 17], alpha: 10 });
 * const y = layer.apply(tf.ones([2, 4])) as tf.Tensor;   // [2, 8]; only ssh_coefficients is trainable
 * ```
 */
export class SshDense extends AdaptedDense {
  static readonly className = 'SshDense';
  readonly variant: Variant2D;
  readonly normalization: Normalization;
  path: SshPath;
  checkFinite: boolean;
  adapterName: string;
  private alphaValue: number;
  private indexList: Uint32Array;
  private terms: SpectralTerms;
  private coefficientsVar: tfl.LayerVariable | null = null;

  constructor(args: SshDenseArgs) {
    super(args);
    const where = this.describe();
    if (typeof args.alpha !== 'number' || !Number.isFinite(args.alpha)) throw new SshOptionError(`${where}: alpha must be a finite number, got ${String(args.alpha)}`);
    this.variant = args.variant ?? 'separable';
    this.normalization = args.normalization ?? 'backward';
    if (!['backward', 'ortho', 'forward'].includes(this.normalization)) {
      throw new SshOptionError(`${where}: normalization must be 'backward', 'ortho' or 'forward', got ${String(this.normalization)}`);
    }
    this.path = args.path ?? 'auto';
    this.checkFinite = args.checkFinite ?? true;
    this.adapterName = args.adapterName ?? 'default';
    this.alphaValue = args.alpha;
    this.indexList = Uint32Array.from(args.indices);
    this.terms = compileSpectralTerms(this.indexList, this.inputDim, this.units, this.variant);
  }

  protected override buildAdapter(): void {
    this.coefficientsVar = this.addWeight('ssh_coefficients', [this.indexList.length], 'float32', tfl.initializers.zeros(), undefined, true);
  }

  protected override beforeTrainingCall(): void {
    if (!this.checkFinite) return;
    if (HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
      this.assertFinite();
      return;
    }
    // GPU backends: a synchronous read stalls the queue every call, and on webgpu
    // (tfjs-backend-webgpu 4.22 reads synchronously through freshly created WebGPU
    // canvases) three of them per training step lost the device in headless Chromium.
    // So the values are read asynchronously and a non-finite one is thrown at the next
    // training call.
    const found = this.pendingNonFinite;
    if (found !== null) {
      this.pendingNonFinite = null;
      throw found;
    }
    if (this.finiteReadInFlight) return;
    this.finiteReadInFlight = true;
    const snapshot = tf.keep(tf.clone(this.coefficients.read()));
    snapshot
      .data()
      .then((values) => {
        this.pendingNonFinite ??= this.firstNonFinite(values as Float32Array);
      })
      .catch(() => {
        // A lost backend fails the training call itself; nothing to report here.
      })
      .finally(() => {
        snapshot.dispose();
        this.finiteReadInFlight = false;
      });
  }

  private pendingNonFinite: SshNonFiniteError | null = null;
  private finiteReadInFlight = false;

  private firstNonFinite(values: ArrayLike<number>): SshNonFiniteError | null {
    for (let k = 0; k < values.length; k++) {
      if (!Number.isFinite(values[k])) return new SshNonFiniteError(this.name, k, values[k]);
    }
    return null;
  }

  protected override adaptedForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, training: boolean): tf.Tensor {
    return sshLinear(x, kernel, this.state(), { bias, path: this.path, training });
  }

  /** α of ΔW. */
  get alpha(): number {
    return this.alphaValue;
  }

  /** Flat positions of the coefficients (a copy). */
  get indices(): Uint32Array {
    return this.indexList.slice();
  }

  override get adapterParameterCount(): number {
    return this.indexList.length;
  }

  /** The trainable coefficient variable. */
  get coefficients(): tfl.LayerVariable {
    if (this.coefficientsVar === null) throw new SshStateError(`${this.describe()}: weights do not exist before the layer is built`);
    return this.coefficientsVar;
  }

  /** Inputs of the sshLinear op for the current coefficients. */
  state(): SshLayerState {
    return { terms: this.terms, coefficients: this.coefficients.read(), alpha: this.alphaValue, normalization: this.normalization };
  }

  /** Current coefficient values (a copy). */
  readCoefficients(): Float32Array {
    return Float32Array.from(this.coefficients.read().dataSync());
  }

  override deltaWeight(): tf.Tensor2D {
    return sshDeltaWeight(this.state());
  }

  /**
   * @throws {SshNonFiniteError} naming this layer and the first NaN/±Infinity coefficient.
   */
  assertFinite(): void {
    const error = this.firstNonFinite(this.coefficients.read().dataSync());
    if (error !== null) throw error;
  }

  /**
   * {@link assertFinite} with an asynchronous read (no pipeline stall on GPU backends).
   * @throws {SshNonFiniteError} naming this layer and the first NaN/±Infinity coefficient.
   */
  async assertFiniteAsync(): Promise<void> {
    const error = this.firstNonFinite((await this.coefficients.read().data()) as Float32Array);
    if (error !== null) throw error;
  }

  /**
   * Replaces positions, coefficients and α (switching adapters). The coefficient
   * variable keeps its identity when the count is unchanged; otherwise it is replaced
   * and the method returns true (an optimizer holding the old variable must be updated).
   */
  setAdapter(indices: ArrayLike<number>, coefficients: Float32Array, alpha: number, adapterName: string): boolean {
    if (this.mergedState) throw new SshStateError(`${this.describe()}: unmerge before switching adapters`);
    if (coefficients.length !== indices.length) {
      throw new SshShapeError(`${this.describe()}: ${coefficients.length} coefficients for ${indices.length} positions`);
    }
    if (!Number.isFinite(alpha)) throw new SshOptionError(`${this.describe()}: alpha must be finite, got ${alpha}`);
    const terms = compileSpectralTerms(indices, this.inputDim, this.units, this.variant);
    let replaced = false;
    if (coefficients.length !== this.indexList.length) {
      const old = this.coefficients;
      this._trainableWeights = this._trainableWeights.filter((w) => w !== old);
      old.dispose();
      // addWeight would reject the name and, outside apply(), drop the layer prefix that
      // model.save/loadWeights match on; build the variable with its full original name.
      const fresh = new tfl.LayerVariable(tf.zeros([coefficients.length]), 'float32', `${this.name}/ssh_coefficients`, true);
      this._trainableWeights.push(fresh);
      this.coefficientsVar = fresh;
      replaced = true;
    }
    tf.tidy(() => {
      this.coefficients.write(tf.tensor1d(coefficients, 'float32'));
    });
    this.indexList = Uint32Array.from(indices);
    this.terms = terms;
    this.alphaValue = alpha;
    this.adapterName = adapterName;
    return replaced;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      indices: Array.from(this.indexList),
      alpha: this.alphaValue,
      variant: this.variant,
      normalization: this.normalization,
      path: this.path,
      checkFinite: this.checkFinite,
      adapterName: this.adapterName,
    };
  }
}
tf.serialization.registerClass(SshDense);
