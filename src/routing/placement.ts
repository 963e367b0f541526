import { isOpen } from './business-hours.ts';
import type { ConnectorKind, QueueDef, RoutingModel, WorkChannel } from './model.ts';

/** The built-in connector of a queue served by the channel's own transfer (the host IVR or the SIP peer routes the call). */
export const channelConnector = 'channel';

export type Placement =
  | { ok: true; queue: QueueDef; connector?: { id: string; kind: ConnectorKind | 'channel' }; overflowedFrom: string[] }
  | { ok: false; queue: QueueDef; reason: 'closed' | 'no-agents' | 'connector-unusable' };

/**
 * Can this queue take a customer on this channel now? Open (business hours), and either served by a connector
 * that fits the channel, or staffed (a member agent signed in with capacity for the channel). When it cannot,
 * its overflow queue is tried for the reasons the overflow lists, and so on down the chain.
 */
export function place(model: RoutingModel, queue: QueueDef, channel: WorkChannel, at: Date, staffed: (queueId: string) => boolean): Placement {
  const byId = new Map(model.queues.map((q) => [q.id, q]));
  const seen = new Set<string>();
  const from: string[] = [];
  let cur = queue;
  let first: Placement | undefined;
  for (;;) {
    seen.add(cur.id);
    const result = placeOne(model, cur, channel, at, staffed);
    if (result.ok) return { ...result, overflowedFrom: from };
    first ??= result;
    const overflow = cur.overflow;
    const next = overflow && overflow.when.includes(result.reason as 'closed' | 'no-agents') ? byId.get(overflow.queue) : undefined;
    if (!next || seen.has(next.id)) return first;
    from.push(cur.id);
    cur = next;
  }
}

function placeOne(model: RoutingModel, queue: QueueDef, channel: WorkChannel, at: Date, staffed: (queueId: string) => boolean): Placement {
  if (!isOpen(queue.hours, at)) return { ok: false, queue, reason: 'closed' };
  if (queue.connector !== undefined) {
    if (queue.connector === channelConnector) {
      return channel === 'voice' ? { ok: true, queue, connector: { id: channelConnector, kind: 'channel' }, overflowedFrom: [] } : { ok: false, queue, reason: 'connector-unusable' };
    }
    const c = model.connectors.find((x) => x.id === queue.connector);
    if (!c || (c.kind === 'sip' && channel !== 'voice')) return { ok: false, queue, reason: 'connector-unusable' };
    return { ok: true, queue, connector: { id: c.id, kind: c.kind }, overflowedFrom: [] };
  }
  return staffed(queue.id) ? { ok: true, queue, overflowedFrom: [] } : { ok: false, queue, reason: 'no-agents' };
}
