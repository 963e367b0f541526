/**
 * The implicit subscription a REFER creates (RFC 3515, RFC 6665): the REFER's own answer, then the
 * progress of the referred call as NOTIFYs with `message/sipfrag` bodies, as an async iterable of
 * events that ends with an `ended` event. It ends on a final sipfrag status, Subscription-State
 * terminated, silence longer than `idleTimeoutMs`, the abort signal, or the end of the call.
 */
import type { Clock } from './clock.ts';
import { EventQueue } from './event-queue.ts';
import { paramText, parseParams } from './header-syntax.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { parseSipfragStatus } from './sipfrag.ts';

export type ReferEndReason = 'final' | 'terminated' | 'rejected' | 'timeout' | 'aborted' | 'call-ended';

export type ReferEvent =
  /** The REFER was accepted (202 or 200). */
  | { type: 'accepted'; status: number }
  /** The REFER was refused; the transfer did not start. */
  | { type: 'rejected'; status: number; reason: string }
  /** A NOTIFY: the status line of the referred call; `final` from 200 on. */
  | { type: 'progress'; status: number; reason: string; final: boolean }
  | { type: 'ended'; reason: ReferEndReason };

/** The `refer` event package and its `id` parameter from an Event header, if it is one. */
export function referEventId(event: string | undefined): { id?: string } | undefined {
  if (event === undefined) return undefined;
  const semi = event.indexOf(';');
  const name = (semi < 0 ? event : event.slice(0, semi)).trim().toLowerCase();
  if (name !== 'refer') return undefined;
  const params = parseParams(semi < 0 ? '' : event.slice(semi));
  const id = params ? paramText(params, 'id') : undefined;
  return id === undefined ? {} : { id };
}

export class ReferSubscription implements AsyncIterable<ReferEvent> {
  private readonly queue = new EventQueue<ReferEvent>();
  private cancelIdle: (() => void) | undefined;
  private readonly onAbort = (): void => this.end('aborted');

  /** `id` is the CSeq number of the REFER, as NOTIFYs quote it in `Event: refer;id=…`. */
  constructor(
    readonly id: string,
    private readonly clock: Clock,
    private readonly idleTimeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.end('aborted');
    else signal?.addEventListener('abort', this.onAbort, { once: true });
    this.armIdle();
  }

  get ended(): boolean {
    return this.queue.ended;
  }

  private armIdle(): void {
    this.cancelIdle?.();
    if (!this.queue.ended) this.cancelIdle = this.clock.schedule(this.idleTimeoutMs, () => this.end('timeout'));
  }

  /** The final response to the REFER. */
  answered(response: SipResponse): void {
    if (this.queue.ended) return;
    if (response.status >= 200 && response.status < 300) {
      this.queue.push({ type: 'accepted', status: response.status });
      this.armIdle();
    } else {
      this.queue.push({ type: 'rejected', status: response.status, reason: response.reason });
      this.end('rejected');
    }
  }

  /** A NOTIFY for this subscription; returns the status to answer it with. */
  notify(request: SipRequest): number {
    if (this.queue.ended) return 481;
    const state = (request.headers.get('Subscription-State') ?? '').split(';')[0]!.trim().toLowerCase();
    const frag = parseSipfragStatus(request.body);
    if (frag) this.queue.push({ type: 'progress', status: frag.status, reason: frag.reason, final: frag.status >= 200 });
    if (state === 'terminated') this.end(frag && frag.status >= 200 ? 'final' : 'terminated');
    else if (frag && frag.status >= 200) this.end('final');
    else this.armIdle();
    return frag || request.body.length === 0 ? 200 : 400;
  }

  end(reason: ReferEndReason): void {
    if (this.queue.ended) return;
    this.cancelIdle?.();
    this.signal?.removeEventListener('abort', this.onAbort);
    this.queue.push({ type: 'ended', reason });
    this.queue.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<ReferEvent, undefined> {
    return this.queue[Symbol.asyncIterator]();
  }
}

/** The REFER subscriptions of one dialog, for routing its NOTIFYs (RFC 3515 §2.4.6: `id` tells them apart). */
export class ReferSubscriptions {
  private readonly byId = new Map<string, ReferSubscription>();

  add(subscription: ReferSubscription): void {
    this.byId.set(subscription.id, subscription);
  }

  /** A NOTIFY in the dialog; returns the status to answer it with. */
  notify(request: SipRequest): number {
    const event = referEventId(request.headers.get('Event'));
    if (!event) return 489;
    const only = this.byId.size === 1 ? [...this.byId.values()][0] : undefined;
    const subscription = event.id === undefined ? only : this.byId.get(event.id);
    if (!subscription) return 481;
    const status = subscription.notify(request);
    if (subscription.ended) this.byId.delete(subscription.id);
    return status;
  }

  endAll(reason: ReferEndReason): void {
    for (const subscription of this.byId.values()) subscription.end(reason);
    this.byId.clear();
  }
}
