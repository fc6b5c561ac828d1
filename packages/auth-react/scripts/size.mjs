#!/usr/bin/env node
// Bundle size of @paymo/auth-react as an app ships it: the package and what it pulls from
// @paymo/auth-core (tree-shaken), WITHOUT its peers (react, react-dom, @tanstack/react-query),
// minified by esbuild, then gzip and brotli. Also fails if server code slipped in.
//
//   node scripts/size.mjs            measures dist/ (run `tsup` here and in packages/auth-core first)
//   node scripts/size.mjs --source   measures src/ through the @paymo/source condition (no build needed)
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = process.argv.includes('--source');
const entry = resolve(root, source ? 'src/index.ts' : 'dist/index.js');
if (!existsSync(entry)) {
  console.error(`${relative(root, entry)} is missing: build first (tsup in packages/auth-core and packages/auth-react), or pass --source.`);
  process.exit(1);
}

const peers = ['react', 'react-dom', '@tanstack/react-query'];
const result = await build({
  entryPoints: [entry],
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2020',
  jsx: 'automatic',
  conditions: source ? ['@paymo/source'] : [],
  external: peers.flatMap((name) => [name, `${name}/*`]),
  write: false,
  metafile: true,
  logLevel: 'error',
});

const code = result.outputFiles[0].contents;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} kB`;
const min = code.length;
const gzip = gzipSync(code, { level: 9 }).length;
const brotli = brotliCompressSync(code).length;

console.log(`@paymo/auth-react (${source ? 'src' : 'dist'}), peers excluded: ${peers.join(', ')}`);
console.log(`  minified  ${kb(min)}`);
console.log(`  min+gzip  ${kb(gzip)}`);
console.log(`  min+br    ${kb(brotli)}`);
console.log('  inputs kept after tree-shaking (bytes in the output):');
const output = Object.values(result.metafile.outputs)[0];
for (const [file, { bytesInOutput }] of Object.entries(output.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)) {
  if (bytesInOutput > 0) console.log(`    ${String(bytesInOutput).padStart(6)}  ${file.replace(/^.*?packages\//, 'packages/')}`);
}

// The browser bundle must not contain the engine or import anything but the peers. A guarded
// Node-only lookup left by a dependency's top-level code is reported, not failed.
const text = Buffer.from(code).toString('utf8');
const foreignImports = output.imports
  .map((i) => i.path)
  .filter((path) => !peers.some((peer) => path === peer || path.startsWith(`${peer}/`)));
const problems = [
  ...foreignImports.map((path) => `imports ${path}`),
  ...[/\bcreatePaymoAuth\b/, /process\.env/, /\bsetCookies?\b/].filter((m) => m.test(text)).map((m) => `matches ${m}`),
];
const notes = [/["'`]node:[a-z_]+/g].flatMap((m) => text.match(m) ?? []);
if (notes.length) console.log(`  note: guarded Node-only lookups from dependencies' top-level code: ${[...new Set(notes)].join(', ')}`);
if (problems.length) {
  console.error(`server code in the browser bundle: ${problems.join('; ')}`);
  process.exit(1);
}
