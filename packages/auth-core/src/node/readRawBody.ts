import type { IncomingMessage } from 'node:http';
import { PaymoAuthError } from '../errors.js';

function consumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req as { readableDidRead?: boolean }).readableDidRead === true;
}

/**
 * The raw bytes of a request body, whatever body parser ran: `req.rawBody` (Nest's `rawBody: true`, or
 * a parser's `verify` hook that kept it), the unread stream, or a Buffer `req.body` (`express.raw()`).
 * Rejects with CONFIG_ERROR when a parser consumed the stream and kept no bytes (a re-serialised JSON
 * body would not match the signature), and with PAYLOAD_TOO_LARGE over `maxBytes`.
 *
 * @example
 * ```ts
 * const bytes = await readRawBody(req, 1024 * 1024);
 * ```
 */
export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const kept = (req as { rawBody?: unknown }).rawBody;
  const parsed = (req as { body?: unknown }).body;
  const tooLarge = () => new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
  if (kept instanceof Uint8Array) {
    if (kept.byteLength > maxBytes) throw tooLarge();
    return kept;
  }
  if (!consumed(req)) {
    const declared = req.headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) throw tooLarge();
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, size);
  }
  if (parsed instanceof Uint8Array) return parsed;
  throw new PaymoAuthError(
    'CONFIG_ERROR',
    'A body parser read this webhook request and kept no raw bytes, so its signature cannot be checked: mount the webhook route before the parsers (mountPaymoWebhook), or keep the raw body (Nest: rawBody: true).',
  );
}
