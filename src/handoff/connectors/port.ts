import type { ConnectorKind } from '../../routing/model.ts';
import type { ConversationRecord } from '../../storage/port.ts';
import type { EscalationRecord } from '../escalation.ts';

/** A hand-off as a connector sees it. */
export interface ConnectorHandoff {
  escalation: EscalationRecord;
  conversation: ConversationRecord;
  /** A signed, expiring link to the conversation history page. */
  historyUrl: string;
}

export interface ConnectionCheck {
  ok: boolean;
  message: string;
  latencyMs: number;
}

export type HandoffEventType =
  | 'escalation.requested'
  | 'escalation.unavailable'
  | 'escalation.assigned'
  | 'escalation.connected'
  | 'escalation.ended'
  | 'conversation.ended'
  | 'ping';

/** A life-cycle event as webhooks receive it; `id` is stable, so a receiver can drop a repeated delivery. */
export interface HandoffEvent {
  id: string;
  type: HandoffEventType;
  /** ISO 8601 */
  at: string;
  data: Record<string, unknown>;
}

/**
 * An external contact center. A queue served by a connector hands its customers over with `transfer`; every
 * connector observes the life-cycle events through `notify` (webhooks deliver them, others ignore them).
 */
export interface ContactCenterConnector {
  readonly id: string;
  readonly kind: ConnectorKind;
  /** Hands the customer over; returns what to record about it. */
  transfer(handoff: ConnectorHandoff): Promise<Record<string, unknown>>;
  /** The customer of a hand-off this connector took has hung up. */
  hangup(handoff: ConnectorHandoff): Promise<void>;
  notify(event: HandoffEvent): Promise<void>;
  /** The "test connection" check: credentials and reachability. */
  test(): Promise<ConnectionCheck>;
  close(): void;
}

/** `fetch` with a deadline; connectors take it as a dependency so tests can see every request. */
export type Fetch = typeof fetch;
