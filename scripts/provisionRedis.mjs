// Makes sure the Redis the tests use (REDIS_URL, default redis://127.0.0.1:6379) answers before any
// test runs: when nothing answers on a loopback URL, starts a redis-server there (no persistence,
// daemonized, left running for later runs, like the machine's own).
import { execFileSync, spawnSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

function answersPing(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (answer) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG') || data.toString().startsWith('-NOAUTH')));
  });
}

/** Resolves once Redis answers; throws an Error with one sentence saying what to do when it cannot. */
export async function provisionRedis({ log = console.log } = {}) {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 6379);
  if (await answersPing(host, port)) return;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    throw new Error(`No Redis answers at ${url.host} (REDIS_URL): start it, or unset REDIS_URL to use a local one.`);
  }
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('The tests need Redis and none answers on 127.0.0.1:6379: install it (`apt-get install -y redis-server`) or set REDIS_URL.');
  }
  log(`[test] starting redis-server on 127.0.0.1:${port} (nothing answered there)`);
  execFileSync('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
    '--pidfile', `/tmp/paymo-test-redis-${port}.pid`, '--logfile', `/tmp/paymo-test-redis-${port}.log`,
  ]);
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await answersPing(host, port)) return;
    await sleep(100);
  }
  throw new Error(`redis-server was started on port ${port} but does not answer: see /tmp/paymo-test-redis-${port}.log.`);
}
