// `npm test` provisions the browser before any test (issue 11): these check what it finds and that it
// stops with one sentence, before vitest starts, when the browser it was told to use is not there.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBrowser, findBrowser } from '../browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'paymo-browser-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('browser provisioning', () => {
  it('uses CHROMIUM_PATH when it names an executable', () => {
    const fakeBrowser = join(scratch, 'my-chromium');
    writeFileSync(fakeBrowser, '#!/bin/sh\necho Chromium 1.0\n');
    chmodSync(fakeBrowser, 0o755);
    expect(findBrowser({ CHROMIUM_PATH: fakeBrowser })).toBe(fakeBrowser);
    expect(ensureBrowser({ env: { CHROMIUM_PATH: fakeBrowser } })).toEqual({ path: fakeBrowser });
  });

  it('reports a CHROMIUM_PATH that is not executable instead of falling back to another browser', () => {
    const notExecutable = join(scratch, 'not-executable');
    writeFileSync(notExecutable, '');
    expect(findBrowser({ CHROMIUM_PATH: notExecutable })).toBeUndefined();
    const result = ensureBrowser({ env: { CHROMIUM_PATH: notExecutable } });
    expect(result.error).toContain(`CHROMIUM_PATH is ${notExecutable}`);
    expect(result.error).toContain('set CHROMIUM_PATH');
  });

  it('makes scripts/test.mjs stop before any test with one sentence saying how to get a browser', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts/test.mjs')], {
      cwd: root,
      env: { ...process.env, CHROMIUM_PATH: join(scratch, 'missing') },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toMatch(/^CHROMIUM_PATH is .*missing, which is not an executable file\. .*install it/);
    expect(result.stdout).not.toMatch(/RUN|Test Files/);
  });
});
