/**
 * On-disk cache of pretrained tfjs models, keyed by a hash of everything that determines
 * the weights (model and training configuration, data fingerprint, seed). An entry is a
 * directory `<root>/<kind>-<hash>/` with `model.json` (topology, weight specs, the full
 * configuration it was trained from, extras such as the loss curve, SHA-256 of the weights)
 * and `weights.bin`, and nothing else. It is staged and renamed into place, so a reader never sees a
 * half-written entry. An entry is verified as a whole before it is used: the file list, the
 * manifest's structure, the configuration (the recipe) it was built from, the SHA-256 of the
 * weights, and a SHA-256 over the whole manifest, so an edited `model.json` (swapped weight names,
 * a changed activation, a missing field) is a miss and the model is rebuilt — never used, never a
 * crash.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { CliCacheError } from '../errors';
import { StagedDirectory } from '../fs/staged-directory';
import { bytesHash, canonicalJson, configHash } from './config-hash';
import type { ModelBytes } from './model-artifacts';

const ENTRY_FORMAT = 'ssh-peft-model-cache/2';
const ENTRY_FILES = ['model.json', 'weights.bin'];

/**
 * Default cache root: `$SSH_PEFT_CACHE_DIR`, else `node_modules/.cache/ssh-peft` of the
 * nearest project above `cwd` (the find-cache-dir convention: wiped with node_modules),
 * else `~/.cache/ssh-peft`.
 */
export function defaultCacheDirectory(cwd = process.cwd()): string {
  const fromEnv = process.env.SSH_PEFT_CACHE_DIR;
  if (fromEnv) return resolve(fromEnv);
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'ssh-peft');
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(homedir(), '.cache', 'ssh-peft');
}

interface EntryManifest {
  format: string;
  key: string;
  config: unknown;
  extras: unknown;
  weightsSha256: string;
  modelTopology: unknown;
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** SHA-256 of the canonical JSON of every other field: any edit of model.json is detected. */
  manifestSha256: string;
}

/** What {@link ModelCache.lookup} found: the entry, or why there is none usable. */
export type CacheLookup<E> = { hit: CacheEntry<E>; reason?: undefined } | { hit?: undefined; reason: string; absent: boolean };

function manifestDigest(manifest: Omit<EntryManifest, 'manifestSha256'>): string {
  const { format, key, config, extras, weightsSha256, modelTopology, weightSpecs } = manifest;
  return bytesHash(new TextEncoder().encode(canonicalJson({ format, key, config, extras, weightsSha256, modelTopology, weightSpecs })));
}

/** The structural problem of a parsed manifest against `weights`, or undefined. */
function manifestProblem(manifest: unknown, weightBytes: number): string | undefined {
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) return 'model.json is not a JSON object';
  const m = manifest as Record<string, unknown>;
  for (const field of ['format', 'key', 'config', 'extras', 'weightsSha256', 'modelTopology', 'weightSpecs', 'manifestSha256']) {
    if (!(field in m) || m[field] === undefined) return `model.json has no ${field}`;
  }
  if (m.modelTopology === null || typeof m.modelTopology !== 'object') return 'model.json: modelTopology is not an object';
  if (m.extras === null || typeof m.extras !== 'object') return 'model.json: extras is not an object';
  if (!Array.isArray(m.weightSpecs)) return 'model.json: weightSpecs is not an array';
  let elements = 0;
  for (const [i, spec] of (m.weightSpecs as unknown[]).entries()) {
    const s = spec as Record<string, unknown> | null;
    if (s === null || typeof s !== 'object' || typeof s.name !== 'string') return `model.json: weightSpecs[${i}] has no name`;
    if (s.dtype !== 'float32') return `model.json: weightSpecs[${i}] (${s.name}) has dtype ${String(s.dtype)}, expected float32`;
    if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) return `model.json: weightSpecs[${i}] (${s.name}) has an invalid shape`;
    elements += (s.shape as number[]).reduce((a, b) => a * b, 1);
  }
  if (elements * 4 !== weightBytes) return `model.json: weight specs need ${elements * 4} bytes, weights.bin has ${weightBytes}`;
  return undefined;
}

/** A cache hit: the model's bytes and what was stored alongside. */
export interface CacheEntry<E> {
  bytes: ModelBytes;
  extras: E;
  path: string;
}

/**
 * A key-addressed store of serialised tfjs models.
 *
 * @example
 * ```ts
 * const cache = new ModelCache(defaultCacheDirectory());
 * const hit = cache.load('base-vit', config);
 * if (!hit) await cache.save('base-vit', config, await modelToBytes(model), { losses });
 * ```
 */
export class ModelCache {
  readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The short key of `config`. */
  key(config: unknown): string {
    return configHash(config);
  }

  /** Directory of the entry for `config` under `kind` (e.g. `base-vit`). */
  entryPath(kind: string, config: unknown): string {
    return join(this.root, `${kind}-${configHash(config)}`);
  }

  /**
   * Before any work: the cache root must be a directory this process can create files in
   * (created if missing). Throws {@link CliCacheError} naming the root and the problem, so a run
   * never pretrains for a minute and then fails to store the result.
   */
  assertUsable(): void {
    if (existsSync(this.root) && !statSync(this.root).isDirectory()) {
      throw new CliCacheError(this.root, 'exists and is not a directory');
    }
    try {
      mkdirSync(this.root, { recursive: true });
      accessSync(this.root, constants.W_OK | constants.X_OK);
    } catch (e) {
      throw new CliCacheError(this.root, `cannot be used (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  /**
   * The entry for `config`, verified as a whole, or why it cannot be used: absent, a file list
   * other than model.json + weights.bin, unreadable or malformed JSON, another configuration,
   * weights or manifest that do not match their SHA-256. Never throws for a bad entry.
   */
  lookup<E>(kind: string, config: unknown): CacheLookup<E> {
    const path = this.entryPath(kind, config);
    if (!existsSync(path)) return { reason: 'no entry', absent: true };
    const miss = (reason: string): CacheLookup<E> => ({ reason, absent: false });
    let manifest: EntryManifest;
    let weights: Buffer;
    try {
      const files = readdirSync(path).sort();
      if (files.join('\n') !== ENTRY_FILES.join('\n')) return miss(`the entry holds ${JSON.stringify(files)}, expected ${JSON.stringify(ENTRY_FILES)}`);
      weights = readFileSync(join(path, 'weights.bin'));
      manifest = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as EntryManifest;
    } catch (e) {
      return miss(`unreadable (${(e as Error).message})`);
    }
    const problem = manifestProblem(manifest, weights.length);
    if (problem) return miss(problem);
    if (manifest.format !== ENTRY_FORMAT) return miss(`format ${JSON.stringify(manifest.format)}, expected ${ENTRY_FORMAT}`);
    let sameConfig: boolean;
    let digest: string;
    try {
      sameConfig = canonicalJson(manifest.config) === canonicalJson(config);
      digest = manifestDigest(manifest);
    } catch (e) {
      return miss(`model.json: ${(e as Error).message}`);
    }
    if (!sameConfig) return miss('built from another configuration');
    if (bytesHash(weights) !== manifest.weightsSha256) return miss('weights.bin does not match its SHA-256');
    if (digest !== manifest.manifestSha256) return miss('model.json was changed after it was written (its SHA-256 does not match)');
    return {
      hit: {
        bytes: { modelTopology: manifest.modelTopology, weightSpecs: manifest.weightSpecs, weights: new Uint8Array(weights) },
        extras: manifest.extras as E,
        path,
      },
    };
  }

  /** The entry for `config`, or `null` on a miss (see {@link ModelCache.lookup} for why). */
  load<E>(kind: string, config: unknown): CacheEntry<E> | null {
    return this.lookup<E>(kind, config).hit ?? null;
  }

  /** Stores a model under `config`; returns the entry directory. Concurrent writers are harmless (last rename wins). */
  async save(kind: string, config: unknown, bytes: ModelBytes, extras: unknown): Promise<string> {
    const path = this.entryPath(kind, config);
    mkdirSync(this.root, { recursive: true });
    const unsigned = {
      format: ENTRY_FORMAT,
      key: configHash(config),
      config,
      extras,
      weightsSha256: bytesHash(bytes.weights),
      modelTopology: bytes.modelTopology,
      weightSpecs: bytes.weightSpecs,
    };
    const manifest: EntryManifest = { ...unsigned, manifestSha256: manifestDigest(unsigned) };
    const staged = StagedDirectory.create(path, { force: true });
    try {
      await staged.writeFile('weights.bin', bytes.weights);
      await staged.writeFile('model.json', JSON.stringify(manifest));
      await staged.commit();
    } finally {
      staged.discard();
    }
    return path;
  }

  /** Removes the entry for `config`. */
  remove(kind: string, config: unknown): void {
    rmSync(this.entryPath(kind, config), { recursive: true, force: true });
  }
}
