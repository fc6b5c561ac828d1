// A corpus of a few hundred strings that have broken parsers, routers and loggers elsewhere (in the
// spirit of the "big list of naughty strings", written here): every field an attacker controls is
// tried with each of them.

const reserved = [
  'undefined', 'null', 'NULL', 'nil', 'None', 'NaN', 'Infinity', '-Infinity', 'true', 'false', '__proto__', 'constructor',
  'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'then', '[object Object]', '{}', '[]', '""', "''",
];
const numbers = [
  '0', '-0', '1', '-1', '0.0', '1e309', '-1e309', '1e-400', '0x10', '0b101', '0o777', '1_000', '9007199254740993',
  '123456789012345678901234567890', '1/0', '0/0', '+1', '1.', '.1', '1e', '١٢٣', '１２３',
];
const whitespace = [
  '', ' ', '  ', '\t', '\n', '\r', '\r\n', '\v', '\f', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2028', '\u2029', '\u202f',
  '\u205f', '\u3000', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', ' a', 'a ', '\ta\t',
];
const control = Array.from({ length: 32 }, (_, i) => `a${String.fromCharCode(i)}b`).concat(['\u007f', 'a\u0000', '\u0000']);
const unicode = [
  'é', 'e\u0301', 'Ω', 'ß', 'İ', 'ı', 'ǅ', 'ﬁ', '𝕒𝕓𝕔', '😀', '👨‍👩‍👧‍👦', '🏳️‍🌈', '\ud83d', '\ude00', '\ud83d\ude00\ud83d', '\uffff', '\ufffe',
  '\u202etxt.exe', '\u202a\u202b\u202c', 'مرحبا', 'שלום', '你好', 'こんにちは', '안녕하세요', 'Здравствуйте',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', 'ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ', '田中さんにあげて下さい', '̡͓̞ͅI̗̘̦͝n͇͇͙v̮̫ok̲̫̙͈i̖͙̭̹̠̞n̡̻̮̣̺g̲͈͙̭͙̬͎',
  'ａｄｍｉｎ', 'аdmin', 'admın', '\u0130stanbul', 'Ⅻ', '⁰⁴⁵', '₀₁₂', 'ǆ',
];
const injection = [
  "' OR '1'='1", "' OR 1=1 --", '"; DROP TABLE users; --', "1; SELECT pg_sleep(10)", "admin'--", '1 UNION SELECT * FROM sessions',
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "javascript:alert(1)", '<svg/onload=alert(1)>',
  '{{7*7}}', '${7*7}', '#{7*7}', '<%= 7*7 %>', '${jndi:ldap://127.0.0.1/a}', '$(id)', '`id`', '; ls -la', '| cat /etc/passwd',
  '&& whoami', '%s%s%s%s%n', '%x%x%x', '%d', '%00', '%0d%0a', '%0d%0aSet-Cookie:%20a=b', '\r\nSet-Cookie: a=b',
  '\r\nX-Injected: 1', '\nLocation: http://evil.example', 'a\r\n\r\nHTTP/1.1 200 OK', '{"$gt": ""}', '{"$ne": null}',
  '[$ne]=1', '__proto__[admin]=1', 'constructor[prototype][admin]=1', '<!--', ']]>', '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
  '../../../../etc/passwd', '..\\..\\..\\windows\\win.ini', '%2e%2e%2f%2e%2e%2f', '..%2f..%2f', '%252e%252e%252f', '/etc/passwd%00.png',
  'file:///etc/passwd', 'http://127.0.0.1:22/', 'http://[::1]/', '//evil.example', '\\\\evil.example\\share', 'C:\\Windows',
  '/auth/session', '/auth/../auth/session', '/./auth/session', '%2Fauth%2Fsession', '?a=b&c=d', '#fragment', '*', '**', '@', ':',
];
const credentialShapes = [
  'admin@example.com', 'a@b', '@example.com', 'a@', 'a@@b', 'a@b@c', '"a b"@example.com', 'a+tag@example.com', 'A@EXAMPLE.COM',
  'a@[127.0.0.1]', 'a@xn--bcher-kva.example', 'a@bücher.example', 'Basic', 'Basic ', 'Basic ====', 'Basic YTpi', 'Bearer x',
  'basic YTpi', 'Basic YTpi YTpi', 'Basic !!!', 'Basic ' + 'A'.repeat(5000), 'Digest username="a"', 'Negotiate YII=', ':', '::', 'a:',
  ':b', 'a:b:c', 'YTpi', '=', '==', 'x-session', 'paymo.sid=', 'a=b; c=d', 'a;b', 'a,b', '"quoted"', "'single'", '\\', '\\\\',
  '/', '//', '.', '..', '...', '-', '--', '_', '~', '!', '$', '&', '(', ')', '+', ',', ';', '<', '>', '[', ']', '{', '}', '|', '^', '`',
];
const sizes = ['a'.repeat(256), 'a'.repeat(1024), 'a'.repeat(4096), 'é'.repeat(3000), '😀'.repeat(2000), 'a'.repeat(9000), '%'.repeat(500), '\\u0000'.repeat(100)];
const jsonish = [
  '{', '}', '[', '{"email":', '{"apiKey":null}', '{"apiKey":{"toString":1}}', '{"__proto__":{"admin":true}}', '[1,2,3]', '"string"',
  '1e1000', 'true', 'null', '{"a":' + '['.repeat(5000), '\u0000{}', '{}garbage', '{"email":"a","email":"b"}',
];

/** Every string of the corpus, deduplicated (a little over 400). */
export const naughtyStrings: readonly string[] = [
  ...new Set([...reserved, ...numbers, ...whitespace, ...control, ...unicode, ...injection, ...credentialShapes, ...sizes, ...jsonish]),
];
