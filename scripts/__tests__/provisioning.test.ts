import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// What `npm test` does before any test besides the browser (browser.test.ts): a Redis must answer.
const script = fileURLToPath(new URL('../provisionRedis.mjs', import.meta.url));
const run = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', `import { provisionRedis } from ${JSON.stringify(script)}; await provisionRedis();`], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('provisionRedis', () => {
  it('accepts a Redis that answers (the one the tests use)', () => {
    const result = run({});
    expect(result.status, result.stderr).toBe(0);
  });

  it('starts a redis-server on a free loopback port where nothing answers, then it answers PING', () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const result = run({ REDIS_URL: `redis://127.0.0.1:${port}` });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`starting redis-server on 127.0.0.1:${port}`);
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    expect(ping.stdout.trim()).toBe('PONG');
    spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
  });
});
