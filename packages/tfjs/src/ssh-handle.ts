/**
 * {@link SshHandle}: the adapter handle of an SSH-adapted model, with named adapters,
 * export/load through @ssh-peft/adapter objects and the non-finite check.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import { validateAdapter, verifyBase, type SshAdapter, type SshAdapterLayer } from '@ssh-peft/adapter';
import { SshAdapterMismatchError, SshOptionError, SshStateError } from './errors';
import { AdapterHandle } from './handle';
import type { SshDense } from './layers/ssh-dense';

/** Options of {@link SshHandle.attachAdapter}. */
export interface AttachAdapterOptions {
  /** Make it the active adapter right away (default true). */
  activate?: boolean;
}

/**
 * Handle returned by `applySSH`. Holds any number of named adapters for the same
 * wrapped layers; exactly one is active (its coefficients live in the model's
 * `ssh_coefficients` variables and train with `model.fit`).
 */
export class SshHandle extends AdapterHandle<SshDense> {
  private readonly store = new Map<string, SshAdapter>();
  private activeName: string;

  constructor(model: tfl.LayersModel, layers: ReadonlyMap<string, SshDense>, adapter: SshAdapter, name: string) {
    super(model, layers);
    this.store.set(name, adapter);
    this.activeName = name;
    this.applyToLayers(adapter, name);
  }

  /** Name of the active adapter. */
  get activeAdapter(): string {
    return this.activeName;
  }

  /** Names of every adapter held, the active one included. */
  adapterNames(): string[] {
    return [...this.store.keys()];
  }

  /**
   * The named adapter (default: the active one) as an @ssh-peft/adapter object, with
   * the coefficients as trained so far. Save it with @ssh-peft/adapter's codec.
   *
   * @example
   * ```ts
   * const adapter = handle.exportAdapter();
   * ```
   */
  exportAdapter(name: string = this.activeName): SshAdapter {
    const stored = this.get(name);
    if (name !== this.activeName) return stored;
    const layers: SshAdapterLayer[] = stored.layers.map((entry) => {
      const layer = this.layers.get(entry.name) as SshDense;
      return { ...entry, indices: layer.indices, coefficients: layer.readCoefficients(), alpha: layer.alpha };
    });
    return { ...stored, layers };
  }

  /**
   * Adds (or replaces) a named adapter after checking it against the model: every
   * adapter layer must be a wrapped layer of the same shape, variant and normalisation,
   * and the fingerprint of its base weight must match this model's W0.
   *
   * @throws {SshAdapterMismatchError} naming the layer and what differs.
   * @example
   * ```ts
   * handle.attachAdapter(decodeAdapter(bytes), 'task-b');
   * ```
   */
  attachAdapter(adapter: SshAdapter, name = 'default', options: AttachAdapterOptions = {}): void {
    if (typeof name !== 'string' || name.length === 0) throw new SshOptionError(`attachAdapter: name must be a non-empty string, got ${String(name)}`);
    try {
      validateAdapter(adapter);
    } catch (e) {
      throw new SshAdapterMismatchError(`attachAdapter '${name}': invalid adapter: ${(e as Error).message}`);
    }
    const wrapped = [...this.layers.keys()];
    for (const entry of adapter.layers) {
      const layer = this.layers.get(entry.name);
      if (layer === undefined) {
        throw new SshAdapterMismatchError(`attachAdapter '${name}': layer '${entry.name}' is not an SSH-wrapped layer of this model; wrapped layers: ${wrapped.join(', ')}`);
      }
      if (entry.rows !== layer.inputDim || entry.cols !== layer.units) {
        throw new SshAdapterMismatchError(
          `attachAdapter '${name}': layer '${entry.name}' is [${entry.rows}, ${entry.cols}] in the adapter but [${layer.inputDim}, ${layer.units}] in the model`,
        );
      }
      if (adapter.config.variant !== layer.variant || adapter.config.normalization !== layer.normalization) {
        throw new SshAdapterMismatchError(
          `attachAdapter '${name}': adapter uses variant '${adapter.config.variant}' / normalization '${adapter.config.normalization}', ` +
            `layer '${entry.name}' was wrapped with '${layer.variant}' / '${layer.normalization}'`,
        );
      }
      try {
        verifyBase(adapter, entry.name, layer.baseKernelValues(), [layer.inputDim, layer.units]);
      } catch (e) {
        if (e instanceof SshStateError) throw e;
        throw new SshAdapterMismatchError(`attachAdapter '${name}': ${(e as Error).message}`);
      }
    }
    this.store.set(name, adapter);
    // Replacing the active adapter must reach the layers even with activate: false.
    if ((options.activate ?? true) || name === this.activeName) this.setActive(name, true);
  }

  /**
   * Makes the named adapter active: the current coefficients are saved under the
   * current name, the new ones are written into the layers.
   *
   * @example
   * ```ts
   * handle.setActive('task-b');
   * ```
   */
  setActive(name: string, reload = false): void {
    const adapter = this.get(name);
    if (name === this.activeName && !reload) return;
    if (this.merged) throw new SshStateError(`setActive('${name}'): unmerge before switching adapters`);
    if (name !== this.activeName) this.store.set(this.activeName, this.exportAdapter(this.activeName));
    this.applyToLayers(adapter, name);
    this.activeName = name;
  }

  /** Drops a non-active adapter. */
  deleteAdapter(name: string): void {
    this.get(name);
    if (name === this.activeName) throw new SshStateError(`deleteAdapter('${name}'): it is the active adapter; setActive another first`);
    this.store.delete(name);
  }

  /** Enables the layers the active adapter covers. */
  override enable(): void {
    const covered = new Set(this.get(this.activeName).layers.map((l) => l.name));
    for (const l of this.layers.values()) l.enabled = covered.has(l.name);
  }

  /**
   * @throws {SshNonFiniteError} naming the first layer with a NaN/±Infinity coefficient.
   */
  assertFinite(): void {
    for (const l of this.layers.values()) l.assertFinite();
  }

  /**
   * A `model.fit` callback that checks the coefficients after every batch and stops
   * training with {@link SshNonFiniteError} naming the layer.
   *
   * @example
   * ```ts
   * await handle.model.fit(x, y, { epochs: 3, callbacks: [handle.finiteCheck()] });
   * ```
   */
  finiteCheck(): tfl.CustomCallback {
    // Asynchronous reads: no pipeline stall per batch on GPU backends (fit awaits the callback).
    return new tfl.CustomCallback({
      onBatchEnd: async () => {
        for (const l of this.layers.values()) await l.assertFiniteAsync();
      },
    });
  }

  private get(name: string): SshAdapter {
    const adapter = this.store.get(name);
    if (adapter === undefined) throw new SshOptionError(`no adapter named '${name}'; adapters: ${this.adapterNames().join(', ')}`);
    return adapter;
  }

  private applyToLayers(adapter: SshAdapter, name: string): void {
    let replaced = false;
    const covered = new Map(adapter.layers.map((l) => [l.name, l]));
    for (const layer of this.layers.values()) {
      const entry = covered.get(layer.name);
      if (entry === undefined) {
        layer.enabled = false;
        continue;
      }
      replaced = layer.setAdapter(entry.indices, entry.coefficients, entry.alpha, name) || replaced;
      layer.enabled = true;
    }
    // A replaced coefficient variable must reach the optimizer's variable list (what compile() collects).
    const compiled = this.model as unknown as { collectedTrainableWeights?: tfl.LayerVariable[] };
    if (replaced && compiled.collectedTrainableWeights != null) compiled.collectedTrainableWeights = this.model.trainableWeights;
  }
}
