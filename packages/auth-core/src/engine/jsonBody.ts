import { PaymoAuthError } from '../errors.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

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
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) throw tooLarge(maxBytes);
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
