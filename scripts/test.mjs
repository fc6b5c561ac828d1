#!/usr/bin/env node
// Runs every test of the monorepo in one vitest run and closes with a plain `N passed, N failed`
// line computed from vitest's JSON report (.test-results/vitest.json), exiting non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = join(root, '.test-results');
const report = join(reportDir, 'vitest.json');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

if (!existsSync(report)) {
  console.error('vitest wrote no report');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0, numTodoTests = 0, numTotalTests = 0, testResults = [] } =
  JSON.parse(readFileSync(report, 'utf8'));
// A file that fails to load has no test results but is a failure all the same.
const brokenFiles = testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
const failed = numFailedTests + brokenFiles;
const skipped = numPendingTests + numTodoTests;
console.log(`\n${numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || result.status !== 0 || numTotalTests === 0 ? 1 : 0);
