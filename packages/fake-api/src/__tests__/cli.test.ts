import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliUsage, describeFake, parseCliArgs, runCli } from '../cli.js';
import { adminKey, basic, demoAccounts } from './support.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs src/cli.ts in a child Node (through tsx, as the built dist/cli.js would run). */
function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: packageDir, stdio: 'pipe' });
}

function collect(child: ChildProcessWithoutNullStreams) {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          child.stdout.off('data', check);
          resolve(match);
        }
      };
      child.stdout.on('data', check);
      child.on('exit', () => reject(new Error(`CLI exited before printing ${pattern}: ${stdout}${stderr}`)));
      check();
    });
  return { exited, waitFor, out: () => stdout, err: () => stderr };
}

// Concurrent: each test spawns its own Node, and most of their time is that process starting.
describe.concurrent('paymo-fake CLI', () => {
  it('starts, prints the URL and the credentials table, serves /api/me for a demo API key, exits 0 on SIGTERM', async () => {
    const child = spawnCli(['--port', '0', '--host', '127.0.0.1']);
    const io = collect(child);
    try {
      const [, url] = await io.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+\/api)\n/);
      await io.waitFor(/Press Ctrl\+C/);
      for (const account of Object.values(demoAccounts)) {
        expect(io.out()).toContain(account.email);
        expect(io.out()).toContain(account.apiKey);
        expect(io.out()).toContain(account.password);
      }
      const response = await fetch(`${url}/me`, { headers: { ...basic(demoAccounts.admin.apiKey, 'X'), Accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { users: Array<{ name: string }> }).users[0]?.name).toBe('Michael Scott');
      await io.waitFor(/GET \/api\/me 200 apiKey user=1/);
      child.kill('SIGTERM');
      expect(await io.exited).toEqual({ code: 0, signal: null });
      expect(io.out()).toContain('SIGTERM: stopping');
      await expect(fetch(`${url}/me`)).rejects.toThrow();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits 0 on SIGINT too, and --quiet prints no request lines', async () => {
    const child = spawnCli(['-p', '0', '--quiet', '--rate-limit', '1']);
    const io = collect(child);
    try {
      const [, url] = await io.waitFor(/listening on (http:\/\/\S+\/api)\n/);
      await fetch(`${url}/me`, { headers: adminKey() });
      expect((await fetch(`${url}/me`, { headers: adminKey() })).status).toBe(429);
      child.kill('SIGINT');
      expect((await io.exited).code).toBe(0);
      expect(io.out()).not.toContain('GET /api/me');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('--help prints the usage and exits 0; a bad argument exits 2 with the usage on stderr', async () => {
    const help = collect(spawnCli(['--help']));
    const bad = collect(spawnCli(['--port', 'eighty']));
    expect((await help.exited).code).toBe(0);
    expect(help.out()).toBe(cliUsage);
    expect((await bad.exited).code).toBe(2);
    expect(bad.err()).toContain('--port must be an integer');
    expect(bad.err()).toContain('Usage: paymo-fake');
  });

  it('parseCliArgs maps every flag to an option and refuses bad values', () => {
    expect(parseCliArgs([])).toMatchObject({ port: 4010, host: '127.0.0.1' });
    expect(parseCliArgs(['-h'])).toBe('help');
    expect(
      parseCliArgs([
        '--port', '0', '--host', '0.0.0.0', '--rate-limit', '5', '--decay-period', '60', '--session-lifetime', '3600',
        '--create-session-status', '200', '--start-time', '2015-01-16T13:54:41Z', '--rate-limit-key', 'credential',
        '--rate-limit-headers', 'docs',
      ]),
    ).toEqual({
      port: 0,
      host: '0.0.0.0',
      rateLimit: { limit: 5, decayPeriodSeconds: 60, scope: 'credential', headerCase: 'docs' },
      sessionLifetimeMs: 3_600_000,
      createSessionStatus: 200,
      startTime: Date.parse('2015-01-16T13:54:41Z'),
      controlPath: '/__control',
    });
    expect(() => parseCliArgs(['--port', '70000'])).toThrow(/65535/);
    expect(() => parseCliArgs(['--rate-limit', '0'])).toThrow(/rate-limit/);
    expect(() => parseCliArgs(['--rate-limit-key', 'apikey'])).toThrow(/rate-limit-key/);
    expect(() => parseCliArgs(['--rate-limit-headers', 'upper'])).toThrow(/rate-limit-headers/);
    expect(() => parseCliArgs(['--create-session-status', '204'])).toThrow(/201 or 200/);
    expect(() => parseCliArgs(['--start-time', 'soon'])).toThrow(/start-time/);
    expect(() => parseCliArgs(['--nope'])).toThrow();
    expect(() => parseCliArgs(['positional'])).toThrow();
  });

  it('runCli in-process returns the running fake and writes the banner', async () => {
    let out = '';
    const fake = await runCli(['--port', '0', '--quiet'], { out: (text) => (out += text), err: () => {} });
    try {
      expect(out).toBe(describeFake(fake!.url, `${fake!.origin}/__control`));
      expect((await fetch(`${fake!.url}/company`, { headers: adminKey() })).status).toBe(200);
    } finally {
      await fake?.close();
    }
  });
});
