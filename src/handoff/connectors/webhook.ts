import type { Logger } from 'pino';
import type { ConnectorConfig } from '../../routing/model.ts';
import type { DeliveryStore } from '../store/ports.ts';
import type { ConnectionCheck, ConnectorHandoff, ContactCenterConnector, Fetch, HandoffEvent } from './port.ts';
import { webhookSignature } from './signing.ts';

type WebhookConfig = Extract<ConnectorConfig, { kind: 'webhook' }>;

const requestTimeoutMs = 10_000;

/**
 * A generic webhook: every life-cycle event POSTed as JSON, signed (see `signing.ts`), retried with exponential
 * back-off on network errors, timeouts, 408, 429 and 5xx. Each event id is recorded before the first attempt, so
 * an event raised twice is delivered once; retries resend the same id and body, so the receiver can drop a
 * repeat of a delivery whose answer was lost.
 */
export class WebhookConnector implements ContactCenterConnector {
  readonly kind = 'webhook' as const;
  /** Back-off waits in progress, each with the function that ends it early (on close). */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private closed = false;
  /** Deliveries in flight, for tests and shutdown. */
  readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly config: WebhookConfig & { secret: string },
    private readonly deps: { deliveries: DeliveryStore; fetch?: Fetch; logger: Logger; now?: () => number },
  ) {}

  get id(): string {
    return this.config.id;
  }

  transfer(h: ConnectorHandoff): Promise<Record<string, unknown>> {
    const e = h.escalation;
    return this.notify({
      id: `${e.id}:assigned:${e.eventCount}`,
      type: 'escalation.assigned',
      at: new Date(this.now()).toISOString(),
      data: { escalationId: e.id, conversationId: e.conversationId, queue: e.queue, historyKey: e.historyKey, historyUrl: h.historyUrl, context: e.context },
    }).then(() => ({ delivery: 'queued' }));
  }

  hangup(_h: ConnectorHandoff): Promise<void> {
    return Promise.resolve();
  }

  async notify(event: HandoffEvent): Promise<void> {
    const at = new Date(this.now()).toISOString();
    const fresh = await this.deps.deliveries.claim({ connector: this.id, eventId: event.id, type: event.type, payload: event, status: 'pending', attempts: 0, createdAt: at, updatedAt: at });
    if (!fresh) return;
    this.track(this.deliver(event, 1));
  }

  /** Resumes deliveries left pending by a previous run. */
  async resume(): Promise<void> {
    for (const d of await this.deps.deliveries.pending(this.id)) this.track(this.deliver(d.payload as HandoffEvent, d.attempts + 1));
  }

  async test(): Promise<ConnectionCheck> {
    const t0 = performance.now();
    const event: HandoffEvent = { id: `ping-${Date.now()}`, type: 'ping', at: new Date(this.now()).toISOString(), data: {} };
    try {
      const res = await this.post(event);
      return { ok: res.ok, message: res.ok ? `the endpoint answered HTTP ${res.status}` : `the endpoint answered HTTP ${res.status}`, latencyMs: performance.now() - t0 };
    } catch (err) {
      return { ok: false, message: `cannot reach ${new URL(this.config.url).origin}: ${err instanceof Error ? err.message : String(err)}`, latencyMs: performance.now() - t0 };
    }
  }

  close(): void {
    this.closed = true;
    for (const [t, resolve] of this.timers) {
      clearTimeout(t);
      resolve();
    }
    this.timers.clear();
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err: unknown) => this.deps.logger.error({ err, connector: this.id }, 'webhook delivery failed'));
    this.inFlight.add(tracked);
    void tracked.finally(() => this.inFlight.delete(tracked));
  }

  private async deliver(event: HandoffEvent, attempt: number): Promise<void> {
    if (this.closed) return;
    let retry: boolean;
    let outcome: string;
    try {
      const res = await this.post(event);
      if (res.ok) {
        await this.deps.deliveries.mark(this.id, event.id, 'delivered', attempt, new Date(this.now()).toISOString());
        return;
      }
      retry = res.status === 408 || res.status === 429 || res.status >= 500;
      outcome = `HTTP ${res.status}`;
    } catch (err) {
      retry = true;
      outcome = err instanceof Error ? err.message : String(err);
    }
    const last = !retry || attempt >= this.config.maxAttempts;
    await this.deps.deliveries.mark(this.id, event.id, last ? 'failed' : 'pending', attempt, new Date(this.now()).toISOString());
    if (last) {
      this.deps.logger.warn({ connector: this.id, eventId: event.id, attempts: attempt, outcome }, 'webhook event not delivered');
      return;
    }
    const delayMs = this.config.initialBackoffMs * 2 ** (attempt - 1);
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, delayMs);
      t.unref();
      this.timers.set(t, resolve);
    });
    return this.deliver(event, attempt + 1);
  }

  private async post(event: HandoffEvent): Promise<Response> {
    const body = JSON.stringify(event);
    const timestamp = Math.floor(this.now() / 1000);
    return (this.deps.fetch ?? fetch)(this.config.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-parley-event-id': event.id,
        'x-parley-event-type': event.type,
        'x-parley-timestamp': String(timestamp),
        'x-parley-signature': webhookSignature(this.config.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
