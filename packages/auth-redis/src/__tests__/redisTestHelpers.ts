import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { inject } from 'vitest';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Startup nodes of the Redis Cluster the run started or was given (scripts/redisClusterGlobalSetup.mjs). */
    redisClusterNodes: { host: string; port: number }[];
  }
}

/** The startup nodes of the test run's Redis Cluster. */
export const clusterNodes = (): { host: string; port: number }[] => inject('redisClusterNodes');

/** A Cluster client for test setup, ready (bounded wait) or failing loudly. */
export async function connectCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const client = new Cluster(clusterNodes(), { lazyConnect: true, ...options });
  client.on('error', () => {});
  await withDeadline(client.connect(), 10_000, 'the Redis Cluster to be ready');
  await client.ping();
  return client;
}

/** Deletes every key under `prefix` on every master of a cluster (SCAN, never KEYS). */
export async function deleteClusterKeys(client: Cluster, prefix: string): Promise<void> {
  await Promise.all(
    client.nodes('master').map(async (node) => {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        cursor = next;
        // One DEL per key: a node holds many slots, and a multi-key DEL across slots is refused.
        await Promise.all(keys.map((key) => node.del(key)));
      } while (cursor !== '0');
    }),
  );
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A client for test setup, connected with a bounded retry (about 5 s) so a missing Redis fails loudly. */
export async function connectRedis(url = redisUrl, options: RedisOptions = {}): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null, ...options });
  client.on('error', () => {});
  for (let attempt = 1; ; attempt++) {
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      client.disconnect();
      if (attempt >= 25) throw new Error(`no Redis at ${url} after ${attempt} attempts`, { cause: error });
      await sleep(200);
    }
  }
}

/** Deletes every key under `prefix` (SCAN, never KEYS). */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** True when something on 127.0.0.1:port answers PING with PONG within 200 ms. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(200, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A daemonized server is reparented; where nobody reaps it, it lingers as a zombie: count that as exited.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** A throwaway redis-server of our own (daemonized, no persistence), stopped through its pidfile. */
export class OwnRedisServer {
  readonly pidfile: string;

  constructor(
    readonly port: number,
    readonly dir: string,
    readonly extraArgs: string[] = [],
  ) {
    this.pidfile = join(dir, 'redis.pid');
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    execFileSync('redis-server', [
      '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--daemonize', 'yes', '--pidfile', this.pidfile, '--dir', this.dir, '--logfile', join(this.dir, 'redis.log'),
      ...this.extraArgs,
    ]);
    await until(() => answersPing(this.port), `redis-server on port ${this.port}`);
    await until(() => existsSync(this.pidfile), 'the pidfile');
  }

  pid(): number | undefined {
    if (!existsSync(this.pidfile)) return undefined;
    const pid = Number(readFileSync(this.pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) the server: connections stay open but nothing answers. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    const pid = this.pid();
    if (pid === undefined) throw new Error('redis-server is not running');
    process.kill(pid, signal);
  }

  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined || !isRunning(pid)) return;
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
    await until(() => !isRunning(pid), `redis-server ${pid} to exit`);
  }
}
