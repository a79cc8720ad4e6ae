import { mkdtemp, readdir, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdapterIntegrityError,
  AdapterFormatError,
  AdapterIOError,
  AdapterValidationError,
  encodeAdapter,
  type SshAdapter,
} from '../src/index';
import { loadAdapter, saveAdapter, type AtomicFs } from '../src/node';
import { smallAdapter } from './arbitraries';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssh-adapter-io-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** node:fs/promises whose file handles fail at `failAt` ('write' or 'sync'). */
function failingFs(failAt: 'write' | 'sync' | 'rename'): AtomicFs {
  const real = nodeFs as unknown as AtomicFs;
  return {
    ...real,
    open: async (path, flags, mode) => {
      const handle = await real.open(path, flags, mode);
      return {
        writeFile: async (data) => {
          if (failAt === 'write') {
            await handle.writeFile(typeof data === 'string' ? data.slice(0, 5) : data.subarray(0, 5)); // a partial write, then the disk "fills up"
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          }
          return handle.writeFile(data);
        },
        sync: async () => {
          if (failAt === 'sync') throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
          return handle.sync();
        },
        close: () => handle.close(),
      };
    },
    rename: async (from, to) => {
      if (failAt === 'rename') throw Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' });
      return real.rename(from, to);
    },
  };
}

describe('saveAdapter / loadAdapter', () => {
  it('single .safetensors file: round trip, bytes equal encodeAdapter, no temp files left', async () => {
    const path = join(dir, 'a', 'one.safetensors');
    const saved = await saveAdapter(smallAdapter(), path);
    expect(saved).toEqual({ layout: 'file', files: [path] });
    expect(new Uint8Array(await readFile(path))).toEqual(encodeAdapter(smallAdapter()));
    expect(await loadAdapter(path)).toEqual(smallAdapter());
    expect(await readdir(join(dir, 'a'))).toEqual(['one.safetensors']);
  });

  it('PEFT directory layout: adapter_config.json + adapter_model.safetensors', async () => {
    const path = join(dir, 'peft-dir');
    const saved = await saveAdapter(smallAdapter(), path);
    expect(saved.layout).toBe('directory');
    expect((await readdir(path)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const config = JSON.parse(await readFile(join(path, 'adapter_config.json'), 'utf8'));
    expect(config.peft_type).toBe('SSH');
    expect(config.target_modules).toEqual(['enc.q', 'enc.v']);
    expect(config.n_frequency_pattern).toEqual({ 'enc.q': 3, 'enc.v': 2 });
    expect(await loadAdapter(path)).toEqual(smallAdapter());
    expect(await loadAdapter(join(path, 'adapter_model.safetensors'))).toEqual(smallAdapter());
    expect((await readdir(dir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses to overwrite unless { overwrite: true }, in both layouts', async () => {
    const file = join(dir, 'ow.safetensors');
    await saveAdapter(smallAdapter(), file);
    const e = await saveAdapter(smallAdapter(), file).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdapterIOError);
    expect((e as AdapterIOError).file).toBe(file);
    expect((e as Error).message).toMatch(/already exists; pass \{ overwrite: true \}/);
    const changed: SshAdapter = { ...smallAdapter(), config: { ...smallAdapter().config, metadata: { v: '2' } } };
    await saveAdapter(changed, file, { overwrite: true });
    expect((await loadAdapter(file)).config.metadata).toEqual({ v: '2' });

    const d = join(dir, 'ow-dir');
    await saveAdapter(smallAdapter(), d);
    await expect(saveAdapter(smallAdapter(), d)).rejects.toThrow(/adapter_config.json.*already exists/);
    await saveAdapter(changed, d, { overwrite: true });
    expect((await loadAdapter(d)).config.metadata).toEqual({ v: '2' });
    expect((await readdir(d)).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  });

  it('an existing empty directory is filled; an existing file where a directory is wanted is refused', async () => {
    const d = join(dir, 'empty-dir');
    await mkdir(d);
    await saveAdapter(smallAdapter(), d);
    expect(await loadAdapter(d)).toEqual(smallAdapter());
    const f = join(dir, 'plainfile');
    await writeFile(f, 'x');
    await expect(saveAdapter(smallAdapter(), f)).rejects.toThrow(/exists and is not a directory/);
    // A parent path that is a file: a typed error naming the directory.
    await expect(saveAdapter(smallAdapter(), join(f, 'sub.safetensors'))).rejects.toThrow(/plainfile": cannot create the directory/);
  });

  it('a failed save (partial write, fsync or rename failure) leaves no partial or temporary file', async () => {
    for (const failAt of ['write', 'sync', 'rename'] as const) {
      const sub = join(dir, `fail-${failAt}`);
      await mkdir(sub);
      const file = join(sub, 'x.safetensors');
      const e = await saveAdapter(smallAdapter(), file, { fs: failingFs(failAt), overwrite: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AdapterIOError);
      expect((e as Error).message).toMatch(/write failed .*the target was left unchanged/);
      expect(await readdir(sub)).toEqual([]);
      // Replacing an existing file: the old content survives the failure.
      await saveAdapter(smallAdapter(), file);
      const before = await readFile(file);
      await expect(saveAdapter(smallAdapter(), file, { fs: failingFs(failAt), overwrite: true })).rejects.toThrow(AdapterIOError);
      expect(await readFile(file)).toEqual(before);
      expect(await readdir(sub)).toEqual(['x.safetensors']);
      // Directory layout: nothing appears.
      const d = join(sub, 'peft');
      await expect(saveAdapter(smallAdapter(), d, { fs: failingFs(failAt) })).rejects.toThrow(AdapterIOError);
      expect(await readdir(sub)).toEqual(['x.safetensors']);
    }
  });

  it('validates before touching the disk', async () => {
    const bad = { ...smallAdapter(), layers: [{ ...smallAdapter().layers[0]!, indices: new Uint32Array([0, 0, 1]) }] };
    const file = join(dir, 'never.safetensors');
    await expect(saveAdapter(bad, file)).rejects.toThrow(AdapterValidationError);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });

  it('loading never modifies the file (valid or invalid), errors name the file', async () => {
    const file = join(dir, 'ro.safetensors');
    await saveAdapter(smallAdapter(), file);
    const bytes = await readFile(file);
    bytes[bytes.length - 1] = 0xff; // corrupt the last coefficient's exponent → NaN
    bytes[bytes.length - 2] = 0xff;
    await writeFile(file, bytes);
    const before = await stat(file);
    const e = await loadAdapter(file).catch((x: unknown) => x);
    // The digest catches the damage before the value check would (NaN coefficient).
    expect(e).toBeInstanceOf(AdapterIntegrityError);
    expect((e as AdapterFormatError).file).toBe(file);
    expect((e as AdapterFormatError).key).toBe('ssh_peft.digest');
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toMatch(/contents changed after the file was written/);
    const after = await stat(file);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(file)).toEqual(bytes);
  });

  it('missing file, too-large file, and a config that disagrees with the weights', async () => {
    await expect(loadAdapter(join(dir, 'missing.safetensors'))).rejects.toThrow(/missing.safetensors": does not exist/);
    const file = join(dir, 'big.safetensors');
    await saveAdapter(smallAdapter(), file);
    await expect(loadAdapter(file, { maxBytes: 10 })).rejects.toThrow(/larger than maxBytes = 10/);

    const d = join(dir, 'edited');
    await saveAdapter(smallAdapter(), d);
    const configPath = join(d, 'adapter_config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    config.alpha_pattern['enc.q'] = 99;
    await writeFile(configPath, JSON.stringify(config));
    const e = await loadAdapter(d).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AdapterFormatError);
    expect((e as AdapterFormatError).key).toBe('alpha_pattern');
    expect((e as Error).message).toMatch(/"enc.q":99.*disagrees with adapter_model.safetensors/);
    config.alpha_pattern['enc.q'] = 3;
    config.base_model_name_or_path = 'my/base'; // extra keys are fine
    await writeFile(configPath, JSON.stringify(config));
    expect(await loadAdapter(d)).toEqual(smallAdapter());
    const deep = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    await writeFile(configPath, JSON.stringify({ ...config, selection: 0 }).replace('"selection":0', `"selection":${deep}`));
    const deepError = await loadAdapter(d).catch((x: unknown) => x);
    expect(deepError).toBeInstanceOf(AdapterFormatError);
    expect((deepError as AdapterFormatError).key).toBe('selection');
    expect(config.format_version).toBe(2);
    config.format_version = 1;
    await writeFile(configPath, JSON.stringify(config));
    await expect(loadAdapter(d)).rejects.toThrow(/format_version.*1 disagrees with adapter_model.safetensors, which is format version 2/);
    config.format_version = 3;
    await writeFile(configPath, JSON.stringify(config));
    await expect(loadAdapter(d)).rejects.toThrow(/unknown format version 3/);
    await rm(join(d, 'adapter_config.json'));
    await expect(loadAdapter(d)).rejects.toThrow(/adapter_config.json": does not exist/);
  });
});
