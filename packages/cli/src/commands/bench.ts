/**
 * `ssh-peft bench [pkg...]`: runs the named packages' benchmarks through Nx
 * (`npx nx run <pkg>:bench`), one after another (they time themselves; running two at once
 * on a small machine would corrupt both measurements).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandContext, CommandOutput } from '../cli-context';
import { CliError, CliUsageError } from '../errors';

/** Packages that have a benchmark. */
export const BENCH_PACKAGES = ['hartley', 'selection', 'adapter', 'tfjs', 'onnx'] as const;
const DEFAULT_BENCH = ['hartley', 'selection', 'tfjs', 'onnx'];

/** The monorepo root above `cwd` (where nx.json lives), or null outside the repository. */
export function findWorkspaceRoot(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Validates benchmark names; unknown ones are a usage error. */
export function resolveBenchPackages(names: readonly string[]): string[] {
  const chosen = names.length === 0 ? DEFAULT_BENCH : [...names];
  for (const name of chosen) {
    if (!(BENCH_PACKAGES as readonly string[]).includes(name)) {
      throw new CliUsageError(`unknown benchmark '${name}' (choose from ${BENCH_PACKAGES.join(', ')})`);
    }
  }
  return [...new Set(chosen)];
}

function runOne(root: string, pkg: string, context: CommandContext, signal: AbortSignal): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('npx', ['nx', 'run', `${pkg}:bench`, '--output-style=static'], {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      signal,
    });
    // Benchmark output is progress for people: keep stdout free for --json.
    const forward = (chunk: Buffer) => {
      if (!context.flags.json && !context.flags.quiet) context.io.stderr.write(chunk.toString());
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (error) => reject(error.name === 'AbortError' ? new CliError(`benchmark ${pkg} interrupted`, 130) : error));
    child.on('close', (code) => resolvePromise(code ?? 1));
  });
}

/** Runs the benchmarks; fails (exit 1) if any of them fails. */
export async function runBenchCommand(_options: Record<string, unknown>, args: string[], context: CommandContext): Promise<CommandOutput> {
  const packages = resolveBenchPackages(args);
  const root = findWorkspaceRoot(context.io.cwd);
  if (root === null) throw new CliError('bench runs the packages\' benchmarks from the ssh-peft repository; no nx.json found above the current directory');
  const results: Array<{ package: string; exitCode: number; seconds: number; report: string }> = [];
  for (const pkg of packages) {
    const started = performance.now();
    context.progress.note(`bench ${pkg}: npx nx run ${pkg}:bench`);
    const exitCode = await runOne(root, pkg, context, context.signal);
    results.push({ package: pkg, exitCode, seconds: (performance.now() - started) / 1000, report: join(root, 'docs', 'benchmarks', `${pkg}.md`) });
  }
  const failed = results.filter((r) => r.exitCode !== 0);
  if (failed.length > 0) throw new CliError(`benchmark(s) failed: ${failed.map((r) => `${r.package} (exit ${r.exitCode})`).join(', ')}`);
  return {
    json: { ok: true, benchmarks: results },
    text: results.map((r) => `${r.package}: done in ${r.seconds.toFixed(1)} s → ${r.report}`).join('\n'),
  };
}
