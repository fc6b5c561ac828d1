import { createHmac } from 'node:crypto';
import type { FakePaymoState, Row } from './state.js';
import { applyWhere } from './where.js';

/** @internal A change the fake made, as webhooks see it. */
export interface ResourceEvent {
  model: string;
  action: 'insert' | 'update' | 'delete' | 'start' | 'stop';
  row: Row;
}

/**
 * One webhook notification the fake sent (`fake.webhooks.deliveries`). The body is what was signed;
 * the secret is never recorded.
 */
export interface WebhookDelivery {
  hookId: number;
  event: string;
  targetUrl: string;
  body: string;
  /** Whether an `X-Paymo-Signature` was sent (the hook has a secret). */
  signed: boolean;
  /** The target's status, or 0 when it could not be reached. */
  status: number;
  /** Whether a 410 removed the hook. */
  removed: boolean;
}

/**
 * `sha1=<hex HMAC-SHA1 of the body keyed with the secret>` (READ webhooks.md; the doc's test vector:
 * secret `secret`, body `{"id":"1679584"}` → `sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1`).
 *
 * @example
 * signWebhookBody('secret', '{"id":"1679584"}'); // 'sha1=dc03736e396e70138bf7af4ffaa2948cde42dcf1'
 */
export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
}

/** Whether a hook's `event` (`*`, `model.insert.*`, `*.Task`, `model.update.Task`) covers an event. */
function matches(pattern: string, event: string): boolean {
  if (pattern === '*' || pattern === event) return true;
  const [, action, model] = event.split('.');
  return pattern === `model.${action}.*` || pattern === `*.${model}`;
}

/** Test control over webhook deliveries (`fake.webhooks`). */
export interface WebhooksControl {
  /** Every delivery so far, oldest first (a copy). */
  readonly deliveries: WebhookDelivery[];
  /** Resolves when every delivery started so far has an answer (or failed). */
  settled(): Promise<void>;
}

/** @internal Sends notifications for changes; a target answering 410 removes its hook (READ webhooks.md). */
export class WebhookDispatcher implements WebhooksControl {
  private log: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly state: () => FakePaymoState,
    private readonly visible: (hookOwner: number, event: ResourceEvent) => boolean,
    private readonly timeoutMs = 5000,
  ) {}

  get deliveries(): WebhookDelivery[] {
    return this.log.map((delivery) => ({ ...delivery }));
  }

  clear(): void {
    this.log = [];
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  emit(event: ResourceEvent): void {
    const name = `model.${event.action}.${event.model}`;
    const state = this.state();
    for (const hook of state.table('hooks')) {
      if (!matches(String(hook.event), name)) continue;
      // "A notification only fires if the hook's creator has access rights to the object" (READ).
      if (!this.visible(hook.owner_id as number, event)) continue;
      if (event.action !== 'delete' && hook.where) {
        const kept = applyWhere([event.row], String(hook.where));
        if (!kept.ok || kept.items.length === 0) continue;
      }
      // Insert/update: the bare object; delete: {"id": <id>} only (READ webhooks.md).
      const body = JSON.stringify(event.action === 'delete' ? { id: event.row.id } : event.row);
      const secret = typeof hook.secret === 'string' && hook.secret !== '' ? hook.secret : undefined;
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'X-Paymo-Webhook': String(hook.id),
        'X-Paymo-Event': name,
      };
      if (secret) headers['X-Paymo-Signature'] = signWebhookBody(secret, body);
      const delivery: WebhookDelivery = { hookId: hook.id as number, event: name, targetUrl: String(hook.target_url), body, signed: !!secret, status: 0, removed: false };
      this.log.push(delivery);
      const sending = this.send(hook, delivery, headers, state);
      this.pending.add(sending);
      void sending.finally(() => this.pending.delete(sending));
    }
  }

  private async send(hook: Row, delivery: WebhookDelivery, headers: Record<string, string>, state: FakePaymoState): Promise<void> {
    try {
      const response = await fetch(delivery.targetUrl, { method: 'POST', headers, body: delivery.body, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual' });
      await response.arrayBuffer().catch(() => undefined);
      delivery.status = response.status;
    } catch {
      delivery.status = 0;
    }
    hook.last_status_code = delivery.status || null;
    if (delivery.status === 410) {
      state.remove('hooks', hook.id as number);
      delivery.removed = true;
    }
  }
}
