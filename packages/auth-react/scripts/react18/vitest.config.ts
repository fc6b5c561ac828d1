import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
// @ts-expect-error plain .mjs helper without types
import { react18Paths } from './paths.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const conditions = ['@paymo/source', 'module', 'node', 'development|production'];
const paths = react18Paths(process.env.REACT18_DIR) as Record<string, string>;

export default defineConfig({
  resolve: {
    conditions,
    alias: Object.entries(paths).map(([name, path]) => ({ find: new RegExp(`^${name}$`), replacement: path })),
  },
  ssr: { resolve: { conditions, externalConditions: ['@paymo/source'] } },
  test: {
    name: '@paymo/auth-react (React 18)',
    root,
    include: ['src/**/*.test.tsx', 'src/__tests__/react18.check.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
