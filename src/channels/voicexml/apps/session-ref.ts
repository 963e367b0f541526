/**
 * The session reference in the URL Parley's documents submit to (`…&session=<ref>`): it carries the
 * conversation from one fetch to the next. Signed with HMAC-SHA256 over the bot, the conversation and an
 * expiry, under a key derived from the server's secret key, so it cannot be guessed, forged, used after it
 * expires, or replayed onto another bot's webhook.
 *
 * Form: `<conversation id, base64url>.<expiry, seconds base36>.<MAC, 128 bits base64url>`; the IVR treats
 * it as opaque.
 *
 * The documents of one call share a reference for a thirtieth of its lifetime (one minute of the default 30),
 * then the next document gets a fresh one: every document's reference is valid for at least 29/30 of the
 * lifetime after it was sent, and the MAC is computed about once a minute per call instead of on every fetch
 * (some 4% of an IVR turn's time on the serving thread). A reference is no less valid for having been used:
 * the signature, not a record of it, is what makes it good.
 *
 * The IVR nearly always submits a reference this same process issued: those are remembered (up to
 * `MAX_REMEMBERED`, the oldest forgotten first), so opening one is a lookup rather than a second MAC. A
 * reference not remembered (issued before a restart, or by another instance) is checked in full; either way
 * the answer is the same.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from './secret-key.ts';

export const DEFAULT_SESSION_TTL_MS = 30 * 60_000;
const MAC_BYTES = 16;
/** References remembered for a cheap `open`: one per IVR call of the last half hour, at some 300 bytes each. */
const MAX_REMEMBERED = 50_000;

export type SessionRefCheck = { ok: true; conversationId: string } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export interface SessionRefCodec {
  issue(botId: string, conversationId: string): string;
  open(botId: string, ref: string): SessionRefCheck;
}

interface Issued {
  ref: string;
  botId: string;
  conversationId: string;
  expiresMs: number;
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
  // A thirtieth of the lifetime: one minute of the default 30.
  const reuseMs = ttlMs / 30;
  /** The references this process issued, oldest first, and each conversation's latest. */
  const issued = new Map<string, Issued>();
  const latest = new Map<string, Issued>();
  const forget = (ref: string, entry: Issued) => {
    issued.delete(ref);
    if (latest.get(entry.conversationId) === entry) latest.delete(entry.conversationId);
  };
  return {
    issue(botId, conversationId) {
      const at = now();
      const current = latest.get(conversationId);
      if (current !== undefined && current.botId === botId && current.expiresMs - at > ttlMs - reuseMs) return current.ref;
      const expSeconds = Math.ceil((at + ttlMs) / 1000);
      const exp = expSeconds.toString(36);
      const ref = `${Buffer.from(conversationId, 'utf8').toString('base64url')}.${exp}.${mac(botId, conversationId, exp).toString('base64url')}`;
      // Oldest first, as they expire (the reference of a call that ended is forgotten there).
      for (const [oldest, entry] of issued) {
        if (issued.size < MAX_REMEMBERED && entry.expiresMs >= at) break;
        forget(oldest, entry);
      }
      if (current !== undefined) forget(current.ref, current);
      const entry: Issued = { ref, botId, conversationId, expiresMs: expSeconds * 1000 };
      issued.set(ref, entry);
      latest.set(conversationId, entry);
      return ref;
    },
    open(botId, ref) {
      const known = issued.get(ref);
      if (known !== undefined && known.botId === botId) {
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
