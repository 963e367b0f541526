import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `X-Parley-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>` with
 * `X-Parley-Timestamp: <unix seconds>`. A receiver recomputes the HMAC over the raw body and refuses
 * timestamps far from its clock (replays).
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhookSignature(secret: string, timestamp: string | undefined, body: string, signature: string | undefined, options: { nowMs?: number; toleranceMs?: number } = {}): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  const now = options.nowMs ?? Date.now();
  if (Math.abs(now - Number(timestamp) * 1000) > (options.toleranceMs ?? 300_000)) return false;
  const expected = Buffer.from(webhookSignature(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
