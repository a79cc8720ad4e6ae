#!/usr/bin/env node
// Runs every package's tests through Nx, then prints one plain closing line
// `N passed, N failed` summed over all packages from vitest's JSON reports.
// CI cannot read vitest's own summary; a run that executed nothing shows as 0 passed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize } from './test-summary.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(resolve(root, '.test-reports'), { recursive: true, force: true });

// The tfjs GPU-kernel tests drive Debian's Chromium and the Python bridge's tests Debian's torch;
// install them once if missing (those tests must fail, never skip, when they cannot be had).
const python = process.env.SSH_PEFT_PYTHON ?? '/usr/bin/python3';
const hasChromium = spawnSync('sh', ['-c', 'command -v chromium'], { stdio: 'ignore' }).status === 0;
const hasTorch = spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;
if (!hasChromium || !hasTorch) {
  console.log(`${hasChromium ? '' : 'chromium '}${hasTorch ? '' : 'torch '}not found: installing with tools/ci-system-deps.sh (apt-get)`);
  spawnSync('bash', [resolve(root, 'tools/ci-system-deps.sh')], { stdio: 'inherit' });
}
const extra = process.argv.slice(2);
const nxEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
// vitest strips types without checking them: a type error in a test or source file would pass
// the tests, so every project's `tsc --noEmit` runs first and a failure counts as one failed test.
const typecheck = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'typecheck', '--output-style=static', ...extra],
  { cwd: root, stdio: 'inherit', env: nxEnv },
);
const nx = spawnSync(
  'npx',
  ['nx', 'run-many', '-t', 'test', '--output-style=static', '--parallel=1', ...extra],
  { cwd: root, stdio: 'inherit', env: nxEnv },
);
if (typecheck.status !== 0) console.log('typecheck failed (tsc --noEmit, output above): counted as 1 failed');
// Written as a report so that tools/test-summary.mjs (the last line of .ci/run) counts it too.
mkdirSync(resolve(root, '.test-reports'), { recursive: true });
writeFileSync(
  resolve(root, '.test-reports/typecheck.json'),
  JSON.stringify({ tool: 'typecheck', passed: 0, failed: typecheck.status === 0 ? 0 : 1 }),
);
const { passed, failed, packages } = summarize(root);
console.log(`test reports: ${packages.join(', ') || 'none'}`);
const code = nx.status === 0 && typecheck.status === 0 && failed === 0 && passed > 0 ? 0 : 1;
if (passed === 0) console.log('no test was executed');
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);
