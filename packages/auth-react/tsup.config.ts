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
  // Hooks and context: React Server Components (Next.js App Router) must treat the package as client code.
  banner: { js: "'use client';" },
});
