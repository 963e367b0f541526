import type { Channel } from '../../core/bot.ts';
import type { EscalationEvent, EscalationRecord, EscalationStatus } from '../escalation.ts';
import type { AuditEntry, PersonRecord, SessionRecord } from '../people.ts';

/** People who sign in, and their sessions. */
export interface PeopleStore {
  /** Throws PARLEY_ERR_CONFLICT when the username is taken. */
  create(person: PersonRecord): Promise<void>;
  update(person: PersonRecord): Promise<void>;
  get(id: string): Promise<PersonRecord | undefined>;
  byUsername(username: string): Promise<PersonRecord | undefined>;
  list(): Promise<PersonRecord[]>;
  count(): Promise<number>;
  remove(id: string): Promise<void>;
  createSession(session: SessionRecord): Promise<void>;
  /** The session of a token hash, expired or not. */
  session(tokenHash: string): Promise<SessionRecord | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Deletes sessions that expired before `at`; returns how many. */
  deleteExpiredSessions(at: string): Promise<number>;
}

export interface EscalationFilter {
  statuses?: EscalationStatus[];
  /** requested_at within [from, to) */
  from?: string;
  to?: string;
  limit?: number;
}

/** Hand-offs and their life-cycle events. */
export interface EscalationStore {
  create(record: EscalationRecord, event: EscalationEvent): Promise<void>;
  /**
   * Saves the record and appends its new events in one transaction, if the stored record has
   * `eventCount - events.length` events; otherwise PARLEY_ERR_CONFLICT and nothing changes.
   */
  update(record: EscalationRecord, events: EscalationEvent[]): Promise<void>;
  get(id: string): Promise<EscalationRecord | undefined>;
  /** A conversation's hand-offs, oldest first. */
  forConversation(conversationId: string): Promise<EscalationRecord[]>;
  events(id: string): Promise<EscalationEvent[]>;
  /** Newest first. */
  list(filter: EscalationFilter): Promise<EscalationRecord[]>;
}

export interface AuditStore {
  append(entry: AuditEntry): Promise<void>;
  /** Newest first; default limit 200. */
  list(filter: { conversationId?: string; limit?: number }): Promise<AuditEntry[]>;
}

export interface SurveyAnswers {
  conversationId: string;
  botId: string;
  answers: Record<string, unknown>;
  at: string;
}

export interface SurveyStore {
  /** Replaces the answers a survey bot collected in a conversation. */
  save(answers: SurveyAnswers): Promise<void>;
  forConversation(conversationId: string): Promise<SurveyAnswers[]>;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  connector: string;
  eventId: string;
  type: string;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** Outgoing webhook events, one row per (connector, event id): what makes delivery idempotent. */
export interface DeliveryStore {
  /** Records a new event as pending; false (and nothing changes) when this event id was already recorded. */
  claim(delivery: Delivery): Promise<boolean>;
  mark(connector: string, eventId: string, status: DeliveryStatus, attempts: number, at: string): Promise<void>;
  get(connector: string, eventId: string): Promise<Delivery | undefined>;
  /** Still pending (to resume after a restart). */
  pending(connector: string): Promise<Delivery[]>;
}

/** One conversation as the KPIs count it. */
export interface KpiConversation {
  id: string;
  botId: string;
  channel: Channel;
  status: string;
  outcome: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Mean sentiment of the customer's turns; null when none was measured. */
  sentiment: number | null;
}

/** Read-only views of the conversations table for the historical KPIs and metering. */
export interface KpiSource {
  /** Conversations started in [from, to). */
  conversations(from: string, to: string): Promise<KpiConversation[]>;
}

export interface HandoffStores {
  people: PeopleStore;
  escalations: EscalationStore;
  audit: AuditStore;
  surveys: SurveyStore;
  deliveries: DeliveryStore;
  kpis: KpiSource;
}
