/**
 * The project's one atomic file writer (Node only; reached through `@ssh-peft/adapter/node`).
 * Every file ssh-peft writes — adapters, merged ONNX models and their external data, selection
 * plans, reports, cached models, experiment results — goes through {@link writeFileAtomic}, so
 * they all get the same guarantees: no partial file, no clobbered file, no replaced device.
 */
import { AdapterIOError, AdapterOutputKindError } from './errors';

/** The subset of `node:fs/promises` the atomic writer uses (injectable so tests can make it fail). */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<{
    writeFile(data: Uint8Array | string): Promise<void>;
    sync(): Promise<void>;
    close(): Promise<void>;
  }>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, path: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rm(path: string, options: { force?: boolean; recursive?: boolean }): Promise<void>;
  lstat(path: string): Promise<unknown>;
}

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Replace an existing regular file (or the symlink to one: the link is replaced, its target is
   * not touched). Default `false`: an existing target is an {@link AdapterIOError}, decided
   * atomically by a hard link (no check-then-rename race).
   */
  overwrite?: boolean;
  /** Checked before the data is published: once aborted, the temporary file is removed and nothing is written. */
  signal?: AbortSignal;
  /** File-system implementation (tests inject failures); default `node:fs/promises`. */
  fs?: AtomicFs;
}

/** Node's error code, if any. */
export function errorCode(e: unknown): string | undefined {
  return e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Temporary name in the target's own directory, so the final rename never crosses file systems. */
export function temporaryPath(dir: string, base: string, tag = 'tmp'): string {
  const random = Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
  return `${dir}/.${base}.${process.pid}.${random}.${tag}`;
}

/** What a path is, as {@link fileKindOf} names it for error messages. */
export type FileKind = 'file' | 'directory' | 'FIFO' | 'socket' | 'character device' | 'block device' | 'symbolic link' | 'special file';

/** The part of `fs.Stats` that {@link fileKindOf} reads. */
export interface StatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * What a path is, from its `stat` (follows links) or `lstat` (`'symbolic link'` for a link): the
 * one naming of file kinds in messages that refuse what is not a regular file.
 *
 * @example
 * ```ts
 * import { lstatSync } from 'node:fs';
 * import { fileKindOf } from '@ssh-peft/adapter/node';
 * fileKindOf(lstatSync('/dev/null')); // 'character device'
 * ```
 */
export function fileKindOf(stat: StatLike): FileKind {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symbolic link';
  if (stat.isFIFO()) return 'FIFO';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'special file';
}

/**
 * Refuses an output path that exists and is not a regular file or a symlink to one (a directory,
 * FIFO, socket, device, or a dangling link): writing there would replace a device node with a
 * file, or fail half-way with a raw EISDIR. Throws {@link AdapterOutputKindError} naming the path
 * and what it is. A missing path is fine. Call it before any long work; {@link writeFileAtomic}
 * calls it again right before publishing.
 *
 * @example
 * ```ts
 * import { checkOutputPath } from '@ssh-peft/adapter/node';
 * await checkOutputPath('/dev/null'); // AdapterOutputKindError: … is a character device, not a regular file
 * ```
 */
export async function checkOutputPath(path: string): Promise<void> {
  // Two metadata calls on one path: the synchronous check costs no more than awaiting them.
  checkOutputPathSync(path, await import('node:fs'));
}

/** Same check, synchronous, for command-line argument checks that run before any work. */
export function checkOutputPathSync(path: string, fs: typeof import('node:fs')): void {
  let own: StatLike;
  try {
    own = fs.lstatSync(path);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw new AdapterIOError(path, `cannot be examined (${(e as Error).message})`, { cause: e });
  }
  const kind = fileKindOf(own);
  if (kind === 'file') return;
  if (kind === 'symbolic link') {
    let target: StatLike;
    try {
      target = fs.statSync(path);
    } catch (e) {
      throw new AdapterOutputKindError(path, 'a symbolic link to a missing file', { cause: e });
    }
    const targetKind = fileKindOf(target);
    if (targetKind !== 'file') throw new AdapterOutputKindError(path, `a symbolic link to a ${targetKind}`);
    return;
  }
  throw new AdapterOutputKindError(path, `a ${kind}`);
}

/**
 * fsync of a directory makes a rename inside it durable. Some platforms cannot open a directory
 * (Windows) or refuse fsync on it; the rename is still atomic there, so those failures are ignored.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const fs = await import('node:fs/promises');
  let handle: Awaited<ReturnType<typeof fs.open>> | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // See above: durability of the rename is then up to the OS.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes `data` (bytes, text, or a list of byte chunks written in order) to `target` atomically:
 * a temporary file in the same directory is written and fsynced, then published — with
 * `overwrite`, by rename over the target; without, by a hard link that fails atomically with
 * EEXIST if the target exists (on file systems without hard links: check, then rename) — and the
 * directory is fsynced so the new name survives a power loss. An existing target must be a
 * regular file or a symlink to one ({@link checkOutputPath}). On any failure or abort the
 * temporary file is removed and the target is untouched. Returns `target`.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from '@ssh-peft/adapter/node';
 * await writeFileAtomic('out/plan.json', JSON.stringify(plan), { overwrite: true });
 * await writeFileAtomic('out/model.onnx', [header, body], { signal }); // refuses an existing file
 * ```
 */
export async function writeFileAtomic(target: string, data: Uint8Array | string | readonly Uint8Array[], options: AtomicWriteOptions = {}): Promise<string> {
  const nodeFs = await import('node:fs/promises');
  const { dirname, basename, resolve } = await import('node:path');
  const fs: AtomicFs = options.fs ?? (nodeFs as unknown as AtomicFs);
  const overwrite = options.overwrite === true;
  const path = resolve(target);
  const dir = dirname(path);
  options.signal?.throwIfAborted();
  await checkOutputPath(path);
  const tmp = temporaryPath(dir, basename(path));
  try {
    const handle = await fs.open(tmp, 'wx', 0o644);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
      else for (const chunk of data) await handle.writeFile(chunk);
      await handle.sync();
    } finally {
      await handle.close();
    }
    options.signal?.throwIfAborted();
    if (overwrite) {
      await checkOutputPath(path);
      await fs.rename(tmp, path);
    } else {
      await linkNoClobber(fs, tmp, path);
    }
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof AdapterIOError || options.signal?.aborted) throw e;
    throw new AdapterIOError(path, `write failed (${(e as Error).message}); the target was left unchanged`, { cause: e });
  }
  await syncDirectory(dir);
  return path;
}

async function linkNoClobber(fs: AtomicFs, tmp: string, target: string): Promise<void> {
  try {
    await fs.link(tmp, target);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'EEXIST') throw new AdapterIOError(target, 'already exists; pass { overwrite: true } to replace it');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
    // No hard links here (e.g. some network or FAT file systems): check, then rename.
    if (await exists(fs, target)) throw new AdapterIOError(target, 'already exists; pass { overwrite: true } to replace it');
    await fs.rename(tmp, target);
    return;
  }
  await fs.unlink(tmp);
}

/** Whether `path` exists (without following a final symlink). */
export async function exists(fs: Pick<AtomicFs, 'lstat'>, path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
}
