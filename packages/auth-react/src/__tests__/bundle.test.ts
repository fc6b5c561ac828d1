import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const peers = ['react', 'react-dom', '@tanstack/react-query'];

// What an app's bundler keeps of this package: its own files and, from the core, the error type and the
// decoder of error answers (with the Retry-After parser, a file of its own that it shares with the Paymo
// client), nothing else.
it('pulls nothing from the server side of @paymo/auth-core into a browser bundle', async () => {
  const result = await build({
    entryPoints: ['src/index.ts'],
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    jsx: 'automatic',
    conditions: ['@paymo/source'],
    external: peers.flatMap((name) => [name, `${name}/*`]),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const kept = Object.entries(output.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file.replace(/^\.\.\//, 'packages/'));
  expect(kept.filter((file) => !file.startsWith('src/')).sort()).toEqual([
    'packages/auth-core/src/errors.ts',
    'packages/auth-core/src/parseRetryAfter.ts',
    'packages/auth-core/src/paymoAuthErrorFromResponse.ts',
  ]);
  const imports = output.imports.map((entry) => entry.path);
  expect(imports.every((path) => peers.some((peer) => path === peer || path.startsWith(`${peer}/`)))).toBe(true);
  const text = new TextDecoder().decode(result.outputFiles[0]!.contents);
  expect(text).not.toMatch(/\bcreatePaymoAuth\b|process\.env|node:/);
});
