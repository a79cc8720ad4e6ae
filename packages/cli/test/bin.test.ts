/**
 * `npx ssh-peft` as npm links it: the package's `bin` must name a committed, executable file
 * (npm links a workspace bin only if the file exists at install time, i.e. before any build), and
 * that file, run through the link from the repository root, must run the CLI — from the sources
 * when there is no build.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_VERSION } from '../src/version';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(packageDir, '../..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
const binFile = resolve(packageDir, manifest.bin['ssh-peft']!);
const dir = mkdtempSync(join(tmpdir(), 'cli-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(executable: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(executable, args, { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
}

describe('the ssh-peft bin', () => {
  it('is a committed, executable file outside dist/ and shipped in the package', () => {
    expect(manifest.bin['ssh-peft']).toBe('./bin/ssh-peft.js');
    expect(existsSync(binFile)).toBe(true);
    accessSync(binFile, constants.X_OK);
    expect(readFileSync(binFile, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(manifest.files).toContain('bin');
    const tracked = spawnSync('git', ['ls-files', '-s', '--', binFile], { cwd: repoRoot, encoding: 'utf8' });
    if (tracked.status === 0 && tracked.stdout !== '') expect(tracked.stdout.startsWith('100755 ')).toBe(true);
  });

  it('is linked by npm into the root node_modules/.bin (npm ci links it before any build)', () => {
    const link = join(repoRoot, 'node_modules', '.bin', 'ssh-peft');
    expect(existsSync(link), `${link} is missing: npm did not link the bin (run npm install)`).toBe(true);
    expect(realpathSync(link)).toBe(realpathSync(binFile));
  });

  it('runs the CLI from the sources through a link laid out as npm does, from the repository root', () => {
    // <dir>/node_modules/@ssh-peft/cli → the package, <dir>/node_modules/.bin/ssh-peft → ../@ssh-peft/cli/bin/ssh-peft.js
    mkdirSync(join(dir, 'node_modules', '@ssh-peft'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(packageDir, join(dir, 'node_modules', '@ssh-peft', 'cli'));
    const link = join(dir, 'node_modules', '.bin', 'ssh-peft');
    symlinkSync('../@ssh-peft/cli/bin/ssh-peft.js', link);
    const version = run(link, ['--version'], { SSH_PEFT_CLI_FROM: 'source' });
    expect(version.stderr).toBe('');
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(CLI_VERSION);
    // A command that reaches sibling packages (selection, onnx) and exits with the CLI's own code.
    const missing = run(link, ['--json', 'inspect', 'no-such-model.onnx'], { SSH_PEFT_CLI_FROM: 'source' });
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { name: 'CliInputError' } });
  }, 240_000);

  it('refuses an unknown SSH_PEFT_CLI_FROM', () => {
    const r = run(process.execPath, [binFile, '--version'], { SSH_PEFT_CLI_FROM: 'build' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/SSH_PEFT_CLI_FROM must be 'source' or 'dist', got 'build'/);
  });
});
