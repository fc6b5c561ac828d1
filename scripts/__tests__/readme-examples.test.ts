// Every ```ts / ```tsx block of every README is compiled (issue 11), so an example cannot rot. A block
// is compiled as its own module, next to the package it documents (so `@paymo/...` and the frameworks
// resolve as they do for that package), with the repository's strict settings. A block that continues an
// earlier one says so with an HTML comment right above it, which the test prepends and readers do not see:
//   <!-- readme-prelude: import { createPaymoAuth } from '@paymo/auth-core'; const auth = createPaymoAuth(); -->
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakePaymo, defaultSeed, demoAccounts, type FakePaymo } from '../../packages/fake-api/src/index.js'; // the root has no workspace deps

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Block {
  readme: string;
  line: number;
  lang: 'ts' | 'tsx';
  code: string;
}

/** The ts/tsx fences of one README, each with the prelude comment directly above it, if any. */
export function extractBlocks(readme: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(ts|tsx)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
    const prelude = /^<!--\s*readme-prelude:([\s\S]*?)-->\s*$/.exec(lines[start - 1] ?? '')?.[1]?.trim();
    blocks.push({ readme, line: start + 1, lang: open[1] as 'ts' | 'tsx', code: `${prelude ? `${prelude}\n` : ''}${body.join('\n')}\n` });
  }
  return blocks;
}

const readmes = ['README.md', ...['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group)).map((dir) => join(group, dir, 'README.md')))].filter((file) => existsSync(join(root, file)));
const blocks = readmes.flatMap((readme) => extractBlocks(readme, readFileSync(join(root, readme), 'utf8')));
const frameworkDirs = ['auth-express', 'auth-nestjs', 'auth-react', 'auth-redis'].map((name) => `packages/${name}/node_modules`)
  .concat('node_modules');
const scratchDirs = new Set<string>();
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** Where a block is written: next to the README it comes from, so the package's own deps resolve. */
function fileOf(block: Block): string {
  return join(root, dirname(block.readme), '.readme-examples', `line-${block.line}.${block.lang}`);
}

let compiled: ts.Program | undefined;
/** One program for every block (each its own module): one type-check of the workspace, not one per block. */
function program(): ts.Program {
  if (compiled) return compiled;
  for (const block of blocks) {
    const file = fileOf(block);
    scratchDirs.add(dirname(file));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code);
  }
  compiled = ts.createProgram(blocks.map(fileOf), {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      customConditions: ['@paymo/source'],
      moduleDetection: ts.ModuleDetectionKind.Force,
      strict: true,
      noUncheckedIndexedAccess: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      jsx: ts.JsxEmit.ReactJSX,
      types: ['node'],
      // Every README sees every package and framework, wherever it lives in the workspace.
      baseUrl: root,
      paths: {
        '@paymo/auth-core/node': ['packages/auth-core/src/node/index.ts'],
        '@paymo/auth-core/testing': ['packages/auth-core/src/testing/index.ts'],
        '@paymo/*': ['packages/*/src/index.ts'],
        '*': frameworkDirs.flatMap((dir) => [`${dir}/@types/*`, `${dir}/*`]),
      },
      // The Nest examples use decorators as `nest new` sets them up.
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    });
  return compiled;
}

describe('README examples', () => {
  it('finds the examples (a parser that finds none would pass everything)', () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it.each(blocks.map((block) => [`${block.readme}:${block.line}`, block] as const))('%s compiles', (_where, block) => {
    const file = fileOf(block);
    const diagnostics = program().getSemanticDiagnostics(program().getSourceFile(file)).concat(
      program().getSyntacticDiagnostics(program().getSourceFile(file)));
    const messages = diagnostics.map((d) => {
      const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0;
      return `${block.readme}:${block.line + at}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(messages).toEqual([]);
  });
});

/** A port nothing listens on right now, for a README program that listens on a fixed one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

// The first example of these READMEs is a complete server: run it (with tsx, against the BUILT packages,
// as a user's app would import them) on the fake Paymo, sign in as the README says, then make Paymo fail.
describe.each([
  { readme: 'packages/auth-core/README.md', path: '/' },
  { readme: 'packages/auth-express/README.md', path: '/api/clients' },
])('the first example of $readme, run against the fake Paymo', ({ readme, path }) => {
  let fake: FakePaymo;
  let child: ChildProcess;
  let output = '';
  let base = '';

  beforeAll(async () => {
    // Looser than Paymo's 5/5 s: this test is about the example's error handling, not the quota.
    fake = await createFakePaymo({ rateLimit: { limit: 1000, decayPeriodSeconds: 10 } });
    const block = blocks.find((candidate) => candidate.readme === readme)!;
    expect(block.code).toContain('.listen(3000)');
    const port = await freePort();
    const file = fileOf({ ...block, line: 0 });
    scratchDirs.add(dirname(file));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, block.code.replace('.listen(3000)', `.listen(${port}, '127.0.0.1')`));
    child = spawn(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), file], {
      cwd: dirname(file),
      env: { ...process.env, PAYMO_API_URL: fake.url, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    base = `http://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`the example exited (${child.exitCode}):\n${output}`);
      try {
        await fetch(`${base}/auth/session`);
        break;
      } catch {
        if (attempt > 200) throw new Error(`the example did not listen within 20 s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }, 40_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    await fake?.close();
  });

  it('signs in with the demo credentials, calls Paymo as the user, and answers a failing Paymo with typed JSON, staying up', async () => {
    const signIn = await fetch(`${base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoAccounts.admin.email, password: demoAccounts.admin.password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');

    const ok = await fetch(`${base}${path}`, { headers: { cookie } });
    expect(ok.status).toBe(200);
    expect(JSON.stringify(await ok.json())).toContain(defaultSeed().clients[0]!.name);

    fake.faults.inject({ status: 503, path: '/api/clients' });
    // The user's client shares an identical GET's answer for a moment after it arrives (the quota
    // budget's answer sharing): wait it out, so the next call reaches the failing Paymo.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const failed = await fetch(`${base}${path}`, { headers: { cookie, accept: 'application/json' } });
    expect(failed.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await failed.json()) as { error?: { code?: string } };
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(body.error?.code).toMatch(/^UPSTREAM_/);
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.ts:/);

    fake.faults.clear();
    const again = await fetch(`${base}${path}`, { headers: { cookie } });
    expect(again.status, `the example died after Paymo failed:\n${output}`).toBe(200);
    expect(child.exitCode).toBeNull();
  });
});
