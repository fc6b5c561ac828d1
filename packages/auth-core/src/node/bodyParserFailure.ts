import { PaymoAuthError } from '../errors.js';

/** The fields body-parser (used by `express.json()` and Nest) puts on its errors. */
interface BodyParserError {
  /** `entity.parse.failed`, `entity.too.large`, ...; absent on a body that does not inflate. */
  type?: string;
  /** `Z_DATA_ERROR` and friends: `Content-Encoding: gzip` on a body that is not gzip. */
  code?: string;
  status: number;
  /** The raw text, on `entity.parse.failed`. It may hold a password: it must never be logged. */
  body?: unknown;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const candidate = error as Partial<BodyParserError> | null;
  return (
    typeof candidate === 'object' && candidate !== null &&
    (typeof candidate.type === 'string' || (typeof candidate.code === 'string' && candidate.code.startsWith('Z_'))) &&
    typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500
  );
}

/**
 * What a body parser's error on an auth route means: the raw text it failed to parse (malformed JSON:
 * the engine parses it itself, with the route's checks), the typed error to answer (413, 415, 400), or
 * undefined when it is not a body parser's error. A parser that runs before the auth routes would
 * otherwise hand it to the framework's default handler: an HTML page, and the raw body (a password)
 * printed.
 */
export function bodyParserFailure(error: unknown, maxBodyBytes: number): string | PaymoAuthError | undefined {
  if (!isBodyParserError(error)) return undefined;
  if (error.type === 'entity.parse.failed' && typeof error.body === 'string') return error.body;
  if (error.status === 413) return new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBodyBytes} bytes.`);
  if (error.status === 415) return new PaymoAuthError('UNSUPPORTED_MEDIA_TYPE', 'The request body encoding or charset is not supported.');
  return new PaymoAuthError('BAD_REQUEST', 'The request body could not be read.');
}
