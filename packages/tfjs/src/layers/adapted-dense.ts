/**
 * Common part of every adapted Dense layer (SSH, LoRA, FourierFT): a frozen kernel W0
 * and bias, the original activation, an adapter-specific update ΔW, and the
 * merge / unmerge / enable / disable state machine.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { SshOptionError, SshShapeError, SshStateError } from '../errors';
import { resolveActivation } from './activations';
import { denseForward } from './dense-forward';

/** Arguments shared by every adapted Dense layer (also their serialised config). */
export interface AdaptedDenseArgs {
  name?: string;
  /** Output width d_out. */
  units: number;
  /** Input width d_in. */
  inputDim: number;
  /** Activation name as tfjs-layers serialises it (default `'linear'`). */
  activation?: string;
  useBias?: boolean;
  /** Whether `kernel` currently holds W0 + ΔW. */
  merged?: boolean;
  /** Whether ΔW is applied. */
  enabled?: boolean;
  trainable?: boolean;
  batchInputShape?: tfl.Shape;
  inputShape?: tfl.Shape;
  dtype?: tf.DataType;
}

/** What adapter handles need from a wrapped layer. */
export interface AdaptedLayer {
  readonly name: string;
  readonly merged: boolean;
  enabled: boolean;
  merge(): void;
  unmerge(): void;
  /** Number of trainable adapter parameters of this layer. */
  readonly adapterParameterCount: number;
}

/** Base class of the adapted Dense layers; subclasses add the adapter weights and x·ΔW. */
export abstract class AdaptedDense extends tfl.layers.Layer implements AdaptedLayer {
  readonly units: number;
  readonly inputDim: number;
  readonly activationName: string;
  readonly useBias: boolean;
  protected mergedState: boolean;
  protected enabledState: boolean;
  private readonly activationFn: (x: tf.Tensor) => tf.Tensor;
  private kernelVar: tfl.LayerVariable | null = null;
  private biasVar: tfl.LayerVariable | null = null;
  /** Exact copy of W0 kept while merged, so that unmerge restores it bit for bit. */
  private unmergedKernel: tf.Tensor | null = null;

  protected constructor(args: AdaptedDenseArgs) {
    super({ name: args.name, trainable: args.trainable ?? true, batchInputShape: args.batchInputShape, inputShape: args.inputShape, dtype: args.dtype });
    for (const key of ['units', 'inputDim'] as const) {
      if (!Number.isInteger(args[key]) || args[key] < 1) {
        throw new SshOptionError(`${this.describe()}: ${key} must be a positive integer, got ${String(args[key])}`);
      }
    }
    this.units = args.units;
    this.inputDim = args.inputDim;
    this.activationName = args.activation ?? 'linear';
    this.activationFn = resolveActivation(this.activationName, this.describe());
    this.useBias = args.useBias ?? true;
    this.mergedState = args.merged ?? false;
    this.enabledState = args.enabled ?? true;
  }

  /** Adds the adapter's own weights (called once from build). */
  protected abstract buildAdapter(): void;
  /** Pre-activation output x·(W0 + ΔW) + b while unmerged and enabled. Runs inside a tidy. */
  protected abstract adaptedForward(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, training: boolean): tf.Tensor;
  /** Dense ΔW `[inputDim, units]` as a new tensor (caller disposes). */
  abstract deltaWeight(): tf.Tensor2D;
  /** Number of trainable adapter parameters. */
  abstract get adapterParameterCount(): number;
  /** Hook before a training-mode forward (e.g. the finite check). */
  protected beforeTrainingCall(): void {}

  protected describe(): string {
    return `${this.getClassName()} '${this.name}'`;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const last = shape[shape.length - 1];
    if (last !== this.inputDim) {
      throw new SshShapeError(`${this.describe()}: input has last axis ${String(last)}, expected inputDim ${this.inputDim}`);
    }
    this.kernelVar = this.addWeight('kernel', [this.inputDim, this.units], 'float32', tfl.initializers.zeros(), undefined, false);
    if (this.useBias) this.biasVar = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros(), undefined, false);
    this.buildAdapter();
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const training = kwargs?.training === true;
      const kernel = this.kernel.read();
      const bias = this.biasVar?.read() ?? null;
      if (this.mergedState || !this.enabledState) return this.activationFn(denseForward(x, kernel, bias));
      if (training) this.beforeTrainingCall();
      return this.activationFn(this.adaptedForward(x, kernel, bias, training));
    });
  }

  /** Whether the kernel weight currently holds W0 + ΔW. */
  get merged(): boolean {
    return this.mergedState;
  }

  /** Whether ΔW contributes to the output (false → the layer computes the frozen Dense). */
  get enabled(): boolean {
    return this.enabledState;
  }

  set enabled(on: boolean) {
    if (this.mergedState && !on) throw new SshStateError(`${this.describe()}: unmerge before disabling the adapter`);
    this.enabledState = on;
  }

  /** The frozen kernel variable (W0, or W0 + ΔW while merged). */
  get kernel(): tfl.LayerVariable {
    if (this.kernelVar === null) throw new SshStateError(`${this.describe()}: weights do not exist before the layer is built`);
    return this.kernelVar;
  }

  /** The frozen bias variable, or null. */
  get bias(): tfl.LayerVariable | null {
    return this.biasVar;
  }

  /** Folds ΔW into the kernel (inference at zero extra cost). */
  merge(): void {
    if (this.mergedState) throw new SshStateError(`${this.describe()} is already merged`);
    const kernel = this.kernel;
    this.unmergedKernel = tf.keep(tf.clone(kernel.read()));
    tf.tidy(() => {
      kernel.write(tf.add(kernel.read(), this.deltaWeight()));
    });
    this.mergedState = true;
  }

  /** Restores W0 (bit-exact when merged in this session, else by subtracting ΔW). */
  unmerge(): void {
    if (!this.mergedState) throw new SshStateError(`${this.describe()} is not merged`);
    const kernel = this.kernel;
    if (this.unmergedKernel !== null) {
      kernel.write(this.unmergedKernel);
      this.unmergedKernel.dispose();
      this.unmergedKernel = null;
    } else {
      tf.tidy(() => {
        kernel.write(tf.sub(kernel.read(), this.deltaWeight()));
      });
    }
    this.mergedState = false;
  }

  /**
   * W0's values (row-major `[inputDim, units]`), also while merged in this session.
   * @throws {SshStateError} when the layer was loaded merged (W0 is then not known exactly).
   */
  baseKernelValues(): Float32Array {
    if (!this.mergedState) return Float32Array.from(this.kernel.read().dataSync());
    if (this.unmergedKernel !== null) return Float32Array.from(this.unmergedKernel.dataSync());
    throw new SshStateError(`${this.describe()} was loaded merged: W0 is not stored exactly; unmerge first`);
  }

  /** Copies W0 (and the bias) from the Dense layer being wrapped. */
  copyBaseFrom(kernel: tf.Tensor, bias: tf.Tensor | null): void {
    if (kernel.shape[0] !== this.inputDim || kernel.shape[1] !== this.units) {
      throw new SshShapeError(`${this.describe()}: base kernel has shape [${kernel.shape}], expected [${this.inputDim}, ${this.units}]`);
    }
    this.kernel.write(kernel);
    if (this.biasVar !== null && bias !== null) this.biasVar.write(bias);
  }

  override dispose(): ReturnType<tfl.layers.Layer['dispose']> {
    this.unmergedKernel?.dispose();
    this.unmergedKernel = null;
    return super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      inputDim: this.inputDim,
      activation: this.activationName,
      useBias: this.useBias,
      merged: this.mergedState,
      enabled: this.enabledState,
    };
  }
}

/** Reads kernel, bias and activation of a tfjs Dense layer (the layer being wrapped). */
export function readDense(layer: tfl.layers.Layer): { kernel: tf.Tensor; bias: tf.Tensor | null; args: AdaptedDenseArgs } {
  const config = layer.getConfig();
  const weights = layer.getWeights();
  const kernel = weights[0];
  const [inputDim, units] = kernel.shape as [number, number];
  const useBias = config.useBias !== false;
  return {
    kernel,
    bias: useBias ? (weights[1] ?? null) : null,
    args: {
      name: layer.name,
      units,
      inputDim,
      activation: typeof config.activation === 'string' ? config.activation : 'linear',
      useBias,
    },
  };
}
