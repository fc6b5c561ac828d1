import { describe, expect, it } from 'vitest';
import { credentialHeaders, parseRequestCredential, isPaymoAuthError } from '@paymo/auth-core';
import type { PaymoCredential } from '@paymo/auth-core';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const headers = (entries: Record<string, string>) => new Headers(entries);
const apiKey = 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0nOp3r'; // 44 alphanumerics, like Paymo's
const token = '9762c607ec2b5d9e13c423cbafeb7ec8';

function parseError(entries: Record<string, string>, options?: Parameters<typeof parseRequestCredential>[1]) {
  try {
    parseRequestCredential(headers(entries), options);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('parseRequestCredential: accepted inputs', () => {
  const cases: Array<[string, Record<string, string>, PaymoCredential | null]> = [
    ['no headers', {}, null],
    ['email and password', { authorization: `Basic ${b64('michael@dundermifflin.com:worlds-best-boss')}` },
      { type: 'basic', email: 'michael@dundermifflin.com', password: 'worlds-best-boss' }],
    ['scheme in any case', { authorization: `bAsIc ${b64('a@b.c:pw')}` }, { type: 'basic', email: 'a@b.c', password: 'pw' }],
    ['several spaces after the scheme', { authorization: `Basic   ${b64('a@b.c:pw')}` }, { type: 'basic', email: 'a@b.c', password: 'pw' }],
    ['password with colons', { authorization: `Basic ${b64('a@b.c:p:w::')}` }, { type: 'basic', email: 'a@b.c', password: 'p:w::' }],
    ['UTF-8 password', { authorization: `Basic ${b64('a@b.c:pässwörd ☃')}` }, { type: 'basic', email: 'a@b.c', password: 'pässwörd ☃' }],
    ['API key, any password', { authorization: `Basic ${b64(`${apiKey}:SOME_RANDOM_TEXT`)}` }, { type: 'apiKey', apiKey }],
    ['API key, empty password', { authorization: `Basic ${b64(`${apiKey}:`)}` }, { type: 'apiKey', apiKey }],
    ['X-Session', { 'x-session': token }, { type: 'session', token }],
    ['the docs example token', { 'x-session': 'abcdef01234567890' }, { type: 'session', token: 'abcdef01234567890' }],
    ['a foreign scheme is ignored', { authorization: 'Bearer eyJhbGciOi.x.y' }, null],
    ['both: X-Session wins', { 'x-session': token, authorization: `Basic ${b64(`${apiKey}:X`)}` }, { type: 'session', token }],
  ];
  it.each(cases)('%s', (_name, entries, expected) => {
    expect(parseRequestCredential(headers(entries)).credential).toEqual(expected);
  });

  it('prefers Basic when asked, and ignores disabled headers entirely', () => {
    const both = headers({ 'x-session': token, authorization: `Basic ${b64(`${apiKey}:X`)}` });
    expect(parseRequestCredential(both, { prefer: 'basic' }).credential).toEqual({ type: 'apiKey', apiKey });
    expect(parseRequestCredential(both, { sessionHeader: false }).credential).toEqual({ type: 'apiKey', apiKey });
    expect(parseRequestCredential(headers({ 'x-session': 'garbage!' }), { sessionHeader: false }).credential).toBeNull();
    expect(parseRequestCredential(headers({ authorization: 'Basic %%%' }), { basic: false }).credential).toBeNull();
  });

  it('round-trips what credentialHeaders produces', () => {
    const credentials: PaymoCredential[] = [
      { type: 'basic', email: 'jan@dundermifflin.com', password: 'serenity: by jan' },
      { type: 'apiKey', apiKey },
      { type: 'session', token },
    ];
    for (const credential of credentials) {
      expect(parseRequestCredential(new Headers(credentialHeaders(credential))).credential).toEqual(credential);
    }
  });
});

describe('parseRequestCredential: malformed inputs are MALFORMED_CREDENTIALS, never anything else', () => {
  const secret = 'hunter2-secret';
  const cases: Array<[string, Record<string, string>]> = [
    ['empty Authorization', { authorization: '' }],
    ['scheme only', { authorization: 'Basic' }],
    ['scheme and spaces', { authorization: 'Basic    ' }],
    ['no space after scheme', { authorization: `Basic:${b64('a@b.c:pw')}` }],
    ['tab after scheme', { authorization: `Basic\t${b64('a@b.c:pw')}` }],
    ['garbage base64', { authorization: 'Basic %%%%' }],
    ['base64url alphabet', { authorization: `Basic ${b64('a@b.c:pw?>>').replace(/\+/g, '-').replace(/\//g, '_')}` }],
    ['missing padding', { authorization: `Basic ${b64('a@b.c:pw').replace(/=+$/, '')}` }],
    ['non-canonical padding bits', { authorization: 'Basic YWJjOmR=' }],
    ['whitespace inside base64', { authorization: `Basic ${b64('a@b.c:password').slice(0, 4)} ${b64('a@b.c:password').slice(4)}` }],
    ['invalid UTF-8', { authorization: `Basic ${Buffer.from([0x61, 0x40, 0x62, 0x3a, 0xff, 0xfe]).toString('base64')}` }],
    ['no colon', { authorization: `Basic ${b64('michael@dundermifflin.com')}` }],
    ['empty username', { authorization: `Basic ${b64(`:${secret}`)}` }],
    ['email with empty password', { authorization: `Basic ${b64('a@b.c:')}` }],
    ['NUL in password', { authorization: `Basic ${b64(`a@b.c:${secret}\u0000`)}` }],
    ['newline in username', { authorization: `Basic ${b64(`a@b.c\n:${secret}`)}` }],
    ['DEL character', { authorization: `Basic ${b64(`a@b.c:${secret}\u007f`)}` }],
    ['C1 control character', { authorization: `Basic ${b64(`a@b.c:${secret}\u0085`)}` }],
    ['email without a domain', { authorization: `Basic ${b64(`a@:${secret}`)}` }],
    ['two @ in the username', { authorization: `Basic ${b64(`a@b@c:${secret}`)}` }],
    ['space in an API key', { authorization: `Basic ${b64(`abc def:${secret}`)}` }],
    ['non-ASCII API key', { authorization: `Basic ${b64(`clé:${secret}`)}` }],
    ['API key too long', { authorization: `Basic ${b64(`${'k'.repeat(257)}:X`)}` }],
    ['email too long', { authorization: `Basic ${b64(`${'a'.repeat(250)}@b.cd:${secret}`)}` }],
    ['Authorization over 4 KiB', { authorization: `Basic ${b64(`a@b.c:${'p'.repeat(4000)}`)}` }],
    ['duplicated Authorization (joined by Headers)', { authorization: `Basic ${b64('a@b.c:pw')}, Basic ${b64('d@e.f:pw')}` }],
    ['empty X-Session', { 'x-session': '' }],
    ['short X-Session', { 'x-session': 'abc' }],
    ['X-Session with a space', { 'x-session': `${token} ${token}` }],
    ['X-Session with a quote', { 'x-session': `${token}"` }],
    ['X-Session non-ASCII', { 'x-session': `${token}é` }],
    ['X-Session over the limit', { 'x-session': 'a'.repeat(5000) }],
    ['duplicated X-Session (joined by Headers)', { 'x-session': `${token}, ${token}` }],
    ['good X-Session but broken Basic', { 'x-session': token, authorization: 'Basic !!!' }],
    ['good Basic but broken X-Session', { 'x-session': 'no', authorization: `Basic ${b64(`${apiKey}:X`)}` }],
  ];
  it.each(cases)('%s', (_name, entries) => {
    const error = parseError(entries);
    expect(isPaymoAuthError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'MALFORMED_CREDENTIALS', status: 400 });
    expect((error as Error).message).not.toContain(secret);
  });

  it('honours a smaller maxHeaderLength', () => {
    expect(parseError({ 'x-session': token }, { maxHeaderLength: 31 })).toMatchObject({ code: 'MALFORMED_CREDENTIALS' });
    expect(parseRequestCredential(headers({ 'x-session': token }), { maxHeaderLength: 32 }).credential).not.toBeNull();
  });

  it('turns a throwing header reader into MALFORMED_CREDENTIALS too', () => {
    const hostile = { get(): string | null { throw new RangeError('boom'); } };
    expect(() => parseRequestCredential(hostile)).toThrow(expect.objectContaining({ code: 'MALFORMED_CREDENTIALS' }));
  });
});

describe('credentialHeaders', () => {
  it('builds Basic with UTF-8 for email/password, the filler password for API keys, X-Session for tokens', () => {
    expect(credentialHeaders({ type: 'basic', email: 'a@b.c', password: 'pä:ss' })).toEqual({
      Authorization: `Basic ${b64('a@b.c:pä:ss')}`,
    });
    expect(credentialHeaders({ type: 'apiKey', apiKey })).toEqual({ Authorization: `Basic ${b64(`${apiKey}:X`)}` });
    expect(credentialHeaders({ type: 'session', token })).toEqual({ 'X-Session': token });
  });

  const bad: Array<[string, PaymoCredential]> = [
    ['empty email', { type: 'basic', email: '', password: 'x' }],
    ['empty password', { type: 'basic', email: 'a@b.c', password: '' }],
    ['colon in email', { type: 'basic', email: 'a:b@c.d', password: 'hunter2-secret' }],
    ['CR/LF in password', { type: 'basic', email: 'a@b.c', password: 'hunter2-secret\r\nX-Evil: 1' }],
    ['colon in API key', { type: 'apiKey', apiKey: 'hunter2-secret:x' }],
    ['empty API key', { type: 'apiKey', apiKey: '' }],
    ['header injection in token', { type: 'session', token: 'hunter2-secret\r\nX-Evil: 1' }],
    ['unknown type', { type: 'oauth' } as unknown as PaymoCredential],
  ];
  it.each(bad)('rejects %s with MALFORMED_CREDENTIALS and no secret in the message', (_name, credential) => {
    let error: unknown;
    try {
      credentialHeaders(credential);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'MALFORMED_CREDENTIALS' });
    expect((error as Error).message).not.toContain('hunter2');
  });
});
