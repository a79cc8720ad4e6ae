#!/usr/bin/env node
// Sums vitest JSON reports in .test-reports/ into `N passed, N failed`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @param {string} root */
export function summarize(root) {
  const dir = resolve(root, '.test-reports');
  let passed = 0;
  let failed = 0;
  const packages = [];
  if (!existsSync(dir)) return { passed, failed, packages };
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.json')) continue;
    const report = JSON.parse(readFileSync(resolve(dir, file), 'utf8'));
    passed += report.numPassedTests ?? 0;
    // A suite that failed to load has no tests but is still a failure.
    failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) - countFailedSuitesWithFailedTests(report);
    packages.push(file.replace(/\.json$/, ''));
  }
  return { passed, failed, packages };
}

function countFailedSuitesWithFailedTests(report) {
  let n = 0;
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).some((a) => a.status === 'failed')) n++;
  }
  return n;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const { passed, failed } = summarize(root);
  console.log(`${passed} passed, ${failed} failed`);
}
