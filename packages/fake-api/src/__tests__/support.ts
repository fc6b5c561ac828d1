import { connect } from 'node:net';
import { afterEach, beforeEach } from 'vitest';
import { createFakePaymo, type FakePaymo } from '../createFakePaymo.js';
import { demoAccounts } from '../demoAccounts.js';
import type { FakePaymoOptions } from '../options.js';

export { demoAccounts };

export const DAY_MS = 24 * 60 * 60 * 1000;

/** `Authorization: Basic` for user:pass. */
export function basic(user: string, pass: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}` };
}

export const adminPassword = () => basic(demoAccounts.admin.email, demoAccounts.admin.password);
export const adminKey = () => basic(demoAccounts.admin.apiKey, 'SOME_RANDOM_TEXT');
export const employeePassword = () => basic(demoAccounts.employee.email, demoAccounts.employee.password);
export const employeeKey = () => basic(demoAccounts.employee.apiKey, 'X');

/** A fresh fake for every test of the file (closed after each). */
export function useFake(options: FakePaymoOptions = {}): () => FakePaymo {
  let fake: FakePaymo | undefined;
  beforeEach(async () => {
    fake = await createFakePaymo(options);
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error('useFake: no fake outside a test');
    return fake;
  };
}

/** GET (or another method) against the fake, relative to `fake.url`. */
export function call(fake: FakePaymo, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${fake.url}${path}`, init);
}

/** POST /api/sessions with the given headers; returns the response and its parsed body. */
export async function createSession(fake: FakePaymo, headers: Record<string, string>) {
  const response = await call(fake, '/sessions', { method: 'POST', headers });
  const body = (await response.json()) as { sessions: Array<Record<string, unknown> & { id: string }> };
  return { response, body, token: body.sessions[0]?.id ?? '' };
}

export interface RawResponse {
  status: number;
  /** Header lines exactly as sent (name casing kept). */
  headerLines: string[];
  body: string;
}

/** Sends bytes exactly as given over a new socket (for requests fetch refuses to send) and reads to the end. */
export function rawHttp(fake: FakePaymo, request: string | Buffer): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(fake.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headerLines, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

/** A raw GET with the given extra header lines and `Connection: close`. */
export function rawGet(fake: FakePaymo, path: string, headerLines: string[] = []): Promise<RawResponse> {
  return rawHttp(fake, [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${fake.port}`, ...headerLines, 'Connection: close', '', ''].join('\r\n'));
}
