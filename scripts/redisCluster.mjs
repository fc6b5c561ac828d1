// Starts a throwaway Redis Cluster on loopback for the tests (redis-server --cluster-enabled yes, no
// persistence, daemonized with pidfiles under a tmp dir), or reuses one that already answers.
// `REDIS_CLUSTER_NODES=host:port,host:port` names a cluster to use instead; nothing is started then.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The ports of the cluster the test run starts when none is given (6379 is the shared single Redis). */
export const defaultClusterPorts = [7301, 7302, 7303];

function cli(port, ...args) {
  return execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 2_000,
  });
}

/** True when the node on `port` answers and reports `cluster_state:ok`. */
export function clusterStateOk(port) {
  try {
    return /cluster_state:ok/.test(cli(port, 'CLUSTER', 'INFO'));
  } catch {
    return false;
  }
}

function answers(port) {
  try {
    return cli(port, 'PING').trim() === 'PONG';
  } catch {
    return false;
  }
}

async function until(condition, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`redisCluster: timed out waiting for ${what}`);
    await sleep(100);
  }
}

function pidOf(pidfile) {
  if (!existsSync(pidfile)) return undefined;
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isRunning(pid) {
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

/**
 * Starts (or reuses) a cluster on `ports`: `replicas` = 0 gives that many masters, 1 gives half masters
 * and one replica each. Resolves to `{ nodes, started, pidOf(port), stop(), stopNow() }`; they stop only what
 * this call started. `reuse: false` refuses ports already in use (a test that kills nodes needs its own).
 * `nodeTimeoutMs`: how long a node may not answer before the others mark it failed. On a loaded 2-core
 * machine a busy node can miss pings for a second; without replicas a node marked failed takes the whole
 * cluster down (CLUSTERDOWN), so the default leaves seconds of room.
 */
export async function startRedisCluster({ ports = defaultClusterPorts, replicas = 0, nodeTimeoutMs = 5_000, reuse = true } = {}) {
  if (reuse && ports.every(clusterStateOk)) {
    const nodes = ports.map((port) => ({ host: '127.0.0.1', port }));
    return { nodes, started: false, pidOf: () => undefined, stop: async () => {}, stopNow: () => {} };
  }
  const dir = mkdtempSync(join(tmpdir(), 'paymo-redis-cluster-'));
  const pidfile = (port) => join(dir, `redis-${port}.pid`);
  for (const port of ports) {
    if (answers(port)) throw new Error(`redisCluster: something on port ${port} answers but is not a healthy cluster node`);
    execFileSync('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
      '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--cluster-node-timeout', String(nodeTimeoutMs),
      '--save', '', '--appendonly', 'no', '--daemonize', 'yes', '--pidfile', pidfile(port),
      '--dir', dir, '--logfile', join(dir, `redis-${port}.log`),
    ]);
  }
  /** Signals every node to stop, synchronously (also usable from an exit hook). */
  const stopNow = () => {
    for (const port of ports) {
      const pid = pidOf(pidfile(port));
      if (pid !== undefined && isRunning(pid)) {
        process.kill(pid, 'SIGCONT');
        process.kill(pid, 'SIGTERM');
      }
    }
  };
  const stop = async () => {
    stopNow();
    for (const port of ports) {
      const pid = pidOf(pidfile(port));
      if (pid !== undefined) await until(() => !isRunning(pid), `redis-server ${pid} to exit`, 10_000);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  };
  try {
    await until(() => ports.every(answers), 'the cluster nodes to answer');
    execFileSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', String(replicas), '--cluster-yes'],
      { stdio: 'ignore', timeout: 30_000 },
    );
    await until(() => ports.every(clusterStateOk), 'cluster_state:ok on every node');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    started: true,
    pidOf: (port) => pidOf(pidfile(port)),
    stop,
    stopNow,
  };
}

/** `REDIS_CLUSTER_NODES` ("host:port,host:port") as ioredis startup nodes, or undefined. */
export function clusterNodesFromEnv(value = process.env.REDIS_CLUSTER_NODES) {
  if (!value) return undefined;
  return value.split(',').map((entry) => {
    const [host, port] = entry.trim().split(':');
    return { host: host || '127.0.0.1', port: Number(port) };
  });
}
