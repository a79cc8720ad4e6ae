/**
 * Atomic file output: data goes to a temporary file in the destination's directory, is
 * fsync'ed, then renamed over the destination. A crash or Ctrl-C leaves either the old file
 * or the complete new one, never a truncated file (rename is atomic within one filesystem,
 * which is why the temporary file lives next to the destination and not in /tmp).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A name for a temporary sibling of `path`, hidden and unique per call. */
export function temporarySibling(path: string, tag = 'tmp'): string {
  return join(dirname(path), `.${basename(path)}.${tag}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** Fsyncs a directory so that a rename inside it survives a power loss (best effort where unsupported). */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `data` to `path` atomically (temp file + fsync + rename).
 *
 * @example
 * ```ts
 * writeFileAtomic('report.json', JSON.stringify(report));
 * ```
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = temporarySibling(path);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(path));
}
