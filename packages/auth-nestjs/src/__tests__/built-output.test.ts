import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts } from '@paymo/fake-api';

// The package as users get it: `tsup` run in the package folder with its real config (swc, decorator
// metadata), built fresh into a folder of its own (dist/ is left alone), then loaded by a plain Node
// process: no vite transform that could add the metadata back, and @paymo/auth-core from its build.
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(packageDir, 'node_modules', '.cache', 'built-output-test');
const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'built-app.mjs');

interface FixtureResult {
  cjs: Record<'guard' | 'module' | 'middleware' | 'filter', string[] | null>;
  esm: { guard: string[] | null };
  injected: { reflectorIsReal: boolean; engineIsReal: boolean };
  http: { anonymous: number; signIn: number; me: number; meBody: unknown };
}

let result: FixtureResult;
const run = promisify(execFile);

beforeAll(async () => {
  const coreDist = createRequire(join(packageDir, 'package.json')).resolve('@paymo/auth-core/package.json');
  if (!existsSync(join(dirname(coreDist), 'dist', 'index.cjs'))) {
    throw new Error('@paymo/auth-core is not built: run `npm run build` (npm test does it) before this test');
  }
  rmSync(outDir, { recursive: true, force: true });
  const tsupPackage = createRequire(join(packageDir, 'package.json')).resolve('tsup/package.json');
  const tsupCli = join(dirname(tsupPackage), 'dist', 'cli-default.js');
  await run(process.execPath, [tsupCli, '--out-dir', outDir, '--no-dts', '--silent'], { cwd: packageDir, timeout: 120_000 });

  // Looser than the fake's default quota (5 per 5 s) on purpose: these tests make many Paymo calls per
  // test and check other behaviour; the quota itself is tested in quota.test.ts files.
  const fake = await createFakePaymo({ rateLimit: { limit: 100, decayPeriodSeconds: 10 } });
  try {
    const { NODE_OPTIONS: _dropped, ...env } = process.env;
    const { stdout } = await run(process.execPath, [fixture, outDir, fake.url, demoAccounts.admin.apiKey], { env, timeout: 60_000 });
    result = JSON.parse(stdout.trim().split('\n').at(-1)!) as FixtureResult;
  } finally {
    await fake.close();
  }
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the built package (ESM and CommonJS) keeps decorator metadata', () => {
  it('emits design:paramtypes for every injectable class', () => {
    expect(result.cjs.guard).toEqual(['Object', 'Reflector']);
    expect(result.cjs.module).toEqual(['Object', 'Object', 'HttpAdapterHost']);
    expect(result.cjs.middleware).toEqual(['Object']);
    expect(result.cjs.filter).toEqual(['Object', 'HttpAdapterHost']);
    expect(result.esm.guard).toEqual(['Object', 'Reflector']);
  });

  it('gets real dependencies injected in a Nest app running on the build', () => {
    expect(result.injected).toEqual({ reflectorIsReal: true, engineIsReal: true });
  });

  it('guards and serves the auth routes from the build', () => {
    expect(result.http).toEqual({ anonymous: 401, signIn: 200, me: 200, meBody: { id: demoAccounts.admin.id } });
  });
});
