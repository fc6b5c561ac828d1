import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Debian's python3 (python3-requests is a Debian package); another python3 on PATH only as a fallback.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const hasRequests = () => spawnSync(python, ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;

/** Installs python3-requests with apt-get when it is missing and we may (root); returns what happened. */
function provisionRequests(): string {
  if (hasRequests()) return 'present';
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return 'missing, and apt-get is not available to this user';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'python3-requests'], { env, stdio: 'ignore', timeout: 240_000 });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 240_000 });
    install();
  }
  return hasRequests() ? 'installed' : 'missing: apt-get install python3-requests failed';
}

describe('a Python client drives the fake only through its CLI and control API', () => {
  it('seed, list projects, create and delete a time entry, expire a session by the clock, receive a signed webhook', () => {
    const requests = provisionRequests();
    // Not a skip: without python3-requests this test fails and says why.
    expect(requests, `${python} cannot import requests (${requests}); install Debian's python3-requests`).toMatch(/^(present|installed)$/);
    const run = spawnSync(python, ['test-python/paymo_fake_flow.py'], {
      cwd: packageDir,
      env: { ...process.env, PAYMO_FAKE_CMD: JSON.stringify([process.execPath, '--import', 'tsx', 'src/cli.ts']) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('python flow: all checks passed');
    expect(run.stdout).not.toContain('FAIL');
    expect(run.status).toBe(0);
  }, 300_000);
});
