import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { demoAccounts } from '@paymo/fake-api';
import { expressVersions, startStack, type Stack } from './harness.js';

const { admin } = demoAccounts;
const password = 'hunter2-never-printed';
// Express 5 prints an unhandled error after the response has gone out: let it happen before looking.
const settled = () => new Promise((resolve) => setTimeout(resolve, 50));

describe.each(expressVersions)('express.json() registered before paymoAuth() on %s', (_name, lib) => {
  let stack: Stack;
  let spies: MockInstance[];
  let stderr: string[];
  const printed = () =>
    [...spies.flatMap((spy) => spy.mock.calls.map((args) => args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '))), ...stderr].join('\n');

  beforeEach(async () => {
    stderr = [];
    spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) => vi.spyOn(console, level));
    const write = process.stderr.write.bind(process.stderr);
    spies.push(
      vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown, ...rest: unknown[]) => {
        stderr.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }),
    );
    stack = await startStack(lib, {
      before: (app) => {
        // Express prints unhandled errors outside NODE_ENV=test (vitest's): show what production does.
        app.set('env', 'development');
        app.use(lib.json());
      },
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await stack.close();
  });

  it('answers truncated JSON to sign-in with the typed 400 JSON, and prints nothing of the body', async () => {
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('Content-Type', 'application/json')
      .send(`{"email":"${admin.email}","password":"${password}`)
      .expect(400)
      .expect('Content-Type', /application\/json/);
    expect(res.body).toEqual({ error: { code: 'BAD_REQUEST', message: expect.any(String) } });
    expect(res.text).not.toContain(password);
    await settled();
    expect(printed()).not.toContain(password);
  });

  it('answers a body over the parser limit with the typed 413', async () => {
    const res = await request(stack.server)
      .post('/auth/sign-in')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: admin.email, password: password + 'x'.repeat(200_000) }))
      .expect(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
    await settled();
    expect(printed()).not.toContain(password);
  });

  it('still signs in with a well-formed body the parser already read', async () => {
    const res = await request(stack.server).post('/auth/sign-in').send({ email: admin.email, password: admin.password }).expect(200);
    expect(res.body.session.user.id).toBe(admin.id);
  });

  it("leaves a parser error on the app's own routes to the app's error handlers", async () => {
    spies[3]!.mockImplementation(() => undefined); // console.error: Express prints that error, as it should
    const res = await request(stack.server).post('/api/me').set('Content-Type', 'application/json').send('{"broken":').expect(400);
    expect(res.headers['content-type']).toMatch(/text\/html/); // Express's own answer, untouched
    await settled();
    expect(spies[3]!.mock.calls.length).toBeGreaterThan(0); // and it printed it: the capture works
  });
});
