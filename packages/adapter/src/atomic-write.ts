import { AdapterIOError } from './errors';

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

/** Node's error code, if any. */
export function errorCode(e: unknown): string | undefined {
  return e !== null && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** Temporary name in the target's own directory, so the final rename never crosses file systems. */
export function temporaryPath(dir: string, base: string): string {
  const random = Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
  return `${dir}/.${base}.${process.pid}.${random}.tmp`;
}

/**
 * Writes `data` to a temporary file in `dir`, fsyncs it, then moves it to `dir/base`:
 * with `overwrite`, by rename (atomic replace); without, by hard link, which fails atomically
 * with EEXIST if the target appeared meanwhile (falling back to check + rename on file systems
 * without hard links). On any failure the temporary file is removed and the target is untouched.
 */
export async function writeFileAtomic(fs: AtomicFs, dir: string, base: string, data: Uint8Array | string, overwrite: boolean): Promise<string> {
  const target = `${dir}/${base}`;
  const tmp = temporaryPath(dir, base);
  try {
    const handle = await fs.open(tmp, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (overwrite) {
      await fs.rename(tmp, target);
    } else {
      await linkNoClobber(fs, tmp, target);
    }
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    if (e instanceof AdapterIOError) throw e;
    throw new AdapterIOError(target, `write failed (${(e as Error).message}); the target was left unchanged`, { cause: e });
  }
  return target;
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
