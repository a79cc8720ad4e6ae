import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StagedDirectory } from '../src/fs/staged-directory';
import { assertNotSameFile, assertOutputWritable } from '../src/fs/output-guard';
import { readInputFile } from '../src/fs/read-input';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { CliInputError, CliOutputExistsError, CliOutputKindError } from '../src/errors';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

const root = mkdtempSync(join(tmpdir(), 'cli-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('atomic outputs', () => {
  it('StagedDirectory publishes everything at once, or nothing', async () => {
    const target = join(root, 'report');
    const staged = StagedDirectory.create(target, { force: false });
    await staged.writeFile('one.txt', '1');
    expect(existsSync(target)).toBe(false);
    await staged.commit();
    expect(readFileSync(join(target, 'one.txt'), 'utf8')).toBe('1');

    expect(() => StagedDirectory.create(target, { force: false })).toThrow(CliOutputExistsError);
    const replaced = StagedDirectory.create(target, { force: true });
    await replaced.writeFile('two.txt', '2');
    await replaced.commit();
    expect(readdirSync(target)).toEqual(['two.txt']);

    const abandoned = StagedDirectory.create(join(root, 'never'), { force: false });
    await abandoned.writeFile('x.txt', 'x');
    abandoned.discard();
    abandoned.discard();
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
    await expect(abandoned.writeFile('y', 'y')).rejects.toThrow(/already discarded/);
  });

  it('output guards refuse existing outputs without force, missing parents, and writing over the input', () => {
    const file = join(root, 'exists.json');
    writeFileSync(file, '{}');
    expect(() => assertOutputWritable(file, false)).toThrow(/exists\.json already exists \(pass --force/);
    expect(assertOutputWritable(file, true)).toBe(file);
    expect(() => assertOutputWritable(join(root, 'nope', 'x.json'), false)).toThrow(/output directory does not exist/);
    expect(() => assertNotSameFile(file, join(root, '.', 'exists.json'))).toThrow(/output path is the input file/);
  });

  it('output guards refuse, even with force, an output that is a directory, a FIFO, a socket or a device', () => {
    const sub = join(root, 'a-directory');
    mkdirSync(sub);
    const fifo = join(root, 'a-fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [path, kind] of [[sub, 'a directory'], [fifo, 'a FIFO'], ['/dev/null', 'a character device']] as const) {
      for (const force of [false, true]) {
        const e = catchError(() => assertOutputWritable(path, force)) as CliOutputKindError;
        expect(e).toBeInstanceOf(CliOutputKindError);
        expect(e.path).toBe(path);
        expect(e.kind).toBe(kind);
        expect(e.message).toBe(`output ${path} is ${kind}, not a regular file; --force replaces files only (choose another output path)`);
      }
    }
    // A symlink to a regular file is fine: it is replaced as a link, its target is left alone.
    const real = join(root, 'real.json');
    writeFileSync(real, '{}');
    symlinkSync(real, join(root, 'link.json'));
    expect(assertOutputWritable(join(root, 'link.json'), true)).toBe(join(root, 'link.json'));
  });

  it('readInputFile names missing files and directories', () => {
    expect(() => readInputFile(join(root, 'absent.onnx'), 'model')).toThrow(/absent\.onnx: model not found/);
    expect(() => readInputFile(root, 'model')).toThrow(CliInputError);
  });
});
