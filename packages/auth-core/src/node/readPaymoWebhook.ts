import type { IncomingMessage } from 'node:http';
import { PaymoAuthError } from '../errors.js';
import { verifyPaymoWebhook } from '../verifyPaymoWebhook.js';
import { readRawBody } from './readRawBody.js';

/** Options of a webhook route (`paymoWebhook()` in Express, `PaymoWebhookGuard` in Nest). */
export interface PaymoWebhookOptions {
  /** The hook's `secret` (as given to `POST /api/hooks`). */
  secret: string;
  /** Largest body accepted, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** A verified delivery. */
export interface PaymoWebhookDelivery {
  /** `X-Paymo-Event`, e.g. `model.insert.Task`. */
  event: string;
  /** `X-Paymo-Webhook`: the hook's id. */
  hookId: string;
  /** The parsed JSON body: the object, or `{ id }` for a delete. */
  body: unknown;
  /** The exact bytes that were signed. */
  rawBody: Uint8Array;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Checks a webhook route's options once (CONFIG_ERROR naming `caller`) and returns the function that
 * reads and verifies one delivery: the raw bytes (`rawBody` when the framework kept them elsewhere,
 * else `readRawBody`), `X-Paymo-Signature` over them, then the JSON. Rejects with a typed error only:
 * 401 INVALID_SIGNATURE, 400 BAD_REQUEST (not JSON), 413 PAYLOAD_TOO_LARGE, or CONFIG_ERROR when a
 * parser consumed the body and kept no bytes. The adapters only translate its answer.
 *
 * @example
 * ```ts
 * const readDelivery = createPaymoWebhookReader({ secret: process.env.PAYMO_HOOK_SECRET! }, 'myRoute');
 * const delivery = await readDelivery(req); // { event, hookId, body, rawBody }
 * ```
 */
export function createPaymoWebhookReader(
  options: PaymoWebhookOptions,
  caller: string,
): (req: IncomingMessage, rawBody?: Uint8Array) => Promise<PaymoWebhookDelivery> {
  if (typeof options?.secret !== 'string' || options.secret === '') {
    throw new PaymoAuthError('CONFIG_ERROR', `${caller}: secret must be a non-empty string`);
  }
  const { secret } = options;
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, rawBody) => {
    const raw = rawBody ?? (await readRawBody(req, maxBytes));
    if (raw.byteLength > maxBytes) throw new PaymoAuthError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
    if (!(await verifyPaymoWebhook({ body: raw, signature: header(req, 'x-paymo-signature'), secret }))) {
      throw new PaymoAuthError('INVALID_SIGNATURE', 'The webhook signature is missing or does not match.');
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch {
      throw new PaymoAuthError('BAD_REQUEST', 'The webhook body is not JSON.');
    }
    return { event: header(req, 'x-paymo-event') ?? '', hookId: header(req, 'x-paymo-webhook') ?? '', body, rawBody: raw };
  };
}
