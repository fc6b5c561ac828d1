import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PaymoAuthOptions } from '@paymo/auth-core';

// Paths from the file path, not `new URL()`: under happy-dom the global URL is the DOM's.
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../../..');

/** A running auth server (Express + paymoAuth() over the fake Paymo API) in a child process. */
export interface AuthServer {
  /** `http://127.0.0.1:<port>`: the page's origin in the tests. */
  url: string;
  /** Replaces the engine by one with these options (JSON-serializable engine options; sessions are lost). */
  configure(options: Partial<PaymoAuthOptions>): Promise<void>;
  /** Calls a method of the fake Paymo API in the child, e.g. `fake('faults.inject', { status: 503 })`. */
  fake(path: string, ...args: unknown[]): Promise<unknown>;
  /** `METHOD /auth/...` of every auth request the server received since the last reset. */
  authRequests(): Promise<string[]>;
  resetAuthRequests(): Promise<void>;
  /** Stops accepting connections ("server down") / starts again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server (default engine options, sign-in rate limits raised for the tests). */
export async function startAuthServer(): Promise<AuthServer> {
  const child: ChildProcess = fork(resolve(here, 'authServer.ts'), {
    cwd: repoRoot,
    execArgv: ['--conditions=@paymo/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('auth server did not start in 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`auth server exited with ${code}`)));
    child.on('message', (message: { ready?: boolean; url?: string }) => {
      if (message.ready && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
  });

  let nextId = 0;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  child.on('message', (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  const call = (op: string, args: unknown[] = []) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, op, args });
    });

  return {
    url,
    configure: async (options) => void (await call('configure', [options])),
    fake: (path, ...args) => call('fake', [path, ...args]),
    authRequests: () => call('authRequests') as Promise<string[]>,
    resetAuthRequests: async () => void (await call('resetAuthRequests')),
    stop: async () => void (await call('stop')),
    start: async () => void (await call('start')),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
