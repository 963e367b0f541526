/**
 * The session reference in the URL Parley's documents submit to (`…&session=<ref>`): it carries the
 * conversation from one fetch to the next. Signed with HMAC-SHA256 over the bot, the conversation and an
 * expiry, under a key derived from the server's secret key, so it cannot be guessed, forged, used after it
 * expires, or replayed onto another bot's webhook. A new one is issued with every document.
 *
 * Form: `<conversation id, base64url>.<expiry, seconds base36>.<MAC, 128 bits base64url>`; the IVR treats
 * it as opaque.
 *
 * The IVR nearly always submits the reference it was last given by this same process: the references issued
 * and not yet opened are remembered (up to `MAX_REMEMBERED`, the oldest forgotten first), so opening one is a
 * lookup rather than a second MAC. A reference not remembered (issued before a restart, by another instance,
 * or fetched twice) is checked in full; either way the answer is the same.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './secret-key.ts';

export const DEFAULT_SESSION_TTL_MS = 30 * 60_000;
const MAC_BYTES = 16;
/** References remembered for a cheap `open`: one per IVR call waiting for its caller, at some 200 bytes each. */
const MAX_REMEMBERED = 50_000;

export type SessionRefCheck = { ok: true; conversationId: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export interface SessionRefCodec {
  issue(botId: string, conversationId: string): string;
  open(botId: string, ref: string): SessionRefCheck;
}

export interface SessionRefOptions {
  ttlMs?: number;
  now?: () => number;
}

export function createSessionRefs(masterKey: Buffer, options: SessionRefOptions = {}): SessionRefCodec {
  const key = deriveKey(masterKey, 'ivr-session-ref');
  const ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const mac = (botId: string, conversationId: string, exp: string) =>
    createHmac('sha256', key).update(`ivr-session\0${botId}\0${conversationId}\0${exp}`).digest().subarray(0, MAC_BYTES);
  const issued = new Map<string, { botId: string; conversationId: string; expiresMs: number }>();
  return {
    issue(botId, conversationId) {
      const expSeconds = Math.ceil((now() + ttlMs) / 1000);
      const exp = expSeconds.toString(36);
      const ref = `${Buffer.from(conversationId, 'utf8').toString('base64url')}.${exp}.${mac(botId, conversationId, exp).toString('base64url')}`;
      // Oldest first, as they expire (a reference never opened, such as the last of a call, is forgotten there).
      for (const [oldest, entry] of issued) {
        if (issued.size < MAX_REMEMBERED && entry.expiresMs >= now()) break;
        issued.delete(oldest);
      }
      issued.set(ref, { botId, conversationId, expiresMs: expSeconds * 1000 });
      return ref;
    },
    open(botId, ref) {
      const known = issued.get(ref);
      if (known !== undefined && known.botId === botId) {
        issued.delete(ref);
        return known.expiresMs < now() ? { ok: false, reason: 'expired' } : { ok: true, conversationId: known.conversationId };
      }
      const m = /^([A-Za-z0-9_-]{1,200})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/.exec(ref);
      if (!m) return { ok: false, reason: 'malformed' };
      const [, id64 = '', exp = '', sig = ''] = m;
      const conversationId = Buffer.from(id64, 'base64url').toString('utf8');
      const given = Buffer.from(sig, 'base64url');
      if (given.length !== MAC_BYTES || !timingSafeEqual(given, mac(botId, conversationId, exp))) return { ok: false, reason: 'bad-signature' };
      if (parseInt(exp, 36) * 1000 < now()) return { ok: false, reason: 'expired' };
      return { ok: true, conversationId };
    },
  };
}
