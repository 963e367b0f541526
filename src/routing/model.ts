/**
 * The routing model: where a customer goes when a bot hands over, and who can take them. Loaded from
 * `routing.yaml` (see `docs/routing.md`) or changed through the REST API; plain data, no behaviour.
 */

/** The channel kinds work is distributed by: chat (web chat, REST) and voice (SIP, VoiceXML IVR). */
export type WorkChannel = 'chat' | 'voice';

export type Presence = 'available' | 'busy' | 'away' | 'offline';
export const presences: readonly Presence[] = ['available', 'busy', 'away', 'offline'];

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Opening hours of a queue in its own time zone; a queue without hours is always open. */
export interface BusinessHours {
  /** IANA time zone, e.g. `Europe/London`. */
  timezone: string;
  /** Per weekday, ranges `HH:MM-HH:MM` (end exclusive); a missing day is closed. */
  weekly: Partial<Record<Weekday, string[]>>;
  /** Dates `YYYY-MM-DD` (in the queue's time zone) on which the queue is closed all day. */
  closedOn: string[];
}

export type OverflowWhen = 'closed' | 'no-agents';

/** Where customers go when this queue cannot take them. */
export interface Overflow {
  queue: string;
  /** Conditions that send a new hand-off straight to the overflow queue. */
  when: OverflowWhen[];
  /** Waiting longer than this moves a queued customer to the overflow queue. */
  afterMs?: number;
}

export interface QueueDef {
  id: string;
  name: string;
  /** Higher is served first when an agent belongs to several queues. */
  priority: number;
  hours?: BusinessHours;
  overflow?: Overflow;
  /** How long an agent has to accept an offer before it goes to the next agent. */
  offerTimeoutMs: number;
  /** Skills every agent taking this queue's customers must have. */
  skills: string[];
  /** An external contact center takes this queue's customers (a connector id) instead of Parley's agents. */
  connector?: string;
}

export interface Capacity {
  chat: number;
  voice: number;
}

export interface AgentProfile {
  id: string;
  name: string;
  skills: string[];
  /** Languages the agent serves (`en`, `fr`); empty means any. */
  languages: string[];
  /** Conversations at once, per channel kind. */
  capacity: Capacity;
  queues: string[];
}

/** A bot as a first-line member of queues: conversations routed there start with it. */
export interface BotMember {
  id: string;
  queues: string[];
}

/** A condition (the bot expression language) and the queue it sends the customer to. First match wins. */
export interface RoutingRule {
  name: string;
  if: string;
  queue: string;
  /** Skills the agent must have, added to the queue's. */
  skills: string[];
}

export interface Workstream {
  id: string;
  channel: WorkChannel;
  /** Only these bots' conversations (empty: any bot's). */
  bots: string[];
  rules: RoutingRule[];
}

/** When an agent ends a conversation, the first matching survey rule hands the customer to a survey bot. */
export interface SurveyRule {
  if: string;
  bot: string;
}

export type ConnectorConfig =
  | {
      kind: 'cxone';
      id: string;
      /** Where signals go; `{contactId}` is replaced by the contact id (SIP `X-ContactID` or `session.contactId`). */
      signalUrl: string;
      /** Exchanges the access key for a bearer token. */
      tokenUrl: string;
      accessKeyId: string;
      accessKeySecret: string;
    }
  | {
      kind: 'webhook';
      id: string;
      url: string;
      secret: string;
      maxAttempts: number;
      initialBackoffMs: number;
    }
  | {
      kind: 'sip';
      id: string;
      /** The SIP URI the call is referred to. */
      target: string;
      /** Extra headers put on the transfer. */
      headers: Record<string, string>;
    };

export type ConnectorKind = ConnectorConfig['kind'];

export interface RoutingModel {
  workstreams: Workstream[];
  queues: QueueDef[];
  agents: AgentProfile[];
  bots: BotMember[];
  surveys: SurveyRule[];
  connectors: ConnectorConfig[];
  /** How long an agent's presence survives the loss of their last live connection. */
  presenceGraceMs: number;
}

export const defaultOfferTimeoutMs = 30_000;
export const defaultPresenceGraceMs = 15_000;

export function workChannel(channel: string): WorkChannel {
  return channel === 'chat' ? 'chat' : 'voice';
}
