#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFakePaymo, type FakePaymo } from './createFakePaymo.js';
import { demoAccounts } from './demoAccounts.js';
import type { FakePaymoOptions, RateLimitHeaderCase, RateLimitScope } from './options.js';
import { defaultSeed, type FakePaymoSeed } from './seed.js';

/** The `paymo-fake --help` text.
 *
 * @example
 * process.stdout.write(cliUsage);
 */
export const cliUsage = `Usage: paymo-fake [options]

A local fake of the Paymo REST API (https://app.paymoapp.com/api) for tests and demos.

Options:
  -p, --port <port>                 port to listen on (default 4010; 0 picks a free one)
      --host <host>                 host to listen on (default 127.0.0.1)
      --rate-limit <n>              requests per window per user (default 5)
      --decay-period <seconds>      rate-limit window length (default 5)
      --rate-limit-key <key>        user (default: per Paymo user whatever credential), credential, ip,
                                    or off (never 429)
      --rate-limit-headers <case>   lower (default: x-ratelimit-*) or docs (X-Ratelimit-*)
      --session-lifetime <seconds>  session lifetime (default 2678400 = 31 days)
      --create-session-status <s>   201 (default, with Location) or 200 for POST /api/sessions
      --start-time <iso>            start the fake clock at this time (default: now)
      --seed <file.json>            seed data: a JSON object whose parts (users, company, clients, projects,
                                    tasklists, tasks, entries, hooks, sessions) replace the default ones
      --control-path <prefix>       HTTP test-control API under this path (default /__control; "off": none)
      --delete-body <empty|object>  body of a 200 on DELETE (default empty)
      --location-header <absolute|path>  Location of a 201 (default absolute)
  -q, --quiet                       do not print a line per request
  -h, --help                        show this help
`;

/** Where {@link runCli} writes (stdout/stderr by default). */
export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

function integer(value: string | undefined, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) throw new Error(`--${name} must be an integer >= ${min}`);
  return Number(value);
}

/**
 * Turns command-line arguments into fake options, or `'help'`. Throws an Error with a usage message on bad input.
 *
 * @example
 * parseCliArgs(['--port', '0', '--rate-limit', '5']); // { port: 0, host: '127.0.0.1', rateLimit: { limit: 5, ... }, ... }
 */
export function parseCliArgs(argv: string[]): FakePaymoOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'rate-limit': { type: 'string' },
      'decay-period': { type: 'string' },
      'rate-limit-key': { type: 'string' },
      'rate-limit-headers': { type: 'string' },
      'session-lifetime': { type: 'string' },
      'create-session-status': { type: 'string' },
      'start-time': { type: 'string' },
      seed: { type: 'string' },
      'control-path': { type: 'string' },
      'delete-body': { type: 'string' },
      'location-header': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const port = integer(values.port, 'port', 0) ?? 4010;
  if (port > 65535) throw new Error('--port must be at most 65535');
  const status = values['create-session-status'];
  if (status !== undefined && status !== '201' && status !== '200') throw new Error('--create-session-status must be 201 or 200');
  const startTime = values['start-time'] === undefined ? undefined : Date.parse(values['start-time']);
  if (startTime !== undefined && Number.isNaN(startTime)) throw new Error('--start-time must be an ISO 8601 date');
  const lifetime = integer(values['session-lifetime'], 'session-lifetime', 1);
  const scope = values['rate-limit-key'];
  if (scope !== undefined && !['user', 'credential', 'ip', 'off'].includes(scope)) throw new Error('--rate-limit-key must be user, credential, ip or off');
  const headerCase = values['rate-limit-headers'];
  if (headerCase !== undefined && headerCase !== 'lower' && headerCase !== 'docs') throw new Error('--rate-limit-headers must be lower or docs');
  return {
    port,
    host: values.host ?? '127.0.0.1',
    rateLimit: {
      limit: integer(values['rate-limit'], 'rate-limit', 1),
      decayPeriodSeconds: integer(values['decay-period'], 'decay-period', 1),
      scope: scope as RateLimitScope | undefined,
      headerCase: headerCase as RateLimitHeaderCase | undefined,
    },
    sessionLifetimeMs: lifetime === undefined ? undefined : lifetime * 1000,
    createSessionStatus: status === undefined ? undefined : status === '200' ? 200 : 201,
    startTime,
    ...serverOptions(values),
  };
}

function choice<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw new Error(`--${name} must be ${allowed.join(' or ')}`);
  return value as T;
}

/** The seed, control-API and answer-shape flags (kept apart from the quota flags above). */
function serverOptions(values: Record<string, string | boolean | undefined>): FakePaymoOptions {
  const control = values['control-path'] as string | undefined;
  if (control !== undefined && control !== 'off' && !/^\/[A-Za-z0-9_-]+$/.test(control)) throw new Error("--control-path must look like /__control, or be 'off'");
  const options: FakePaymoOptions = {
    controlPath: control === 'off' ? false : (control ?? '/__control'),
    deleteBody: choice(values['delete-body'] as string | undefined, ['empty', 'object'] as const, 'delete-body'),
    locationHeader: choice(values['location-header'] as string | undefined, ['absolute', 'path'] as const, 'location-header'),
  };
  // One flag, one meaning: DELETE /api/sessions/:id answers like every other DELETE.
  if (options.deleteBody) options.deleteSessionBody = options.deleteBody;
  const file = values.seed as string | undefined;
  if (file !== undefined) {
    let seed: unknown;
    try {
      seed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`--seed ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof seed !== 'object' || seed === null || Array.isArray(seed)) throw new Error(`--seed ${file}: must hold a JSON object`);
    const unknown = Object.keys(seed).filter((part) => !(part in defaultSeed()));
    if (unknown.length > 0) throw new Error(`--seed ${file}: unknown part ${unknown.join(', ')}`);
    options.seed = seed as Partial<FakePaymoSeed>;
  }
  return options;
}

/**
 * The banner: where the fake listens and the demo credentials table.
 *
 * @example
 * console.log(describeFake(fake.url));
 */
export function describeFake(url: string, controlUrl?: string): string {
  const rows = Object.entries(demoAccounts).map(([role, account]) => [
    role,
    String(account.id),
    account.name,
    account.email,
    account.password,
    account.apiKey,
    'active' in account ? `${account.type}, archived (refused)` : account.type,
  ]);
  const table = [['account', 'id', 'name', 'email', 'password', 'API key', 'type'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const lines = table.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ')}`.trimEnd());
  return [
    `Fake Paymo API listening on ${url}`,
    '',
    'Demo credentials (public test fixtures, never real secrets):',
    ...lines,
    '',
    `Try: curl -u ${demoAccounts.admin.apiKey}:X -H 'Accept: application/json' ${url}/me`,
    ...(controlUrl ? [`Test control: curl -X POST ${controlUrl}/reset  (see the README for every command)`] : []),
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

/**
 * Runs the `paymo-fake` command: starts the fake and prints its URL and the demo credentials. Resolves
 * to the running fake (`undefined` after `--help`); rejects with a message on bad arguments.
 *
 * @example
 * const fake = await runCli(['--port', '0', '--quiet']);
 * await fake?.close();
 */
export async function runCli(argv: string[] = process.argv.slice(2), output: CliOutput = defaultOutput): Promise<FakePaymo | undefined> {
  const parsed = parseCliArgs(argv);
  if (parsed === 'help') {
    output.out(cliUsage);
    return undefined;
  }
  const quiet = argv.includes('--quiet') || argv.includes('-q');
  const fake = await createFakePaymo({ ...parsed, log: quiet ? false : (line) => output.out(`${line}\n`) });
  output.out(describeFake(fake.url, parsed.controlPath ? `${fake.origin}${parsed.controlPath}` : undefined));
  return fake;
}

async function main(): Promise<void> {
  let fake: FakePaymo | undefined;
  try {
    fake = await runCli();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') || /^--/.test(message);
    process.stderr.write(`paymo-fake: ${message}\n${usage ? `\n${cliUsage}` : ''}`);
    process.exit(usage ? 2 : 1);
  }
  if (!fake) return;
  const running = fake;
  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`\n${signal}: stopping the fake Paymo API\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) void main();
