import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@ssh-peft/adapter';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'cli-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function writeModel(path: string): void {
  const a = Float32Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i));
  writeFileSync(path, encodeSafetensors([{ name: 'layer_a', dtype: 'F32', shape: [8, 6], bytes: new Uint8Array(a.buffer) }]));
}

describe('bare ssh-peft prints the usage; the demo runs only when asked for', () => {
  it.each([[[]], [['--json']], [['--quiet']]])('%j exits 2 with the usage and writes nothing', async (argv) => {
    const before = readdirSync(dir);
    const { code, stderr } = await cli(argv, dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Usage: ssh-peft \[options\] \[command\]/);
    expect(stderr).toMatch(/demo \[options\]/);
    expect(stderr).toMatch(/error: no command given \(the demo is `ssh-peft demo`\)/);
    expect(readdirSync(dir)).toEqual(before);
  });

  it('`npm start` runs `ssh-peft demo` explicitly', () => {
    const rootStart = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    expect(rootStart).toMatch(/nx run cli:start/);
    const cliStart = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')).scripts.start as string;
    expect(cliStart).toMatch(/src\/bin\.ts demo /);
  });
});

describe('--force replaces regular files only', () => {
  it('select --out <directory> --force is a CliOutputKindError naming the directory (not a raw EISDIR); a FIFO likewise', async () => {
    const model = join(dir, 'm.safetensors');
    writeModel(model);
    const sub = join(dir, 'plans');
    mkdirSync(sub);
    const fifo = join(dir, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const [out, kind] of [[sub, 'a directory'], [fifo, 'a FIFO']] as const) {
      const r = await cli(['select', '--model', model, '--budget', '4', '--out', out, '--force'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe(`error: CliOutputKindError: output ${out} is ${kind}, not a regular file; --force replaces files only (choose another output path)`);
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(sub)).toEqual([]);
  });

  it.skipIf(!isRoot)('as root, merge --out /dev/null --force leaves the device alone', async () => {
    const r = await cli(['merge', '--model', join(dir, 'x.onnx'), '--adapter', join(dir, 'a.safetensors'), '--out', '/dev/null', '--force'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/CliOutputKindError: output \/dev\/null is a character device/);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(existsSync(join(dir, 'x.onnx'))).toBe(false);
  });
});
