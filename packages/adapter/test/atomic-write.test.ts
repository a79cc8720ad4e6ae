import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdapterIOError, AdapterOutputKindError, AdapterValidationError } from '../src/index';
import * as nodeFs from 'node:fs/promises';
import { type AtomicFs, checkOutputPath, fileKindOf, loadAdapter, saveAdapter, writeFileAtomic } from '../src/node';
import { smallAdapter } from './arbitraries';

const fresh = () => mkdtempSync(join(tmpdir(), 'ssh-atomic-'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('writeFileAtomic: the one atomic writer', () => {
  it('writes bytes, text and chunk lists; no temporary file is left; refuses to clobber without overwrite', async () => {
    const dir = fresh();
    const file = join(dir, 'a.bin');
    await writeFileAtomic(file, [new Uint8Array([1, 2]), new Uint8Array([3])]);
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    const e = await rejection(writeFileAtomic(file, 'x'));
    expect(e).toBeInstanceOf(AdapterIOError);
    expect((e as Error).message).toMatch(/already exists/);
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    await writeFileAtomic(file, 'text', { overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('text');
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });

  it('replaces a symlink to a regular file by a file, leaving the link target untouched', async () => {
    const dir = fresh();
    const real = join(dir, 'real.txt');
    writeFileSync(real, 'keep');
    const link = join(dir, 'link.txt');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new', { overwrite: true });
    expect(lstatSync(link).isFile()).toBe(true);
    expect(readFileSync(link, 'utf8')).toBe('new');
    expect(readFileSync(real, 'utf8')).toBe('keep');
  });

  it('refuses a directory, a FIFO, a link to a directory and a dangling link with AdapterOutputKindError naming them', async () => {
    const dir = fresh();
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const toDir = join(dir, 'to-dir');
    symlinkSync(sub, toDir);
    const dangling = join(dir, 'dangling');
    symlinkSync(join(dir, 'nothing'), dangling);
    for (const [path, kind] of [
      [sub, 'a directory'],
      [fifo, 'a FIFO'],
      [toDir, 'a symbolic link to a directory'],
      [dangling, 'a symbolic link to a missing file'],
    ] as const) {
      const e = await rejection(writeFileAtomic(path, 'x', { overwrite: true }));
      expect(e, path).toBeInstanceOf(AdapterOutputKindError);
      expect((e as AdapterOutputKindError).file).toBe(path);
      expect((e as AdapterOutputKindError).kind).toBe(kind);
      expect((e as Error).message).toContain(`"${path}": is ${kind}, not a regular file`);
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['dangling', 'pipe', 'sub', 'to-dir']);
    // A path without .safetensors is the directory layout: a FIFO there is not a directory.
    expect(await rejection(saveAdapter(smallAdapter(), fifo, { overwrite: true }))).toBeInstanceOf(AdapterIOError);
    execFileSync('mkfifo', [join(dir, 'f.safetensors')]);
    expect(await rejection(saveAdapter(smallAdapter(), join(dir, 'f.safetensors'), { overwrite: true }))).toBeInstanceOf(AdapterOutputKindError);
  });

  it.skipIf(!isRoot)('as root, /dev/null stays a character device', async () => {
    const e = await rejection(writeFileAtomic('/dev/null', 'x', { overwrite: true }));
    expect(e).toBeInstanceOf(AdapterOutputKindError);
    expect((e as AdapterOutputKindError).kind).toBe('a character device');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    await expect(checkOutputPath('/dev/null')).rejects.toThrow(/"\/dev\/null": is a character device/);
  });

  it('an aborted signal publishes nothing and leaves no temporary file', async () => {
    const dir = fresh();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(writeFileAtomic(join(dir, 'a'), 'x', { signal: controller.signal })).rejects.toThrow('stop');
    // Aborted while the data is being written (here: during the fsync): nothing is published.
    const late = new AbortController();
    const fs = { ...nodeFs } as unknown as AtomicFs;
    fs.open = async (path, flags, mode) => {
      const handle = await nodeFs.open(path, flags, mode);
      return {
        writeFile: (d: Uint8Array | string) => handle.writeFile(d),
        sync: async () => {
          await handle.sync();
          late.abort(new Error('late'));
        },
        close: () => handle.close(),
      };
    };
    await expect(writeFileAtomic(join(dir, 'b'), 'data', { signal: late.signal, fs })).rejects.toThrow('late');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('saveAdapter / loadAdapter argument types', () => {
  it('a path that is not a non-empty string, or options that are not an object, are AdapterValidationErrors (not TypeErrors)', async () => {
    for (const bad of [123, undefined, null, '', {}, ['a.safetensors']]) {
      const e = await rejection(loadAdapter(bad as never));
      expect(e, String(bad)).toBeInstanceOf(AdapterValidationError);
      expect((e as AdapterValidationError).path).toBe('path');
      expect((e as Error).message).toMatch(/^path: loadAdapter needs a file or directory path \(a non-empty string\), got /);
      expect(await rejection(saveAdapter(smallAdapter(), bad as never))).toBeInstanceOf(AdapterValidationError);
    }
    expect(await rejection(loadAdapter('x.safetensors', 5 as never))).toBeInstanceOf(AdapterValidationError);
    expect(await rejection(loadAdapter('x.safetensors', { onNotice: 'log' } as never))).toBeInstanceOf(AdapterValidationError);
    expect(await rejection(saveAdapter(smallAdapter(), 'a\0b.safetensors'))).toBeInstanceOf(AdapterValidationError);
    expect(await rejection(saveAdapter(null as never, 'x.safetensors'))).toBeInstanceOf(AdapterValidationError);
  });
});

describe('fileKindOf: the one naming of file kinds', () => {
  it('names a file, a directory, a FIFO, a symbolic link (lstat) or what it points to (stat), a character device', () => {
    const dir = fresh();
    const file = join(dir, 'f');
    writeFileSync(file, 'x');
    const fifo = join(dir, 'p');
    execFileSync('mkfifo', [fifo]);
    const link = join(dir, 'l');
    symlinkSync(fifo, link);
    expect(fileKindOf(statSync(file))).toBe('file');
    expect(fileKindOf(statSync(dir))).toBe('directory');
    expect(fileKindOf(statSync(fifo))).toBe('FIFO');
    expect(fileKindOf(lstatSync(link))).toBe('symbolic link');
    expect(fileKindOf(statSync(link))).toBe('FIFO');
    expect(fileKindOf(statSync('/dev/null'))).toBe('character device');
  });
});
