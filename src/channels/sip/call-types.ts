/**
 * The vocabulary of a call as the call layer sees it: states, end reasons, the events the caller's
 * in-dialog requests raise, and what an IncomingCall needs from the agent.
 */
import type { Clock, SipTimerValues } from './clock.ts';
import type { HeaderField, SipRequest } from './message.ts';
import type { SipLogger } from './sip-logger.ts';
import type { SipStack } from './sip-stack.ts';
import type { UasPolicy } from './uas-validator.ts';
import type { IncomingCall } from './incoming-call.ts';

export type CallState = 'offered' | 'early' | 'answering' | 'confirmed' | 'ended';
export type CallEndReason =
  | 'rejected'
  | 'cancelled'
  /** Neither answered nor rejected in time (INVITE Expires, or the agent's offer timeout). */
  | 'unanswered'
  | 'local-bye'
  | 'remote-bye'
  | 'ack-timeout'
  | 'dialog-lost'
  | 'agent-closed';

export interface CallEnd {
  reason: CallEndReason;
  /** The final status we sent when the call was rejected. */
  status?: number;
}

export interface InfoEvent {
  contentType: string | undefined;
  body: Buffer;
  request: SipRequest;
}

export interface ReinviteOffer {
  /** The new offer; undefined for an offerless re-INVITE (then answer with an offer). */
  sdp: string | undefined;
  request: SipRequest;
}

/** Returns the SDP answer, or undefined to refuse the change with 488. */
export type ReinviteHandler = (offer: ReinviteOffer) => string | undefined | Promise<string | undefined>;

export interface ReferOptions {
  /** Extra headers on the REFER (context for the transfer target, e.g. `User-to-User`). */
  headers?: HeaderField[];
  /** End the subscription after this long without a NOTIFY; default 64*T1. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface CallContext {
  stack: SipStack;
  clock: Clock;
  timers: SipTimerValues;
  policy: UasPolicy;
  forceRport: boolean;
  /** How long an offered call may wait for the app to answer or reject it. */
  offerTimeoutMs: number;
  serverName: string;
  logger: SipLogger;
  onEnded(call: IncomingCall): void;
}
