import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { PaymoAuthErrorCode } from '@paymo/auth-core';
import { startNest, type NestStack } from './harness.js';

const { admin } = demoAccounts;
const codes = new Set<string>(Object.values(PaymoAuthErrorCode));

interface Entry {
  name: string;
  path: string;
  headers?: Record<string, string>;
  /** A raw string body (sent as is) or a value sent as JSON. */
  body?: unknown;
  raw?: string;
  secret?: string;
  status: number;
}

// Bodies Nest's own body parser sees before the auth routes do: the answers must still be the engine's.
const table: Entry[] = [
  { name: 'invalid JSON', path: '/auth/sign-in', raw: `{"email":"${admin.email}","password":"broken-json-secret`, headers: { 'Content-Type': 'application/json' }, secret: 'broken-json-secret', status: 400 },
  { name: 'JSON array', path: '/auth/sign-in', body: [admin.email, 'array-secret'], secret: 'array-secret', status: 400 },
  { name: 'JSON null', path: '/auth/sign-in', raw: 'null', headers: { 'Content-Type': 'application/json' }, status: 400 },
  { name: 'wrong types', path: '/auth/sign-in', body: { email: 123, password: { value: 'obj-secret' } }, secret: 'obj-secret', status: 400 },
  { name: 'over the engine cap, under the parser cap', path: '/auth/sign-in', body: { email: admin.email, password: 'p'.repeat(20_000) }, secret: 'p'.repeat(64), status: 413 },
  { name: 'over the parser cap', path: '/auth/sign-in', body: { email: admin.email, password: 'q'.repeat(1_000_000) }, secret: 'q'.repeat(64), status: 413 },
  { name: 'form encoded', path: '/auth/sign-in', raw: 'apiKey=form-secret', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, secret: 'form-secret', status: 415 },
  { name: 'text/plain', path: '/auth/sign-in', raw: JSON.stringify({ apiKey: 'plain-secret' }), headers: { 'Content-Type': 'text/plain' }, secret: 'plain-secret', status: 415 },
];

describe('bad input to the auth routes behind Nest body parsing', () => {
  let stack: NestStack;
  beforeAll(async () => {
    stack = await startNest();
  });
  afterAll(() => stack.close());

  it.each(table)('$name -> $status with a typed code, nothing leaked', async (entry) => {
    let req = request(stack.server).post(entry.path);
    for (const [name, value] of Object.entries(entry.headers ?? {})) req = req.set(name, value);
    const res = await (entry.raw !== undefined ? req.send(entry.raw) : req.send(entry.body as object));
    expect(res.status).toBe(entry.status);
    expect(Object.keys(res.body)).toEqual(['error']);
    expect(codes.has(res.body.error.code)).toBe(true);
    if (entry.secret) expect(res.text).not.toContain(entry.secret);
  });
});
