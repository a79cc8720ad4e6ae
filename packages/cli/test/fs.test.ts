import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/fs/atomic-write';
import { StagedDirectory } from '../src/fs/staged-directory';
import { assertNotSameFile, assertOutputWritable } from '../src/fs/output-guard';
import { readInputFile } from '../src/fs/read-input';
import { CliInputError, CliOutputExistsError } from '../src/errors';

const root = mkdtempSync(join(tmpdir(), 'cli-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('atomic outputs', () => {
  it('writeFileAtomic writes the whole file, replaces an old one and leaves no temporary file', () => {
    const dir = join(root, 'atomic');
    mkdirSync(dir);
    writeFileAtomic(join(dir, 'a.txt'), 'first');
    writeFileAtomic(join(dir, 'a.txt'), new Uint8Array([104, 105]));
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hi');
    expect(readdirSync(dir)).toEqual(['a.txt']);
    expect(() => writeFileAtomic(join(dir, 'missing', 'b.txt'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['a.txt']);
  });

  it('StagedDirectory publishes everything at once, or nothing', () => {
    const target = join(root, 'report');
    const staged = StagedDirectory.create(target, { force: false });
    staged.writeFile('one.txt', '1');
    expect(existsSync(target)).toBe(false);
    staged.commit();
    expect(readFileSync(join(target, 'one.txt'), 'utf8')).toBe('1');

    expect(() => StagedDirectory.create(target, { force: false })).toThrow(CliOutputExistsError);
    const replaced = StagedDirectory.create(target, { force: true });
    replaced.writeFile('two.txt', '2');
    replaced.commit();
    expect(readdirSync(target)).toEqual(['two.txt']);

    const abandoned = StagedDirectory.create(join(root, 'never'), { force: false });
    abandoned.writeFile('x.txt', 'x');
    abandoned.discard();
    abandoned.discard();
    expect(existsSync(join(root, 'never'))).toBe(false);
    expect(readdirSync(root).filter((n) => n.includes('partial'))).toEqual([]);
    expect(() => abandoned.writeFile('y', 'y')).toThrow(/already discarded/);
  });

  it('output guards refuse existing outputs without force, missing parents, and writing over the input', () => {
    const file = join(root, 'exists.json');
    writeFileSync(file, '{}');
    expect(() => assertOutputWritable(file, false)).toThrow(/exists\.json already exists \(pass --force/);
    expect(assertOutputWritable(file, true)).toBe(file);
    expect(() => assertOutputWritable(join(root, 'nope', 'x.json'), false)).toThrow(/output directory does not exist/);
    expect(() => assertNotSameFile(file, join(root, '.', 'exists.json'))).toThrow(/output path is the input file/);
  });

  it('readInputFile names missing files and directories', () => {
    expect(() => readInputFile(join(root, 'absent.onnx'), 'model')).toThrow(/absent\.onnx: model not found/);
    expect(() => readInputFile(root, 'model')).toThrow(CliInputError);
  });
});
