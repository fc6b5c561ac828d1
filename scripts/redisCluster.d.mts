export interface RedisClusterNode {
  host: string;
  port: number;
}
export interface StartedRedisCluster {
  nodes: RedisClusterNode[];
  started: boolean;
  pidOf(port: number): number | undefined;
  stop(): Promise<void>;
  stopNow(): void;
}
export const defaultClusterPorts: number[];
export function clusterStateOk(port: number): boolean;
export function startRedisCluster(options?: {
  ports?: number[];
  replicas?: number;
  nodeTimeoutMs?: number;
  reuse?: boolean;
}): Promise<StartedRedisCluster>;
export function clusterNodesFromEnv(value?: string): RedisClusterNode[] | undefined;
