/** Atomic file writes: temporary file in the target's directory, fsync, rename. */
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `chunks` to `target` atomically: a failure leaves no partial target and no temporary
 * file behind; readers see either the old file or the complete new one.
 */
export async function writeFileAtomic(target: string, chunks: readonly Uint8Array[]): Promise<void> {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${Math.floor(Math.random() * 2 ** 32).toString(16)}.tmp`);
  try {
    const handle = await open(tmp, 'wx', 0o644);
    try {
      for (const chunk of chunks) {
        let done = 0;
        while (done < chunk.length) done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
