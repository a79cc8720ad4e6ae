import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeSafetensors } from '@ssh-peft/adapter';
import { parsePlan } from '@ssh-peft/selection';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'cli-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function f32(values: number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** A safetensors "model" with two adaptable matrices and a bias vector. */
function writeModel(path: string): void {
  const a = Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i));
  const b = Array.from({ length: 6 * 4 }, (_, i) => Math.cos(i * 0.7));
  writeFileSync(
    path,
    encodeSafetensors([
      { name: 'layer_a', dtype: 'F32', shape: [8, 6], bytes: f32(a) },
      { name: 'layer_b', dtype: 'F32', shape: [6, 4], bytes: f32(b) },
      { name: 'bias', dtype: 'F32', shape: [4], bytes: f32([0, 0, 0, 0]) },
    ]),
  );
}

describe('usage errors exit with 2 and one line', () => {
  it.each([
    [['frobnicate']],
    [['bench', 'hartley']],
    [['select', '--nope']],
    [['select', '--model', 'x.onnx', '--out', 'p.json', '--budget', 'ten']],
    [['select', '--model', 'x.onnx']],
    [['demo', '--task', 'upside-down']],
    [['merge', '--model', 'a.onnx', '--adapter', 'b.safetensors']],
  ])('%j', async (argv) => {
    const { code, stderr } = await cli(argv, dir);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n').filter((l) => l.startsWith('error')).length).toBe(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('names an unknown command as such; a line without a command is a usage error (no default command)', async () => {
    const r = await cli(['frobnicate'], dir);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    const flagsOnly = await cli(['--quick', '--no-such-flag'], dir);
    expect(flagsOnly.code).toBe(2);
    expect(flagsOnly.stderr).toMatch(/error: no command given/);
  });

  it('--json turns a usage error into a JSON object on stdout', async () => {
    const { code, stdout } = await cli(['--json', 'select', '--model', 'm.onnx', '--out', 'p.json'], dir);
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });

  it('--help and --version succeed', async () => {
    expect((await cli(['--help'], dir)).code).toBe(0);
    const v = await cli(['--version'], dir);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('select and inspect', () => {
  const model = join(dir, 'model.safetensors');
  writeModel(model);

  it('select writes a plan that inspect summarises; an existing output needs --force', async () => {
    const plan = join(dir, 'plan.json');
    const first = await cli(['--json', 'select', '--model', model, '--budget', '10', '--out', plan], dir);
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout);
    expect(summary.positions).toBe(10);
    expect(summary.layers.map((l: { name: string }) => l.name)).toEqual(['layer_a', 'layer_b']);
    const parsed = parsePlan(readFileSync(plan, 'utf8'));
    expect(parsed.layers.reduce((s, l) => s + l.indices.length, 0)).toBe(10);

    const again = await cli(['select', '--model', model, '--budget', '10', '--out', plan], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists \(pass --force/);
    expect((await cli(['select', '--model', model, '--budget', '12', '--out', plan, '--force'], dir)).code).toBe(0);
    expect(parsePlan(readFileSync(plan, 'utf8')).layers.reduce((s, l) => s + l.indices.length, 0)).toBe(12);

    const inspected = await cli(['inspect', plan], dir);
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toMatch(/strategy global, budget 12/);
    expect(inspected.stdout).toMatch(/layer_a\s+8×6/);
  });

  it('select --score chooses the global score (default mean-relative-energy); it is refused for per-layer', async () => {
    const plan = join(dir, 'score.json');
    expect(parsePlan(readFileSync(join(dir, 'plan.json'), 'utf8')).options.score).toBe('mean-relative-energy');
    const r = await cli(['select', '--model', model, '--budget', '10', '--score', 'relative-energy', '--out', plan], dir);
    expect(r.code).toBe(0);
    expect(parsePlan(readFileSync(plan, 'utf8')).options.score).toBe('relative-energy');
    expect((await cli(['select', '--model', model, '--budget', '10', '--score', 'l2', '--out', plan, '--force'], dir)).code).toBe(2);
    const perLayer = await cli(['select', '--model', model, '--strategy', 'per-layer', '--per-layer', '3', '--score', 'energy', '--out', join(dir, 'x.json')], dir);
    expect(perLayer.code).toBe(2);
    expect(perLayer.stderr).toMatch(/--score applies to --strategy global only/);
  });

  it('select --strategy per-layer and --targets restrict the layers', async () => {
    const plan = join(dir, 'per-layer.json');
    const r = await cli(['--json', 'select', '--model', model, '--strategy', 'per-layer', '--per-layer', '3', '--targets', '_b$', '--out', plan], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).layers).toMatchObject([{ name: 'layer_b', positions: 3 }]);
  });

  it('inspect describes a safetensors model', async () => {
    const r = await cli(['--json', 'inspect', model], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'model', matrixParameters: 72 });
  });

  it('missing and malformed inputs fail with exit 1 and one line naming the file', async () => {
    const missing = await cli(['select', '--model', join(dir, 'absent.safetensors'), '--budget', '3', '--out', join(dir, 'x.json')], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^error: CliInputError: .*absent\.safetensors: model not found$/);
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, new Uint8Array([1, 2, 3]));
    const malformed = await cli(['inspect', bad], dir);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr.trim().split('\n')).toHaveLength(1);
    expect(malformed.stderr).toMatch(/bad\.safetensors/);
    const verbose = await cli(['--verbose', 'inspect', bad], dir);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    const tooMany = await cli(['select', '--model', model, '--budget', '100000', '--out', join(dir, 'y.json')], dir);
    expect(tooMany.code).toBe(1);
    expect(existsSync(join(dir, 'y.json'))).toBe(false);
    const wrongKind = await cli(['select', '--model', join(dir, 'plan.txt'), '--budget', '3', '--out', join(dir, 'z.json')], dir);
    expect(wrongKind.code).toBe(2);
  });
});
