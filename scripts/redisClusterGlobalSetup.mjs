// vitest globalSetup of the projects whose tests also run on Redis Cluster: provides the cluster's
// startup nodes as `redisClusterNodes` (inject it in tests). Several projects share one cluster: vitest
// loads this module once per project, so the shared state lives on globalThis (one main process); the
// first setup starts the cluster, the last teardown stops it, and an exit hook stops it in any case.
import { clusterNodesFromEnv, startRedisCluster } from './redisCluster.mjs';

const shared = (globalThis[Symbol.for('paymo.redisClusterSetup')] ??= { cluster: undefined, users: 0 });

export default async function setup({ provide }) {
  const given = clusterNodesFromEnv();
  if (given) {
    provide('redisClusterNodes', given);
    return;
  }
  shared.users += 1;
  if (!shared.cluster) {
    shared.cluster = startRedisCluster();
    const started = await shared.cluster;
    process.once('exit', () => started.stopNow());
  }
  provide('redisClusterNodes', (await shared.cluster).nodes);
  return async () => {
    shared.users -= 1;
    if (shared.users === 0) await (await shared.cluster).stop();
  };
}
