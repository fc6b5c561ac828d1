import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One vitest run covers every package and app. Tests import sibling packages through the private
// "@paymo/source" export condition, so they run against src/ without a build.
const sourceConditions = ['@paymo/source', 'module', 'node', 'development|production'];

const redisClusterSetup = fileURLToPath(new URL('./scripts/redisClusterGlobalSetup.mjs', import.meta.url));

const project = (name: string, dir: string, extra: Record<string, unknown> = {}) => ({
  extends: false as const,
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@paymo/source'] } },
  test: {
    name,
    root: dir,
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    ...extra,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('@paymo/fake-api', 'packages/fake-api'),
      project('@paymo/auth-core', 'packages/auth-core'),
      project('@paymo/auth-express', 'packages/auth-express'),
      project('@paymo/auth-nestjs', 'packages/auth-nestjs'),
      project('@paymo/auth-react', 'packages/auth-react'),
      // These two also run on a local three-master Redis Cluster the setup starts (or REDIS_CLUSTER_NODES).
      project('@paymo/auth-redis', 'packages/auth-redis', { globalSetup: [redisClusterSetup] }),
      project('@paymo/express-example', 'apps/express-example', { globalSetup: [redisClusterSetup] }),
      project('@paymo/nest-example', 'apps/nest-example'),
      project('@paymo/react-example', 'apps/react-example'),
      // Repository-level checks (packaging gate); they read the built dist/, which `npm test` builds first.
      project('@paymo/repo', '.', { include: ['scripts/__tests__/**/*.test.ts'] }),
    ],
  },
});
