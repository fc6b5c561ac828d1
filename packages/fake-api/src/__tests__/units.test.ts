// Unit tests of the pure pieces; the HTTP behaviour is covered over real HTTP in the other files.
import { describe, expect, it } from 'vitest';
import { acceptsJson } from '../accept.js';
import { parseBasicAuthorization } from '../auth.js';
import { createClock } from '../clock.js';
import { formatPaymoDate, parsePaymoDate } from '../format.js';
import { applyWhere } from '../where.js';

describe('formatPaymoDate / parsePaymoDate', () => {
  it('formats UTC with second precision and Z, dropping milliseconds', () => {
    expect(formatPaymoDate(Date.UTC(2015, 0, 16, 13, 54, 41, 999))).toBe('2015-01-16T13:54:41Z');
    expect(formatPaymoDate(new Date(0))).toBe('1970-01-01T00:00:00Z');
  });
  it('parses only the exact Paymo format', () => {
    expect(parsePaymoDate('2015-01-16T13:54:41Z')).toBe(Date.UTC(2015, 0, 16, 13, 54, 41));
    expect(parsePaymoDate('2015-01-16T13:54:41.000Z')).toBeNaN();
    expect(parsePaymoDate('2015-01-16')).toBeNaN();
  });
});

describe('createClock', () => {
  it('frozen: moves only by advance/set; reset goes back to startTime', () => {
    const clock = createClock({ startTime: 1_000, frozen: true });
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    clock.set(new Date(10_000));
    expect(clock.now()).toBe(10_000);
    clock.reset();
    expect(clock.now()).toBe(1_000);
    expect(() => clock.advance(Number.NaN)).toThrow(TypeError);
    expect(() => clock.set(new Date('nope'))).toThrow(TypeError);
  });
  it('running: follows the real time source from its start point', () => {
    let real = 100;
    const clock = createClock({ startTime: 5_000, realNow: () => real });
    real += 250;
    expect(clock.now()).toBe(5_250);
    clock.freeze();
    real += 1_000;
    expect(clock.now()).toBe(5_250);
    clock.unfreeze();
    real += 10;
    expect(clock.now()).toBe(5_260);
  });
});

describe('parseBasicAuthorization', () => {
  const encode = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;
  it('splits at the first colon, so passwords may hold colons', () => {
    expect(parseBasicAuthorization(encode('a@b.c:p:w'))).toEqual({ ok: true, username: 'a@b.c', password: 'p:w' });
    expect(parseBasicAuthorization(encode('key:'))).toEqual({ ok: true, username: 'key', password: '' });
    expect(parseBasicAuthorization(encode('ünïcødé:пароль'))).toEqual({ ok: true, username: 'ünïcødé', password: 'пароль' });
  });
  it('tells an unsupported scheme from a malformed Basic value', () => {
    expect(parseBasicAuthorization('Bearer x')).toEqual({ ok: false, problem: 'unsupported_scheme' });
    expect(parseBasicAuthorization('Basic')).toEqual({ ok: false, problem: 'malformed' });
    expect(parseBasicAuthorization('')).toEqual({ ok: false, problem: 'malformed' });
    expect(parseBasicAuthorization('Basic YQ')).toEqual({ ok: false, problem: 'malformed' });
  });
});

describe('acceptsJson', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['application/json', true],
    ['*/*', true],
    ['text/html,application/xhtml+xml,*/*;q=0.8', true],
    ['text/xml', false],
    ['application/json;q=0', false],
  ])('%s -> %s', (accept, expected) => {
    expect(acceptsJson(accept)).toBe(expected);
  });
});

describe('applyWhere', () => {
  const items = [
    { id: 1, name: 'Sample Project', active: true, price: 80, created_on: '2020-03-11T19:20:41Z', client: null },
    { id: 2, name: 'Other and more', active: false, price: 40, created_on: '2020-03-11T19:20:42Z', client: 5 },
  ];
  const ids = (where: string) => {
    const result = applyWhere(items, where);
    return result.ok ? result.items.map((item) => item.id) : result.message;
  };
  it('quoted values may contain " and " and spaces', () => {
    expect(ids('name="Other and more"')).toEqual([2]);
    expect(ids("name='Sample Project' and active=true")).toEqual([1]);
  });
  it('like is case-insensitive containment, % is a wildcard', () => {
    expect(ids('name like sample')).toEqual([1]);
    expect(ids('name like %more')).toEqual([2]);
    expect(ids('name like S%t')).toEqual([1]);
  });
  it('datetimes compare as unix timestamps, booleans as true/false or 1/0, null as null', () => {
    expect(ids('created_on>1583954441')).toEqual([2]);
    expect(ids('created_on<=1583954441')).toEqual([1]);
    expect(ids('active=1')).toEqual([1]);
    expect(ids('client=null')).toEqual([1]);
  });
  it('an empty where keeps everything; errors name the problem', () => {
    expect(ids('')).toEqual([1, 2]);
    expect(ids('colour=red')).toMatch(/Unknown field/);
    expect(ids('price>cheap')).toMatch(/Invalid value/);
    expect(ids('id ~ 3')).toMatch(/Invalid where/);
  });
});
