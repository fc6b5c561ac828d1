import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

// Nest resolves constructor dependencies from decorator metadata, which tsup emits only through swc.
createRequire(join(process.cwd(), 'package.json')).resolve('@swc/core'); // tsup looks from the cwd too

// An app, not a library: ESM only, no type declarations; packages stay imports of their built dist.
export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: [/^@paymo\//, /^@nestjs\//, 'reflect-metadata', 'rxjs'],
});
