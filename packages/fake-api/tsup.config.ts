import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // cli.ts compares import.meta.url with argv[1] to know it runs as the bin; the shim gives the CJS build one.
  shims: true,
  external: [/^@paymo\//],
});
