#!/usr/bin/env node
// Runs every test of the monorepo in one vitest run and closes with a plain `N passed, N failed`
// line computed from vitest's JSON report (.test-results/vitest.json), exiting non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarize, summaryLine } from './test-summary.mjs';

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

const counts = summarize(report);
const exitStatus = counts === null || counts.failed > 0 || counts.total === 0 ? 1 : (result.status ?? 1);
console.log(`\n${summaryLine(counts, exitStatus)}`);
process.exit(exitStatus);
