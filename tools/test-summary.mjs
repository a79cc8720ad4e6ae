#!/usr/bin/env node
// Sums the JSON reports in .test-reports/ into `N passed, N failed`: vitest's, and the Python
// bridge's (`{ tool: 'python-unittest', passed, failed }`, written by python/run_tests.py) and the
// typecheck's (`{ tool: 'typecheck', passed: 0, failed: 0 | 1 }`, written by tools/run-tests.mjs).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @param {string} root */
export function summarize(root) {
  const dir = resolve(root, '.test-reports');
  let passed = 0;
  let failed = 0;
  const packages = [];
  const reports = existsSync(dir) ? readdirSync(dir).sort() : [];
  for (const file of reports) {
    if (!file.endsWith('.json')) continue;
    const report = JSON.parse(readFileSync(resolve(dir, file), 'utf8'));
    packages.push(file.replace(/\.json$/, ''));
    if (report.tool === 'python-unittest' || report.tool === 'typecheck') {
      passed += report.passed ?? 0;
      failed += report.failed ?? 0;
      continue;
    }
    passed += report.numPassedTests ?? 0;
    // A test file that failed to load reports no failed test but is still a failure: count it once.
    failed += (report.numFailedTests ?? 0) + countSuitesFailedWithoutFailedTests(report);
  }
  // A package whose test run died before writing its report is a failure, not a silence.
  for (const name of packagesWithTests(root)) {
    if (!packages.includes(name)) {
      console.log(`no test report from package '${name}': counted as 1 failed`);
      failed += 1;
    }
  }
  return { passed, failed, packages };
}

/** Workspace packages with a `test` script, tools/* Nx projects with a `test` target, and python/. */
function packagesWithTests(root) {
  const names = [];
  const packages = resolve(root, 'packages');
  for (const name of existsSync(packages) ? readdirSync(packages) : []) {
    const manifest = resolve(packages, name, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) names.push(name);
  }
  const tools = resolve(root, 'tools');
  for (const name of existsSync(tools) ? readdirSync(tools) : []) {
    const project = resolve(tools, name, 'project.json');
    if (existsSync(project) && JSON.parse(readFileSync(project, 'utf8')).targets?.test) names.push(name);
  }
  const python = resolve(root, 'python', 'project.json');
  if (existsSync(python) && JSON.parse(readFileSync(python, 'utf8')).targets?.test) names.push(JSON.parse(readFileSync(python, 'utf8')).name);
  return names;
}

function countSuitesFailedWithoutFailedTests(report) {
  let n = 0;
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((a) => a.status === 'failed')) n++;
  }
  return n;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { passed, failed } = summarize(root);
  console.log(`${passed} passed, ${failed} failed`);
}
