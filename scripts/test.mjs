#!/usr/bin/env node
// Runs every test of the monorepo in one vitest run and closes with a plain `N passed, N failed`
// line computed from vitest's JSON report (.test-results/vitest.json), exiting non-zero on any failure.
// Before any test it makes sure a Redis answers (scripts/provisionRedis.mjs) and the browser tests have
// a Chromium (scripts/browser.mjs), so `npm test` alone works on a fresh machine.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBrowser } from './browser.mjs';
import { provisionRedis } from './provisionRedis.mjs';
import { summarize, summaryLine } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = join(root, '.test-results');
const report = join(reportDir, 'vitest.json');
mkdirSync(reportDir, { recursive: true });
rmSync(report, { force: true });

// A Redis for the store tests: the machine's, or one started here when nothing answers.
try {
  await provisionRedis();
} catch (error) {
  console.error(`\n${error.message}`);
  process.exit(1);
}

const browser = ensureBrowser();
if (browser.error) {
  console.error(`\n${browser.error}`);
  process.exit(1);
}
const version = spawnSync(browser.path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
console.log(`[browser] ${browser.path}${version ? ` (${version})` : ''}`);

const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const result = spawnSync(
  process.execPath,
  [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, CHROMIUM_PATH: browser.path } },
);

const counts = summarize(report);
const exitStatus = counts === null || counts.failed > 0 || counts.total === 0 ? 1 : (result.status ?? 1);
console.log(`\n${summaryLine(counts, exitStatus)}`);
process.exit(exitStatus);
