import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { demoAccounts, useFake } from './support.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const hasPhpCurl = () => spawnSync('php', ['-r', 'exit(function_exists("curl_init") ? 0 : 1);'], { stdio: 'ignore' }).status === 0;

/** Installs Debian's php-cli and php-curl when missing and we may (root); returns what happened. */
function provisionPhp(): string {
  if (hasPhpCurl()) return 'present';
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return 'missing, and apt-get is not available to this user';
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'php-cli', 'php-curl'], { env, stdio: 'ignore', timeout: 300_000 });
  if (install().status !== 0) {
    spawnSync('apt-get', ['update'], { env, stdio: 'ignore', timeout: 300_000 });
    install();
  }
  return hasPhpCurl() ? 'installed' : 'missing: apt-get install php-cli php-curl failed';
}

describe("the docs' PHP samples (curl, array POSTFIELDS, json_decode(...)['projects']) against the fake", () => {
  // Looser than Paymo's 5 per 5 s: this test is about request bodies, not the quota.
  const fake = useFake({ rateLimit: { limit: 1000, decayPeriodSeconds: 10 } });

  it('create a project with a multipart body, then list projects', async () => {
    const php = provisionPhp();
    // Not a skip: without php-curl this test fails and says why.
    expect(php, `php with curl is ${php}; install Debian's php-cli and php-curl`).toMatch(/^(present|installed)$/);
    // Asynchronous: the fake answers from this process, so its event loop must keep running.
    const run = await promisify(execFile)('php', ['test-php/docs_samples.php', fake().url, demoAccounts.admin.email, demoAccounts.admin.password], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^POST status: 201\nNew project ID: \d+\nGET status: 200\n/);
    expect(run.stdout).toContain('project: New Project\n');
    expect(run.stdout).toContain('project: Scranton Paper Sales\n');
    expect(fake().requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['POST', '/api/projects', 201],
      ['GET', '/api/projects', 200],
    ]);
  }, 400_000);
});
