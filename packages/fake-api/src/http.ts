import type { IncomingMessage, ServerResponse } from 'node:http';

/** @internal */
export type BodyResult = { ok: true; body: string } | { ok: false; problem: 'too_large' | 'aborted' };

/** @internal Reads the request body, refusing more than `maxBytes` (by Content-Length or as it streams). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ ok: false, problem: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) finish({ ok: false, problem: 'too_large' });
      else chunks.push(chunk);
    });
    request.on('end', () => finish({ ok: true, body: Buffer.concat(chunks).toString('utf8') }));
    request.on('error', () => finish({ ok: false, problem: 'aborted' }));
    request.on('close', () => finish({ ok: false, problem: 'aborted' }));
  });
}

/** @internal Writes a JSON (or empty) answer with exactly the headers given plus Date and Content-Length. */
export function writeReply(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
  contentType: string,
  date: number,
): void {
  if (response.headersSent || response.destroyed) return;
  const payload = body === undefined ? '' : JSON.stringify(body);
  response.sendDate = false;
  response.statusCode = status;
  response.setHeader('Date', new Date(date).toUTCString());
  if (payload !== '') response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.end(payload);
}
