import type { IncomingCall } from '../sip/incoming-call.ts';

/**
 * A blind transfer (REFER, RFC 3515) of the caller to a target, with context headers: they go on the REFER
 * itself, for the peer that handles it, and into the Refer-To URI's header part, so that the peer copies
 * them into its INVITE to the target (RFC 3261 §19.1.5; RFC 7433 §4.2 does this for User-to-User). The
 * NOTIFYs that follow say how the referred call went: a 2xx is success, anything final from 300 up, a refused
 * REFER or silence is failure. A caller that leaves our call meanwhile has gone to the target.
 */

export type TransferOutcome =
  | { ok: true; status: number }
  /** The caller's side hung up our call before the final report: it went on with the target. */
  | { ok: true; left: true }
  | { ok: false; reason: 'rejected' | 'failed' | 'timeout' | 'invalid-target'; status?: number };

export interface TransferOptions {
  headers: Record<string, string>;
  /** No NOTIFY for this long ends the wait; default 32 s. */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

/** Where an escalated conversation's call goes, as routing decides (`target: null`: the channel's default). */
export interface TransferTargets {
  resolve(conversationId: string): Promise<{ target: string | null; headers: Record<string, string> } | undefined>;
}

export async function transferCall(call: Pick<IncomingCall, 'refer'>, target: string, options: TransferOptions): Promise<TransferOutcome> {
  const referTo = withUriHeaders(target, options.headers);
  let subscription: ReturnType<IncomingCall['refer']>;
  try {
    subscription = call.refer(referTo, {
      headers: Object.entries(options.headers).map(([name, value]) => ({ name, value })),
      idleTimeoutMs: options.idleTimeoutMs ?? 32_000,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch {
    return { ok: false, reason: 'invalid-target' };
  }
  let outcome: TransferOutcome = { ok: false, reason: 'timeout' };
  for await (const event of subscription) {
    if (event.type === 'rejected') outcome = { ok: false, reason: 'rejected', status: event.status };
    else if (event.type === 'progress' && event.final) {
      outcome = event.status < 300 ? { ok: true, status: event.status } : { ok: false, reason: 'failed', status: event.status };
    } else if (event.type === 'ended' && (event.reason === 'call-ended' || event.reason === 'aborted')) {
      if (!outcome.ok) outcome = { ok: true, left: true };
    }
  }
  return outcome;
}

/** `sip:agent@cc` with `headers` added to its header part (`?name=value&…`), values escaped. */
export function withUriHeaders(target: string, headers: Record<string, string>): string {
  const bare = target.startsWith('<') && target.endsWith('>') ? target.slice(1, -1) : target;
  const entries = Object.entries(headers);
  if (entries.length === 0 || !/^sips?:/i.test(bare)) return bare;
  const part = entries.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
  return `${bare}${bare.includes('?') ? '&' : '?'}${part}`;
}
