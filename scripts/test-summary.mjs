#!/usr/bin/env node
// The plain closing line CI reads, `N passed, N failed[, N skipped]`, from vitest's JSON report.
// A test file that failed without a failing test of its own (it did not load, or a beforeAll threw and
// its tests were skipped) counts as one failure, so the line never says "0 failed" for a red run.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Counts from a vitest JSON report; `null` when the report is missing or unreadable. */
export function summarize(reportPath) {
  if (!existsSync(reportPath)) return null;
  let report;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  } catch {
    return null;
  }
  const files = report.testResults ?? [];
  const failedFilesWithoutFailedTest = files.filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + failedFilesWithoutFailedTest,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    total: report.numTotalTests ?? 0,
  };
}

/** The closing line; a red run (`exitStatus` != 0) never reads "0 failed". */
export function summaryLine(counts, exitStatus = 0) {
  if (counts === null) return '0 passed, 1 failed';
  const failed = exitStatus !== 0 && counts.failed === 0 ? 1 : counts.failed;
  return `${counts.passed} passed, ${failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [reportPath = '.test-results/vitest.json', exitStatus = '0'] = process.argv.slice(2);
  console.log(summaryLine(summarize(reportPath), Number(exitStatus)));
}
