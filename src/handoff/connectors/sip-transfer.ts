import type { ConnectorConfig } from '../../routing/model.ts';
import type { ConnectionCheck, ConnectorHandoff, ContactCenterConnector, HandoffEvent } from './port.ts';

type SipConfig = Extract<ConnectorConfig, { kind: 'sip' }>;

/** The header that carries the session-history key on a SIP transfer (the receiving side pulls the context with it). */
export const historyKeyHeader = 'X-Session-History-Key';

/** What the SIP channel puts on its REFER (or INVITE) when a voice hand-off goes to a SIP contact center. */
export interface SipTransfer {
  conversationId: string;
  /** The SIP URI to transfer to; null when the channel's own transfer decides (a host IVR, the SIP peer). */
  target: string | null;
  headers: Record<string, string>;
}

export function sipTransferFor(config: { target: string; headers: Record<string, string> }, h: ConnectorHandoff): SipTransfer {
  return {
    conversationId: h.conversation.id,
    target: config.target,
    headers: { ...config.headers, [historyKeyHeader]: h.escalation.historyKey, 'X-Parley-Queue': h.escalation.queue },
  };
}

/**
 * A contact center reached by SIP: the hand-off is the call itself, transferred by the SIP channel to `target`
 * with the session-history key in a header. This connector computes the transfer; the channel performs it.
 */
export class SipTransferConnector implements ContactCenterConnector {
  readonly kind = 'sip' as const;

  constructor(private readonly config: SipConfig) {}

  get id(): string {
    return this.config.id;
  }

  transfer(h: ConnectorHandoff): Promise<Record<string, unknown>> {
    const t = sipTransferFor(this.config, h);
    return Promise.resolve({ target: t.target, headers: Object.keys(t.headers) });
  }

  transferFor(h: ConnectorHandoff): SipTransfer {
    return sipTransferFor(this.config, h);
  }

  hangup(_h: ConnectorHandoff): Promise<void> {
    return Promise.resolve();
  }

  notify(_event: HandoffEvent): Promise<void> {
    return Promise.resolve();
  }

  test(): Promise<ConnectionCheck> {
    const ok = /^sips?:[^@\s]+@[^\s;]+(;[^\s]*)?$|^sips?:[^\s@;]+(;[^\s]*)?$/.test(this.config.target);
    return Promise.resolve({ ok, message: ok ? `transfers go to ${this.config.target}` : `'${this.config.target}' is not a SIP URI (sip:user@host)`, latencyMs: 0 });
  }

  close(): void {}
}
