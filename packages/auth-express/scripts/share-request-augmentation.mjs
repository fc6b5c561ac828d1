// Runs after tsup. `req.paymo` is declared by a global augmentation in both dist/index.d.ts and
// dist/index.d.cts. A program with both .mts and .cts files that import this package loads both, and the
// two `PaymoAuthState`s (one from @paymo/auth-core's ESM types, one from its CJS types) differ to
// TypeScript: TS2717 "Subsequent property declarations must have the same type". The CommonJS copy is
// rewritten to name the ESM type, so both declarations are one and the same type.
import { readFileSync, writeFileSync } from 'node:fs';

const file = new URL('../dist/index.d.cts', import.meta.url);
const text = readFileSync(file, 'utf8');
const declaration = /(\n\s+paymo: )PaymoAuthState;/;
if (!declaration.test(text)) throw new Error('dist/index.d.cts: the req.paymo augmentation was not found; update scripts/share-request-augmentation.mjs');
writeFileSync(file, text.replace(declaration, "$1import('@paymo/auth-core', { with: { 'resolution-mode': 'import' } }).PaymoAuthState;"));
