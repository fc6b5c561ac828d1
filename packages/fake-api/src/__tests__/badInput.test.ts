import { describe, expect, it } from 'vitest';
import { adminKey, call, demoAccounts, rawGet, rawHttp, useFake } from './support.js';

const b64 = (bytes: string | Buffer) => Buffer.from(bytes).toString('base64');
const keyHeader = () => `Authorization: Basic ${b64(`${demoAccounts.admin.apiKey}:x`)}`;

describe('bad input never crashes the fake', () => {
  // Dozens of bad requests per test: the default quota (5 per 5 s) would answer 429 before the checks under test.
  const fake = useFake({ rateLimit: { scope: 'off' } });

  const unauthorized: Array<[string, string[]]> = [
    ['Authorization: Basic (no token)', ['Authorization: Basic']],
    ['Authorization: Basic with spaces only', ['Authorization: Basic    ']],
    ['Authorization: not base64', ['Authorization: Basic !!!!']],
    ['Authorization: base64 with a broken length', [`Authorization: Basic ${b64('michael@dundermifflin.com:worlds-best-boss').replace(/=+$/, '')}x`]],
    ['Authorization: base64url alphabet', [`Authorization: Basic ${b64('??>:??>').replace(/\+/g, '-').replace(/\//g, '_')}`]],
    ['Authorization: two tokens', [`Authorization: Basic ${b64('a:b')} ${b64('c:d')}`]],
    ['Authorization: no colon', [`Authorization: Basic ${b64(demoAccounts.admin.apiKey)}`]],
    ['Authorization: empty user part', [`Authorization: Basic ${b64(':worlds-best-boss')}`]],
    ['Authorization: invalid UTF-8', [`Authorization: Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0x78]))}`]],
    ['Authorization: NUL in the credentials', [`Authorization: Basic ${b64('michael@dundermifflin.com\u0000:worlds-best-boss')}`]],
    ['Authorization: newline in the credentials', [`Authorization: Basic ${b64(`${demoAccounts.admin.apiKey}:x\ny`)}`]],
    ['Authorization: Bearer scheme', ['Authorization: Bearer abcdef']],
    ['Authorization: Digest scheme', ['Authorization: Digest username="michael"']],
    ['Authorization: empty', ['Authorization: ']],
    ['Authorization: 10 KB', [`Authorization: Basic ${b64(`${demoAccounts.admin.apiKey}:${'x'.repeat(10_000)}`)}`]],
    ['Authorization: twice', [keyHeader(), keyHeader()]],
    ['X-Session: empty', ['X-Session: ']],
    ['X-Session: with a space', ['X-Session: abc def']],
    ['X-Session: non-ASCII', ['X-Session: caf\u00e9caf\u00e9']],
    ['X-Session: 10 KB', [`X-Session: ${'a'.repeat(10_000)}`]],
    ['X-Session: twice', ['X-Session: aaaa', 'X-Session: bbbb']],
    ['X-Session: SQL-ish', ["X-Session: ' OR 1=1 --"]],
  ];

  it.each(unauthorized)('%s -> 401 {"message"}', async (_name, headerLines) => {
    const response = await rawGet(fake(), '/api/me', headerLines);
    expect(response.status).toBe(401);
    expect(Object.keys(JSON.parse(response.body) as object)).toEqual(['message']);
    expect(response.headerLines).toContain('Content-Type: application/json');
    // Still serving:
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });

  it('the scheme name is case-insensitive (RFC 7617)', async () => {
    const response = await rawGet(fake(), '/api/me', [`Authorization: bAsIc ${b64(`${demoAccounts.admin.apiKey}:x`)}`]);
    expect(response.status).toBe(200);
  });

  it('error bodies never echo credentials', async () => {
    const secret = 'p4ssw0rd-that-must-not-leak';
    const response = await rawGet(fake(), '/api/me', [`Authorization: Basic ${b64(`${demoAccounts.admin.email}:${secret}`)}`]);
    expect(response.status).toBe(401);
    expect(response.body).not.toContain(secret);
    expect(response.body).not.toContain(demoAccounts.admin.email);
    const token = 'f'.repeat(32);
    const session = await rawGet(fake(), '/api/me', [`X-Session: ${token}`]);
    expect(session.body).not.toContain(token);
  });

  it('request headers over 64 KiB in total -> 431 {"message"}', async () => {
    const response = await rawGet(fake(), '/api/me', Array.from({ length: 70 }, (_, i) => `X-Filler-${i}: ${'z'.repeat(1000)}`));
    expect(response.status).toBe(431);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) });
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });

  it('a control character in a header value -> 400 {"message"} from the HTTP parser', async () => {
    const response = await rawGet(fake(), '/api/me', ['X-Session: abc\u0001def']);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) });
  });

  it('a garbage request line -> 400 {"message"}', async () => {
    const response = await rawHttp(fake(), 'HELLO THERE\r\n\r\n');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) });
  });

  it('an absolute-form request target -> 400 {"message"}', async () => {
    const response = await rawGet(fake(), `http://127.0.0.1:${fake().port}/api/me`, [keyHeader()]);
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) });
  });

  it('a Content-Length over the body limit -> 413 before the body is read', async () => {
    const response = await rawHttp(fake(), ['POST /api/sessions HTTP/1.1', 'Host: x', keyHeader(), 'Content-Length: 99999999999', '', 'abc'].join('\r\n'));
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({ message: expect.any(String) });
    expect(fake().sessions.list()).toHaveLength(0);
  });

  it('malformed percent-encoding or odd ids -> 404, a bad where -> 400, never 500', async () => {
    expect((await rawGet(fake(), '/api/sessions/%E0%A4%A', [keyHeader()])).status).toBe(404);
    expect((await rawGet(fake(), '/api/users/%ZZ', [keyHeader()])).status).toBe(404);
    expect((await call(fake(), '/users/1e3', { headers: adminKey() })).status).toBe(404);
    expect((await call(fake(), '/users/99999999999999999999', { headers: adminKey() })).status).toBe(404);
    expect((await call(fake(), '/users?where=%22', { headers: adminKey() })).status).toBe(400);
    expect((await call(fake(), `/users?where=${encodeURIComponent('id in (1,')}`, { headers: adminKey() })).status).toBe(400);
    expect((await call(fake(), `/users?where=${encodeURIComponent('name like (')}`, { headers: adminKey() })).status).toBe(200);
    expect(fake().requests.every((entry) => entry.status < 500)).toBe(true);
  });

  it('a client that hangs up mid-body does not disturb the fake', async () => {
    await rawHttp(fake(), ['POST /api/sessions HTTP/1.1', 'Host: x', 'Content-Length: 1000', '', 'only a little'].join('\r\n'));
    expect((await call(fake(), '/me', { headers: adminKey() })).status).toBe(200);
  });
});
