import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

// tsup compiles decorators with swc when tsconfig sets emitDecoratorMetadata, but without @swc/core it
// only warns and ships classes with no `design:paramtypes`: fail the build instead.
createRequire(join(process.cwd(), 'package.json')).resolve('@swc/core'); // tsup looks from the cwd too

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  external: [/^@paymo\//, /^@nestjs\//, 'reflect-metadata', 'rxjs'],
});
