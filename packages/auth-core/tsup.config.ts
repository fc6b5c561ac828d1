import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node/index.ts', testing: 'src/testing/index.ts' },
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    external: [/^@paymo\//],
  },
  {
    // CommonJS: split like the ESM build, so `index.cjs` and `node.cjs` share one copy of PaymoAuthError
    // (instanceof holds across entries). No `testing` entry: it imports Vitest, which cannot be required.
    entry: { index: 'src/index.ts', node: 'src/node/index.ts' },
    format: ['cjs'],
    splitting: true,
    dts: true,
    sourcemap: true,
    target: 'node20',
    external: [/^@paymo\//],
  },
]);
