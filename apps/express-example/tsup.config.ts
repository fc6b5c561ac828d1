import { defineConfig } from 'tsup';

// An app, not a library: ESM only, no type declarations; workspace packages stay imports of their built dist.
export default defineConfig({
  entry: { app: 'src/app.ts', server: 'src/server.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: [/^@paymo\//, 'express'],
});
