import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  // A browser library: modern syntax every browser React 18/19 supports, not a Node target.
  target: 'es2020',
  external: [/^@paymo\//],
});
