import type { Logger } from 'pino';
import type { ConnectorConfig } from '../../routing/model.ts';
import type { ConversationRecord } from '../../storage/port.ts';
import type { ConnectionCheck, ConnectorHandoff, ContactCenterConnector, Fetch, HandoffEvent } from './port.ts';
import { signalParams } from './signal-params.ts';

type CxoneConfig = Extract<ConnectorConfig, { kind: 'cxone' }>;

const requestTimeoutMs = 10_000;

/**
 * A NICE CXone-style contact center (the Watson seed's phone integration): the access key id and secret are
 * exchanged for a bearer token, and the contact's script is signalled with `p1` = the session-history key on
 * transfer and `p1=hangup` when the caller hangs up; `p2`…`p9` carry the transfer node's custom data
 * (`transferInfo.<connector id>`). The contact id comes from the SIP `X-ContactID` header the contact center
 * put on its call to Parley, or from `session.contactId`.
 */
export class CxoneConnector implements ContactCenterConnector {
  readonly kind = 'cxone' as const;
  private token: { value: string; expiresAt: number } | undefined;

  constructor(
    private readonly config: CxoneConfig & { accessKeyId: string; accessKeySecret: string },
    private readonly deps: { fetch?: Fetch; logger: Logger; now?: () => number },
  ) {}

  get id(): string {
    return this.config.id;
  }

  async transfer(h: ConnectorHandoff): Promise<Record<string, unknown>> {
    const custom = h.escalation.context.transferInfo[this.config.id] ?? {};
    const { params, dropped } = signalParams(h.escalation.historyKey, custom);
    if (dropped.length) this.deps.logger.warn({ connector: this.id, dropped }, 'custom data beyond p9 was not sent');
    const contactId = contactIdOf(h.conversation);
    await this.signal(contactId, params);
    return { contactId, params: Object.keys(params) };
  }

  async hangup(h: ConnectorHandoff): Promise<void> {
    await this.signal(contactIdOf(h.conversation), { p1: 'hangup' });
  }

  notify(_event: HandoffEvent): Promise<void> {
    return Promise.resolve();
  }

  async test(): Promise<ConnectionCheck> {
    const t0 = performance.now();
    try {
      this.token = undefined;
      await this.accessToken();
      return { ok: true, message: 'the access key was accepted', latencyMs: performance.now() - t0 };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err), latencyMs: performance.now() - t0 };
    }
  }

  close(): void {
    this.token = undefined;
  }

  private async signal(contactId: string, params: Record<string, string>): Promise<void> {
    const url = new URL(this.config.signalUrl.replace('{contactId}', encodeURIComponent(contactId)));
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const res = await this.fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
      if (res.status === 401 && attempt === 1) {
        this.token = undefined;
        continue;
      }
      if (!res.ok) throw new Error(`the signal to contact ${contactId} was refused with HTTP ${res.status}`);
      return;
    }
  }

  private async accessToken(): Promise<string> {
    const now = (this.deps.now ?? Date.now)();
    if (this.token && this.token.expiresAt > now + 30_000) return this.token.value;
    const body = new URLSearchParams({ grant_type: 'password', username: this.config.accessKeyId, password: this.config.accessKeySecret });
    const res = await this.fetch(this.config.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    if (!res.ok) throw new Error(`the contact center refused the access key (HTTP ${res.status}); check the access key id and secret`);
    const json = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof json.access_token !== 'string') throw new Error('the token endpoint answered without an access_token');
    const ttl = typeof json.expires_in === 'number' ? json.expires_in * 1000 : 3_600_000;
    this.token = { value: json.access_token, expiresAt: now + ttl };
    return this.token.value;
  }

  private async fetch(url: URL | string, init: RequestInit): Promise<Response> {
    const f = this.deps.fetch ?? fetch;
    try {
      return await f(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (err) {
      throw new Error(`cannot reach the contact center at ${new URL(url).origin} (${err instanceof Error ? err.message : String(err)})`, { cause: err });
    }
  }
}

/** The contact center's id of the call: SIP `X-ContactID` (any case), or `session.contactId`. */
export function contactIdOf(conversation: ConversationRecord): string {
  const session = conversation.state.vars.session;
  const direct = session.contactId;
  if (typeof direct === 'string' || typeof direct === 'number') return String(direct);
  const headers = (session.sip as { headers?: Record<string, unknown> } | undefined)?.headers ?? {};
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === 'x-contactid') return String(Array.isArray(v) ? v[0] : v);
  }
  throw new Error('no contact id for this conversation: the contact center must send the X-ContactID SIP header (or session.contactId)');
}
