// Consumer tests (issue 11): the published packages as a user gets them. Each package is packed with pnpm
// (as publishing does), the tarballs are installed with plain npm into fresh apps in the OS temp dir,
// outside the workspace, and each app is built the way its kind of project builds, then run against the
// fake Paymo to sign in. Versions are the ones TOOLCHAIN.md lists as working on Node 20. npm shares one
// cache (~/.npm) across apps and runs; installs run one at a time (the machine has 2 shared cores).
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, demoAccounts, type FakePaymo } from '../../packages/fake-api/src/index.js'; // the root has no workspace deps

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpm = join(root, '.tools', 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'paymo-consumers-'));
const tarballs: Record<string, string> = {};

beforeAll(() => {
  for (const name of ['auth-core', 'auth-express', 'auth-nestjs', 'auth-react']) {
    const output = execFileSync(process.execPath, [pnpm, 'pack', '--json', '--pack-destination', scratch], {
      cwd: join(root, 'packages', name),
      encoding: 'utf8',
    });
    tarballs[`@paymo/${name}`] = (JSON.parse(output) as { filename: string }).filename;
  }
}, 60_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh app dir with these files, installed with plain npm (the tarballs as file: dependencies). */
async function createApp(
  name: string,
  manifest: Record<string, unknown>,
  files: Record<string, string>,
  packages: string[] = ['@paymo/auth-core', '@paymo/auth-express'],
): Promise<string> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const dependencies = { ...(manifest.dependencies as Record<string, string>) };
  for (const pkg of packages) dependencies[pkg] = `file:${tarballs[pkg]}`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest, dependencies }, null, 2));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: dir, timeout: 180_000 });
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** Starts `node <entry>` in the app with PORT and PAYMO_API_URL; resolves once /auth/session answers. */
async function startApp(dir: string, entry: string, fake: FakePaymo): Promise<{ base: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), PAYMO_API_URL: fake.url, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}):\n${output}`);
    try {
      await fetch(`${base}/auth/session`);
      return { base, child, output: () => output };
    } catch {
      if (attempt > 200) throw new Error(`${entry} did not listen within 20 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Signs in as the demo admin, reads /api/me, then makes Paymo fail and expects typed JSON, process up. */
async function signInAndUse(base: string, fake: FakePaymo, child: ChildProcess, output: () => string) {
  const signIn = await fetch(`${base}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
  });
  expect(signIn.status, output()).toBe(200);
  const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
  const me = await fetch(`${base}/api/me`, { headers: { cookie } });
  expect(await me.json()).toMatchObject({ email: demoAccounts.admin.email });

  fake.faults.inject({ status: 503, path: '/api/clients' });
  const failed = await fetch(`${base}/api/clients`, { headers: { cookie, accept: 'application/json' } });
  expect(failed.headers.get('content-type')).toMatch(/^application\/json/);
  expect(((await failed.json()) as { error: { code: string } }).error.code).toMatch(/^UPSTREAM_/);
  fake.faults.clear();
  expect((await fetch(`${base}/api/clients`, { headers: { cookie } })).status, output()).toBe(200);
  expect(child.exitCode).toBeNull();
}

const expressApp = (importLine: string) => `${importLine}

const app = express();
app.use(paymoAuth());
app.get('/api/me', requirePaymoAuth(), (req, res) => {
  res.json(getPaymoAuth(req).user);
});
app.get('/api/clients', requirePaymoAuth(), (req, res, next) => {
  getPaymoAuth(req).client.request('GET', '/clients').then((clients) => res.json(clients), next);
});
app.use(paymoAuthErrorHandler());
app.listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('consumer apps from the packed tarballs, installed with npm outside the workspace', { timeout: 240_000 }, () => {
  let fake: FakePaymo;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    // Looser than Paymo's 5/5 s: these tests are about installing and running the packages, not the quota.
    fake = await createFakePaymo({ rateLimit: { limit: 1000, decayPeriodSeconds: 10 } });
  });
  afterAll(async () => {
    await Promise.all(children.map(stop));
    await fake?.close();
  });

  it('Express 5, ESM TypeScript with module nodenext, built with tsc, signs in', async () => {
    const dir = await createApp(
      'express5-esm-nodenext',
      {
        type: 'module',
        dependencies: { express: '5.3.0' },
        devDependencies: { '@types/express': '5.0.6', '@types/node': '20.19.43', typescript: '5.9.3' },
      },
      {
        'tsconfig.json': JSON.stringify({
          compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, outDir: 'dist', skipLibCheck: false, types: ['node'] },
          include: ['src'],
        }),
        'src/server.ts': expressApp(
          "import express from 'express';\nimport { paymoAuth, requirePaymoAuth, getPaymoAuth, paymoAuthErrorHandler } from '@paymo/auth-express';",
        ),
      },
    );
    await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir });
    const app = await startApp(dir, 'dist/server.js', fake);
    children.push(app.child);
    await signInAndUse(app.base, fake, app.child, app.output);
  });

  it('Express 4, CommonJS JavaScript with require(), signs in and survives a failing Paymo', async () => {
    const dir = await createApp('express4-cjs', { dependencies: { express: '4.22.3' } }, {
      'server.js': expressApp(
        "const express = require('express');\nconst { paymoAuth, requirePaymoAuth, getPaymoAuth, paymoAuthErrorHandler } = require('@paymo/auth-express');",
      ),
    });
    expect(JSON.parse(readFileSync(join(dir, 'node_modules/express/package.json'), 'utf8')).version).toBe('4.22.3');
    const app = await startApp(dir, 'server.js', fake);
    children.push(app.child);
    await signInAndUse(app.base, fake, app.child, app.output);
  });

  it('CommonJS: PaymoAuthError from @paymo/auth-core and from @paymo/auth-core/node is one class', async () => {
    const dir = join(scratch, 'express4-cjs');
    const { stdout } = await run(process.execPath, ['-e', `
      const core = require('@paymo/auth-core');
      const node = require('@paymo/auth-core/node');
      // toWebRequest (in the node entry) refuses a TRACE with a PaymoAuthError it constructs itself.
      node.toWebRequest({ method: 'TRACE', url: '/', headers: {}, rawHeaders: [] }, { maxBodyBytes: 1 }).then(
        () => console.log('resolved'),
        (error) => console.log(String(error instanceof core.PaymoAuthError) + ' ' + error.code),
      );
    `], { cwd: dir });
    expect(stdout.trim()).toBe('true METHOD_NOT_ALLOWED');
  });

  describe.each(['5.9.3', '6.0.3'])('TypeScript %s resolution matrix (declaration: true, skipLibCheck: false)', (typescript) => {
    let dir: string;
    beforeAll(async () => {
      dir = await createApp(
        `ts-${typescript}`,
        {
          dependencies: { express: '5.3.0' },
          devDependencies: { '@types/express': '5.0.6', '@types/node': '20.19.43', typescript },
        },
        {
          'src/index.ts': [
            "import { createPaymoAuth, PaymoAuthError, type PaymoPublicUser } from '@paymo/auth-core';",
            "import { toWebRequest } from '@paymo/auth-core/node';",
            "import { paymoAuth, getPaymoAuth } from '@paymo/auth-express';",
            "import type { Request } from 'express';",
            'export const auth = createPaymoAuth();',
            'export const middleware = paymoAuth(auth);',
            'export const name = (req: Request): string => getPaymoAuth(req).user.name;',
            'export const user = (req: Request) => getPaymoAuth(req).user;',
            'export const first = (users: PaymoPublicUser[]) => users[0];',
            "export const error = new PaymoAuthError('CONFIG_ERROR', 'x');",
            'export { toWebRequest };',
            '',
          ].join('\n'),
          // One program, both module formats: `req.paymo` is then declared by the ESM and the CJS types.
          'mixed/esm.mts': "import { paymoAuth } from '@paymo/auth-express';\nimport type { Request } from 'express';\nexport const middleware = paymoAuth();\nexport const signedIn = (req: Request): boolean => req.paymo.authenticated;\n",
          'mixed/cjs.cts': "import { getPaymoAuth } from '@paymo/auth-express';\nimport type { Request } from 'express';\nexport const name = (req: Request): string => (req.paymo.authenticated ? getPaymoAuth(req).user.name : '');\n",
        },
      );
    }, 240_000);

    it.each([
      ['node10', 'commonjs'],
      ['node16', 'node16'],
      ['nodenext', 'nodenext'],
      ['bundler', 'esnext'],
    ])('moduleResolution %s (module %s) compiles and emits declarations', async (moduleResolution, module) => {
      const tsc = join(dir, 'node_modules/typescript/bin/tsc');
      // TypeScript 6 deprecates node10 resolution; it still supports it behind this flag.
      const deprecations = typescript.startsWith('6.') ? ['--ignoreDeprecations', '6.0'] : [];
      const args = [...deprecations, '--strict', '--declaration', '--skipLibCheck', 'false', '--types', 'node', '--target', 'es2022',
        '--module', module, '--moduleResolution', moduleResolution, '--outDir', `out-${moduleResolution}`, 'src/index.ts'];
      const result = await run(process.execPath, [tsc, ...args], { cwd: dir }).catch((error: { stdout: string }) => error);
      expect(result.stdout).toBe('');
    });

    it('a program with both an .mts and a .cts file importing @paymo/auth-express compiles (no TS2717 on req.paymo)', async () => {
      const tsc = join(dir, 'node_modules/typescript/bin/tsc');
      const args = ['--strict', '--noEmit', '--skipLibCheck', 'false', '--types', 'node', '--module', 'nodenext', 'mixed/esm.mts', 'mixed/cjs.cts'];
      const result = await run(process.execPath, [tsc, ...args], { cwd: dir }).catch((error: { stdout: string }) => error);
      expect(result.stdout).toBe('');
    });
  });

  // The shape `nest new` generates: CommonJS, decorators with metadata, compiled by tsc, main.ts listening.
  describe.each([
    ['10.4.22', '10.4.22'],
    ['11.2.10', '11.2.10'],
    ['12.5.1', '12.5.1'],
  ])('a Nest %s app (module commonjs, decorators, tsc)', (nest) => {
    it('builds with tsc, starts, and signs in; @Public() stays open and guarded routes get the user', async () => {
      const dir = await createApp(
        `nest-${nest}`,
        {
          dependencies: {
            '@nestjs/common': nest,
            '@nestjs/core': nest,
            '@nestjs/platform-express': nest,
            'reflect-metadata': '0.2.2',
            rxjs: '7.8.2',
          },
          devDependencies: { '@types/express': '5.0.6', '@types/node': '20.19.43', typescript: '5.9.3' },
        },
        {
          'tsconfig.json': JSON.stringify({
            compilerOptions: {
              module: 'commonjs', declaration: true, removeComments: true, emitDecoratorMetadata: true,
              experimentalDecorators: true, allowSyntheticDefaultImports: true, target: 'ES2021', sourceMap: true,
              outDir: './dist', baseUrl: './', incremental: true, skipLibCheck: true, strictNullChecks: true,
              forceConsistentCasingInFileNames: true, noImplicitAny: false, strictBindCallApply: false,
              noFallthroughCasesInSwitch: false,
            },
          }),
          'src/app.module.ts': [
            "import { Controller, Get, Module } from '@nestjs/common';",
            "import { PaymoAuthModule, PaymoClient, PaymoUser, Public } from '@paymo/auth-nestjs';",
            '',
            '@Controller()',
            'export class AppController {',
            '  @Public()',
            "  @Get('health')",
            '  health() {',
            "    return 'ok';",
            '  }',
            '',
            "  @Get('api/me')",
            '  me(@PaymoUser() user: PaymoUser) {',
            '    return user;',
            '  }',
            '',
            "  @Get('api/clients')",
            '  clients(@PaymoClient() paymo: PaymoClient) {',
            "    return paymo.request('GET', '/clients');",
            '  }',
            '}',
            '',
            '@Module({ imports: [PaymoAuthModule.forRoot({})], controllers: [AppController] })',
            'export class AppModule {}',
            '',
          ].join('\n'),
          'src/main.ts': [
            "import { NestFactory } from '@nestjs/core';",
            "import { AppModule } from './app.module';",
            '',
            'async function bootstrap() {',
            "  const app = await NestFactory.create(AppModule, { logger: ['error'] });",
            "  await app.listen(Number(process.env.PORT), '127.0.0.1');",
            '}',
            'bootstrap();',
            '',
          ].join('\n'),
        },
        ['@paymo/auth-core', '@paymo/auth-nestjs'],
      );
      await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir });
      const app = await startApp(dir, 'dist/main.js', fake);
      children.push(app.child);
      expect(await (await fetch(`${app.base}/health`)).text()).toBe('ok');
      expect((await fetch(`${app.base}/api/me`)).status).toBe(401);
      await signInAndUse(app.base, fake, app.child, app.output);
    });
  });

  // A Vite + React app, strict and with skipLibCheck false: our .d.ts must check against the real React
  // and TanStack Query types, not just be skipped.
  describe.each([
    ['18', { react: '18.3.1', 'react-dom': '18.3.1', '@types/react': '^18.3.0', '@types/react-dom': '^18.3.0' }],
    ['19', { react: '19.3.1', 'react-dom': '19.3.1', '@types/react': '19.3.1', '@types/react-dom': '19.3.0' }],
  ])('a Vite + React %s app (strict, skipLibCheck false)', (_react, versions) => {
    it('type-checks with tsc and builds with vite', async () => {
      const dir = await createApp(
        `vite-react-${_react}`,
        {
          type: 'module',
          dependencies: { react: versions.react, 'react-dom': versions['react-dom'], '@tanstack/react-query': '5.108.4' },
          devDependencies: {
            '@types/react': versions['@types/react'], '@types/react-dom': versions['@types/react-dom'],
            typescript: '5.9.3', vite: '8.4.0',
          },
        },
        {
          'tsconfig.json': JSON.stringify({
            compilerOptions: {
              target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], module: 'ESNext', moduleResolution: 'bundler',
              jsx: 'react-jsx', strict: true, noEmit: true, skipLibCheck: false, isolatedModules: true,
              noUncheckedIndexedAccess: true, types: [],
            },
            include: ['src'],
          }),
          'index.html': '<!doctype html><div id="root"></div><script type="module" src="/src/main.tsx"></script>\n',
          'src/main.tsx': [
            "import { createRoot } from 'react-dom/client';",
            "import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';",
            "import { PaymoAuthProvider, usePaymoAuth, usePaymoSession, paymoSessionQueryOptions, isPaymoAuthError } from '@paymo/auth-react';",
            "import type { PaymoAuthError, PaymoPublicSession, PaymoPublicUser } from '@paymo/auth-react';",
            '',
            'function Who() {',
            '  const { status, user } = usePaymoSession();',
            '  const session = useQuery(paymoSessionQueryOptions(usePaymoAuth())).data?.session;',
            '  const typed: PaymoPublicSession | null | undefined = session;',
            '  const who: PaymoPublicUser | undefined = typed?.user;',
            "  const failure = (error: unknown): PaymoAuthError | undefined => (isPaymoAuthError(error) ? error : undefined);",
            "  return <p>{status === 'authenticated' ? user.name : who?.name ?? String(failure(null))}</p>;",
            '}',
            '',
            "createRoot(document.getElementById('root')!).render(",
            '  <QueryClientProvider client={new QueryClient()}>',
            '    <PaymoAuthProvider>',
            '      <Who />',
            '    </PaymoAuthProvider>',
            '  </QueryClientProvider>,',
            ');',
            '',
          ].join('\n'),
        },
        ['@paymo/auth-core', '@paymo/auth-react'],
      );
      const typecheck = await run(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir })
        .catch((error: { stdout: string }) => error);
      expect(typecheck.stdout).toBe('');
      await run(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], { cwd: dir });
      expect(readFileSync(join(dir, 'dist/index.html'), 'utf8')).toContain('<script type="module"');
    });
  });

  // Next.js App Router: a SERVER layout renders <PaymoAuthProvider> and a SERVER page imports only
  // paymoAuthKeys. Without "use client" in auth-react's build this fails at "Collecting page data".
  it('a Next.js 16 App Router app builds with auth-react in a server layout and a server page', async () => {
    const dir = await createApp(
      'next-app-router',
      {
        dependencies: {
          next: '16.4.6', react: '19.3.1', 'react-dom': '19.3.1', '@tanstack/react-query': '5.108.4',
        },
        devDependencies: { '@types/react': '19.3.1', '@types/react-dom': '19.3.0', '@types/node': '20.19.43', typescript: '5.9.3' },
      },
      {
        'next.config.mjs': 'export default {};\n',
        'app/providers.tsx': [
          "'use client';",
          "import { QueryClient, QueryClientProvider } from '@tanstack/react-query';",
          "import { useState, type ReactNode } from 'react';",
          'export function Providers({ children }: { children: ReactNode }) {',
          '  const [client] = useState(() => new QueryClient());',
          '  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;',
          '}',
          '',
        ].join('\n'),
        'app/layout.tsx': [
          "import type { ReactNode } from 'react';",
          "import { PaymoAuthProvider } from '@paymo/auth-react';",
          "import { Providers } from './providers';",
          'export default function RootLayout({ children }: { children: ReactNode }) {',
          '  return (',
          '    <html lang="en"><body><Providers><PaymoAuthProvider>{children}</PaymoAuthProvider></Providers></body></html>',
          '  );',
          '}',
          '',
        ].join('\n'),
        'app/page.tsx': [
          "import { paymoAuthKeys } from '@paymo/auth-react';",
          'export default function Page() {',
          // Imported only (the build used to fail on the import). Calling it here would need a server-safe
          // entry: under "use client" the server sees a client reference, not the function.
          "  return <p>{paymoAuthKeys ? 'imported' : 'missing'}</p>;",
          '}',
          '',
        ].join('\n'),
      },
      ['@paymo/auth-core', '@paymo/auth-react'],
    );
    const build = await run(process.execPath, [join(dir, 'node_modules/next/dist/bin/next'), 'build'], {
      cwd: dir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      timeout: 180_000,
    }).catch((error: { stdout: string; stderr: string; code: number }) => error);
    expect('code' in build ? `${build.stdout}\n${build.stderr}` : '').toBe('');
  });
});
