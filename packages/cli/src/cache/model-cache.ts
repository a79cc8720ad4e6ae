/**
 * On-disk cache of pretrained tfjs models, keyed by a hash of everything that determines
 * the weights (model and training configuration, data fingerprint, seed). An entry is a
 * directory `<root>/<kind>-<hash>/` with `model.json` (topology, weight specs, the full
 * configuration it was trained from, extras such as the loss curve, SHA-256 of the weights)
 * and `weights.bin`. It is staged and renamed into place, so a reader never sees a
 * half-written entry. A damaged entry (hash mismatch, unreadable JSON) counts as a miss.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs-core';
import { StagedDirectory } from '../fs/staged-directory';
import { bytesHash, canonicalJson, configHash } from './config-hash';
import type { ModelBytes } from './model-artifacts';

const ENTRY_FORMAT = 'ssh-peft-model-cache/1';

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
 * if (!hit) cache.save('base-vit', config, await modelToBytes(model), { losses });
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

  /** The entry for `config`, or `null` on a miss (absent, damaged, or another configuration with the same short hash). */
  load<E>(kind: string, config: unknown): CacheEntry<E> | null {
    const path = this.entryPath(kind, config);
    let manifest: EntryManifest;
    let weights: Buffer;
    try {
      manifest = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as EntryManifest;
      weights = readFileSync(join(path, 'weights.bin'));
    } catch {
      return null;
    }
    if (manifest.format !== ENTRY_FORMAT || canonicalJson(manifest.config) !== canonicalJson(config)) return null;
    if (bytesHash(weights) !== manifest.weightsSha256) return null;
    return {
      bytes: { modelTopology: manifest.modelTopology, weightSpecs: manifest.weightSpecs, weights: new Uint8Array(weights) },
      extras: manifest.extras as E,
      path,
    };
  }

  /** Stores a model under `config`; returns the entry directory. Concurrent writers are harmless (last rename wins). */
  save(kind: string, config: unknown, bytes: ModelBytes, extras: unknown): string {
    const path = this.entryPath(kind, config);
    mkdirSync(this.root, { recursive: true });
    const manifest: EntryManifest = {
      format: ENTRY_FORMAT,
      key: configHash(config),
      config,
      extras,
      weightsSha256: bytesHash(bytes.weights),
      modelTopology: bytes.modelTopology,
      weightSpecs: bytes.weightSpecs,
    };
    const staged = StagedDirectory.create(path, { force: true });
    try {
      staged.writeFile('weights.bin', bytes.weights);
      staged.writeFile('model.json', JSON.stringify(manifest));
      staged.commit();
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
