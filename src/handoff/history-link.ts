import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to the conversation history page (the Watson seed's
 * `loadAgentAppFrame.html?session_history_key=…`): the key alone opens nothing; the link also carries its
 * expiry and an HMAC-SHA256 of both under a secret derived from the server's API key.
 */
export class HistoryLinks {
  private readonly secret: Buffer;

  constructor(
    apiKey: string,
    private readonly baseUrl: () => string,
    private readonly ttlMs = 3_600_000,
  ) {
    this.secret = createHmac('sha256', apiKey).update('parley conversation history links').digest();
  }

  private sign(historyKey: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${historyKey}.${expires}`).digest('base64url');
  }

  /** A link valid for the configured time (one hour by default). */
  link(historyKey: string, nowMs = Date.now()): string {
    const expires = Math.floor((nowMs + this.ttlMs) / 1000);
    const q = new URLSearchParams({ session_history_key: historyKey, expires: String(expires), signature: this.sign(historyKey, expires) });
    return `${this.baseUrl()}/history?${q.toString()}`;
  }

  /** Is this a link we signed, not yet expired? */
  verify(historyKey: string, expires: string | undefined, signature: string | undefined, nowMs = Date.now()): boolean {
    if (!expires || !signature || !/^\d+$/.test(expires)) return false;
    if (Number(expires) * 1000 <= nowMs) return false;
    const expected = Buffer.from(this.sign(historyKey, Number(expires)));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
