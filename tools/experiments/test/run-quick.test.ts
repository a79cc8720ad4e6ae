/**
 * The script end to end in quick mode: two tasks in two child processes, the report files,
 * and the errors a user meets first. Quick mode trains tiny models for one epoch: it checks
 * the wiring, not the numbers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RESULTS_FORMAT, RESULTS_VERSION, type ExperimentResults } from '../results-types';

const root = resolve(import.meta.dirname, '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'experiments-quick-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), '--conditions=@ssh-peft/source', 'tools/experiments/run.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 170_000,
  });
}

describe('tools/experiments/run.ts --quick', () => {
  it('runs two tasks in parallel child processes and writes results.json, results.md and one plot per task', () => {
    const r = run(['--quick', '--tasks', 'text-yelp,text-amazon', '--jobs', '2', '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/regenerate everything with:\n {2}npx tsx --conditions=@ssh-peft\/source tools\/experiments\/run.ts --quick --tasks text-yelp,text-amazon --jobs 2/);
    // Child log lines carry their task.
    expect(r.stdout).toMatch(/\[text-amazon\] base model: source val/);
    const results = JSON.parse(readFileSync(join(out, 'results', 'results.json'), 'utf8')) as ExperimentResults;
    expect(results.format).toBe(RESULTS_FORMAT);
    expect(results.version).toBe(RESULTS_VERSION);
    expect(results.tasks.map((t) => t.id)).toEqual(['text-yelp', 'text-amazon']);
    expect(results.skippedTasks).toEqual([]);
    for (const task of results.tasks) {
      expect(task.methods[0].id).toBe('head');
      expect(task.methods.filter((m) => m.group === 'main')).toHaveLength(14);
      expect(task.methods.filter((m) => m.group === 'ablation').map((m) => m.id)).toEqual(['ssh-per-layer-e0.5-4n', 'ssh-per-layer-e0.5-normal', 'ssh-per-layer-e0.5-a100', 'ssh-per-layer-e0.5-a1000']);
      for (const m of task.methods) {
        expect(m.seeds).toHaveLength(2);
        expect(m.testMean).toBeGreaterThanOrEqual(0);
        expect(m.testMean).toBeLessThanOrEqual(1);
      }
      const ssh = task.methods.find((m) => m.id === 'ssh-per-layer-e0.5');
      // n = 3 per layer over the 6 adapted layers of the quick model.
      expect(ssh?.adapterParameters).toBe(18);
      expect(readFileSync(join(out, 'results', `${task.id}.svg`), 'utf8')).toMatch(/^<svg/);
    }
    const md = readFileSync(join(out, 'results.md'), 'utf8');
    expect(md).toMatch(/QUICK MODE/);
    expect(md).toMatch(/## Text: imdb \+ yelp → amazon/);
  });

  it('rewrites the report from results.json with --report-only', () => {
    rmSync(join(out, 'results.md'));
    const r = run(['--report-only', '--out-dir', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'results.md'))).toBe(true);
  });

  it('merges the tasks of another run of the same configuration, and refuses other configurations', () => {
    const other = join(out, 'other');
    expect(run(['--quick', '--tasks', 'vision', '--jobs', '1', '--out-dir', other]).status).toBe(0);
    const merged = run(['--merge', other, '--out-dir', out]);
    expect(merged.status, merged.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results', 'results.json'), 'utf8')) as ExperimentResults;
    // In the task order of TASK_IDS, whatever order the runs finished in.
    expect(results.tasks.map((t) => t.id)).toEqual(['vision', 'text-amazon', 'text-yelp']);
    expect(results.merged?.map((m) => m.tasks)).toEqual([['vision']]);
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/Task\(s\) vision ran in a separate invocation/);
    expect(run(['--merge', other, '--out-dir', out]).stderr).toMatch(/no task that .* lacks/);
    const differs = join(out, 'differs');
    expect(run(['--quick', '--tasks', 'text-imdb', '--seeds', '3', '--out-dir', differs]).status).toBe(0);
    expect(run(['--merge', differs, '--out-dir', out]).stderr).toMatch(/configuration differs/);
  });

  it('names an unknown task, method and a bad flag value, and writes nothing', () => {
    const elsewhere = join(out, 'never');
    const task = run(['--quick', '--tasks', 'vision,text-nope', '--out-dir', elsewhere]);
    expect(task.status).toBe(1);
    expect(task.stderr).toMatch(/--tasks: unknown task 'text-nope'/);
    const method = run(['--quick', '--methods', 'lora-r3', '--out-dir', elsewhere]);
    expect(method.stderr).toMatch(/--methods: unknown method 'lora-r3'/);
    const seeds = run(['--quick', '--seeds', '0', '--out-dir', elsewhere]);
    expect(seeds.stderr).toMatch(/--seeds must be a positive integer, got '0'/);
    expect(existsSync(elsewhere)).toBe(false);
  });
});
