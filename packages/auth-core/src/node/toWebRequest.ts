import type { IncomingMessage } from 'node:http';
import { PaymoAuthError } from '../errors.js';
import { isEncrypted, isValidHost, requestUrl, type NodeRequest } from './nodeRequestLike.js';

/** Options of {@link toWebRequest}. */
export interface ToWebRequestOptions {
  /** Largest body read, in bytes; larger: PAYLOAD_TOO_LARGE. Use `auth.maxBodyBytes`. */
  maxBodyBytes: number;
  /** Whether the original request was HTTPS (the framework's proxy-aware answer). Default: the socket's TLS. */
  secure?: boolean;
}

const forbiddenMethods: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);

function tooLarge(maxBytes: number): PaymoAuthError {
  return new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}

function streamConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req as { readableDidRead?: boolean }).readableDidRead === true;
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Stop buffering; Node discards the rest of the body once the response is sent.
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = () => {
      cleanup();
      reject(new PaymoAuthError('BAD_REQUEST', 'The request body could not be read.'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Builds a Web `Request` from a Node request, for `auth.handle()`: URL from Host + scheme, every header
 * (repeated ones appended), and the body read with a cap (a Content-Length over `maxBodyBytes` is
 * refused before reading). If a body parser already consumed the stream, the Request has no body:
 * pass the parser's result as `context.parsedBody` to `auth.handle()` (it is not serialised again).
 * Rejects only with a `PaymoAuthError` (PAYLOAD_TOO_LARGE, BAD_REQUEST, or METHOD_NOT_ALLOWED for
 * CONNECT/TRACE/TRACK): answer it with `auth.errorResponse(error)`.
 *
 * @example
 * ```ts
 * const request = await toWebRequest(req, { maxBodyBytes: auth.maxBodyBytes, secure: req.secure });
 * const response = await auth.handle(request, { clientIp: req.ip, secure: req.secure, parsedBody: req.body });
 * ```
 */
export async function toWebRequest(req: NodeRequest, options: ToWebRequestOptions): Promise<Request> {
  const secure = options.secure ?? isEncrypted(req);
  const method = (req.method ?? 'GET').toUpperCase();
  // The Fetch standard forbids these: `new Request()` would throw a TypeError (a 500), for a client's choice.
  if (forbiddenMethods.has(method)) throw new PaymoAuthError('METHOD_NOT_ALLOWED', `${method} is not supported here.`);
  // RFC 9110 7.2: a malformed Host gets a 400 (an empty one is allowed; no Origin can then match).
  if (req.headers.host !== undefined && req.headers.host !== '' && !isValidHost(req.headers.host)) {
    throw new PaymoAuthError('BAD_REQUEST', 'The Host header is invalid.');
  }
  // A URL parser resolves "." and ".." before anyone sees them: refuse them (raw or encoded) instead,
  // so no path under basePath can be made to mean another one.
  const rawPath = (req.originalUrl ?? req.url ?? '/').split('?', 1)[0]!;
  // A backslash is a slash to the URL parser: refused too, so the path served is the path sent.
  if (rawPath.includes('\\') || /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(rawPath)) {
    throw new PaymoAuthError('BAD_REQUEST', 'The request path has dot segments or backslashes.');
  }
  let url: string;
  const headers = new Headers();
  try {
    url = new URL(requestUrl(req, secure)).href;
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!;
      if (name.startsWith(':')) continue; // HTTP/2 pseudo-headers
      headers.append(name, raw[i + 1]!);
    }
  } catch {
    throw new PaymoAuthError('BAD_REQUEST', 'The request URL or headers are invalid.');
  }

  let body: Uint8Array | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    // A parser that consumed the stream hands its result to the engine as context.parsedBody instead.
    body = streamConsumed(req) ? null : await readBody(req, options.maxBodyBytes);
    if (body !== null) {
      headers.delete('content-length');
      headers.delete('transfer-encoding');
    }
  }
  try {
    return new Request(url, { method, headers, body: body as BodyInit | null });
  } catch {
    throw new PaymoAuthError('BAD_REQUEST', 'The request could not be read.');
  }
}
