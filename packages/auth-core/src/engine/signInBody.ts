import type { PaymoCredential } from '../credentials.js';
import { PaymoAuthError } from '../errors.js';

const SHAPE = 'Send {"email": "...", "password": "..."} or {"apiKey": "..."}.';
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
const email = /^[^\s@:]+@[^\s@:]+$/;
const apiKey = /^[\x21-\x39\x3b-\x7e]+$/; // visible ASCII without ':' (Basic splits at the first colon)

function bad(message: string): PaymoAuthError {
  return new PaymoAuthError('BAD_REQUEST', message);
}

function stringField(body: Record<string, unknown>, name: string, maxLength: number): string {
  const value = body[name];
  if (typeof value !== 'string') throw bad(`"${name}" must be a string. ${SHAPE}`);
  if (value === '') throw bad(`"${name}" is empty.`);
  if (value.length > maxLength) throw bad(`"${name}" is longer than ${maxLength} characters.`);
  if (controlCharacter.test(value)) throw bad(`"${name}" contains a control character.`);
  return value;
}

/**
 * Validates the sign-in body strictly: exactly `{email, password}` or exactly `{apiKey}`, non-empty
 * strings of sane length without control characters. Messages name fields, never their values (and
 * never an unexpected field's name, which could itself be a pasted secret).
 */
export function parseSignInBody(body: unknown): PaymoCredential {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad(`The body must be a JSON object. ${SHAPE}`);
  const fields = body as Record<string, unknown>;
  const keys = Object.keys(fields);
  if (Object.hasOwn(fields, 'apiKey') && keys.length === 1) {
    const key = stringField(fields, 'apiKey', 256);
    if (!apiKey.test(key)) throw bad('"apiKey" must be visible ASCII characters without ":".');
    return { type: 'apiKey', apiKey: key };
  }
  if (Object.hasOwn(fields, 'email') && Object.hasOwn(fields, 'password') && keys.length === 2) {
    const address = stringField(fields, 'email', 254);
    if (!email.test(address)) throw bad('"email" is not a valid email address.');
    const password = stringField(fields, 'password', 1024);
    return { type: 'basic', email: address, password };
  }
  throw bad(`Unexpected or missing fields. ${SHAPE}`);
}
