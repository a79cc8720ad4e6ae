import type { Normalization, Variant2D } from '@ssh-peft/hartley';

/** The value of {@link SshAdapter.format}. */
export const ADAPTER_FORMAT = 'ssh-peft-adapter';
/**
 * The format version this package writes. Version 2 adds the integrity digest
 * (`ssh_peft.digest`); version 1 files are still read, with a notice.
 */
export const ADAPTER_FORMAT_VERSION = 2;

/** Format versions this package reads (and accepts in an in-memory adapter's `version`). */
export const SUPPORTED_ADAPTER_VERSIONS: readonly AdapterFormatVersion[] = [1, 2];

/** A format version this package reads: the in-memory adapter is the same for both. */
export type AdapterFormatVersion = 1 | 2;

/** A JSON value (what the adapter's free-form config fields may hold). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * How the coefficients were initialised:
 * - `'zeros'` (default): ΔW = 0 at step 0, so the adapted model starts exactly at the base model
 *   (like LoRA). Training is not stalled by it: ∂L/∂c does not depend on c (ΔW is linear in c).
 * - `'normal'`: independent N(0, std²) draws from the seeded project PRNG, as the reference code does
 *   (`torch.randn`); ΔW ≠ 0 at step 0.
 */
export type AdapterInit = 'zeros' | 'normal';

/** Adapter-wide settings, stored in the file's `ssh_peft.config` metadata entry. */
export interface SshAdapterConfig {
  /** 2D transform variant of ΔW = α · IDHT2(S). */
  readonly variant: Variant2D;
  /** Normalisation of the 2D inverse transform (the 1/(rows·cols) placement). */
  readonly normalization: Normalization;
  /** How the coefficients were initialised when the adapter was created. */
  readonly init: AdapterInit;
  /** Standard deviation of the `'normal'` initialisation (0 for `'zeros'`). */
  readonly initStd: number;
  /** Seed of the coefficient initialisation (by default the selection seed). */
  readonly seed: number;
  /**
   * The serialisable part of the `@ssh-peft/selection` options that produced the positions
   * (strategy, perLayer/budget, energyRatio, seed, score, variant, normalization…), as JSON.
   */
  readonly selection: Readonly<Record<string, JsonValue>>;
  /** Free-form user metadata (e.g. base model name, task, date). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * One adapted layer: y = x · (W0 + ΔW) with W0 of shape [rows, cols] = [d_in, d_out] and
 * ΔW = alpha · IDHT2(S), S zero except S[indices[k]] = coefficients[k] (flat row-major
 * positions u·cols + v). Invariants (checked by {@link validateAdapter}): indices distinct
 * and < rows·cols, coefficients finite, same length; alpha finite.
 */
export interface SshAdapterLayer {
  /** Layer name, unique within the adapter (e.g. `"encoder.0.attention.query"`). */
  readonly name: string;
  /** d_in. */
  readonly rows: number;
  /** d_out. */
  readonly cols: number;
  /** Spectral positions u·cols + v (the SelectionPlan's indices, normally ascending). */
  readonly indices: Uint32Array;
  /** Trainable coefficients, one per position. */
  readonly coefficients: Float32Array;
  /** Scale α of ΔW. */
  readonly alpha: number;
  /** `fingerprintWeights` of the base weight W0 (see `@ssh-peft/selection`). */
  readonly fingerprint: string;
}

/**
 * An SSH adapter: a plain object, safe to build by hand, serialised by {@link encodeAdapter}.
 *
 * @example
 * ```ts
 * import type { SshAdapter } from '@ssh-peft/adapter';
 * const adapter: SshAdapter = {
 *   format: 'ssh-peft-adapter', version: 2,
 *   config: { variant: 'separable', normalization: 'backward', init: 'zeros', initStd: 0, seed: 0, selection: {}, metadata: {} },
 *   layers: [{ name: 'dense', rows: 4, cols: 3, indices: new Uint32Array([0, 5]),
 *              coefficients: new Float32Array([0.5, -1]), alpha: 1, fingerprint: 'unknown' }],
 * };
 * ```
 */
export interface SshAdapter {
  readonly format: typeof ADAPTER_FORMAT;
  /** Format version: {@link decodeAdapter} reports the file's; {@link encodeAdapter} always writes the current one. */
  readonly version: AdapterFormatVersion;
  readonly config: SshAdapterConfig;
  readonly layers: readonly SshAdapterLayer[];
}
