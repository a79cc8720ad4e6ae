/**
 * @packageDocumentation
 * `@ssh-peft/adapter/node` — the Node-only half of `@ssh-peft/adapter`: saving and loading
 * adapter files (single `.safetensors` file or the PEFT directory layout) with atomic writes, and
 * the project's one atomic file writer ({@link writeFileAtomic}) that every other package uses.
 *
 * Kept out of the main entry so that a browser bundle of `@ssh-peft/adapter` (and of every
 * package built on it) never sees `node:fs` or `node:path`.
 *
 * @example
 * ```ts
 * import { saveAdapter, loadAdapter } from '@ssh-peft/adapter/node';
 * await saveAdapter(adapter, 'adapter.safetensors');
 * const back = await loadAdapter('adapter.safetensors');
 * ```
 */
export { saveAdapter, loadAdapter, type SaveAdapterOptions, type LoadAdapterOptions, type SavedAdapter } from './node-io';
export {
  writeFileAtomic,
  checkOutputPath,
  checkOutputPathSync,
  fileKindOf,
  syncDirectory,
  temporaryPath,
  type AtomicFs,
  type AtomicWriteOptions,
  type FileKind,
  type StatLike,
} from './atomic-write';
