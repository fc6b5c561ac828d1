import { PaymoAuthError } from '../errors.js';

const strictUtf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const utf8 = /* @__PURE__ */ new TextEncoder();

function tooLarge(maxBytes: number): PaymoAuthError {
  return new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}

function badRequest(message: string): PaymoAuthError {
  return new PaymoAuthError('BAD_REQUEST', message);
}

/**
 * Reads a JSON body of at most `maxBytes`: a declared Content-Length over the cap is refused before
 * reading anything, and a stream that grows past it is cancelled. Rejects with PAYLOAD_TOO_LARGE (413)
 * or BAD_REQUEST (400: empty, not UTF-8, not JSON); never with anything else.
 */
export async function readJsonBody(request: Request, maxBytes: number, parsedBody?: unknown): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  // Content-Length measures what was sent: a compressed body may inflate past the cap.
  const unmeasured = declared === null || request.headers.get('content-encoding') !== null;
  if (parsedBody !== undefined && request.body === null) return alreadyRead(parsedBody, unmeasured, maxBytes);
  if (request.body === null) throw badRequest('The request body is empty.');

  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        void reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PaymoAuthError) throw error;
    throw badRequest('The request body could not be read.');
  }

  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return parseJson(bytes);
}

/**
 * A body a framework's parser read (see `PaymoRequestContext.parsedBody`): text or bytes are parsed
 * here; an object is used as is, measured only when no Content-Length capped it (a chunked body).
 */
function alreadyRead(parsedBody: unknown, unmeasured: boolean, maxBytes: number): unknown {
  if (typeof parsedBody === 'string' || parsedBody instanceof Uint8Array) {
    const bytes = typeof parsedBody === 'string' ? utf8.encode(parsedBody) : parsedBody;
    if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
    return parseJson(bytes);
  }
  let size: number;
  try {
    size = unmeasured ? utf8.encode(JSON.stringify(parsedBody) ?? '').byteLength : 0;
  } catch {
    throw badRequest('The request body could not be read.'); // e.g. a reviver that made BigInts
  }
  if (size > maxBytes) throw tooLarge(maxBytes);
  return parsedBody;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw badRequest('The request body is not valid UTF-8.');
  }
  if (text.trim() === '') throw badRequest('The request body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
}
