/**
 * The JWT an IVR puts in the webhook URL (`/ivr/hooks/{botId}?token=…`): HS256, signed with the app's client
 * secret (its UTF-8 bytes, as JWT libraries take a string secret), carrying `appId` (the client id), `iat`
 * and usually `exp`; `aud` optional. Verification says why a token is refused, so the webhook can answer
 * 401/403 with a reason.
 */
import { createSecretKey } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { IvrAppKey } from './ivr-apps.ts';

/** Clock difference tolerated between the IVR and Parley. */
export const CLOCK_TOLERANCE_S = 30;

export interface MintOptions {
  clientId: string;
  secret: string;
  /** Lifetime; undefined or 0 for a token without `exp` (not recommended). */
  ttlMs?: number;
  audience?: string;
  now?: Date;
}

export async function mintIvrToken(options: MintOptions): Promise<string> {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT({ appId: options.clientId }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(iat);
  if (options.ttlMs) jwt = jwt.setExpirationTime(iat + Math.max(1, Math.round(options.ttlMs / 1000)));
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(createSecretKey(Buffer.from(options.secret, 'utf8')));
}

export type TokenRefusal =
  | 'missing'
  | 'malformed'
  | 'unknown-app'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-audience'
  | 'other-bot'
  | 'app-disabled';

export type TokenCheck = { ok: true; appId: string; claims: JWTPayload } | { ok: false; status: 401 | 403; refusal: TokenRefusal; reason: string };

/**
 * Tokens whose signature was checked, so an IVR's token (the same on every fetch of a call) is not
 * verified again: the claims are re-checked on every use (expiry, audience, bot, app enabled), against the
 * app's current secret.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { appId: string; secret: string; claims: JWTPayload }>();

  constructor(private readonly capacity = 10_000) {}

  get(token: string): { appId: string; secret: string; claims: JWTPayload } | undefined {
    return this.entries.get(token);
  }

  add(token: string, appId: string, secret: string, claims: JWTPayload): void {
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { appId, secret, claims });
  }
}

export interface VerifyOptions {
  botId: string;
  /** The app a client id names (`IvrApps.key`). */
  keyOf: (clientId: string) => Promise<IvrAppKey | undefined>;
  /**
   * When set, every token must carry this audience. Otherwise a token's `aud`, when present, must name this
   * webhook: the bot id, or a URL whose path is `/ivr/hooks/{botId}`.
   */
  audience?: string;
  now?: Date;
  /** Skips the signature check of tokens already verified (the claims are still checked). */
  verified?: VerifiedTokens;
  /**
   * Accepts a token past its `exp` that passes every other check: the request goes on with a call the token
   * started, whose signed session reference expires on its own (the webhook sets it when a session
   * reference comes with the token). An IVR sends the token of the `<subdialog>` on every fetch of the call,
   * and a short-lived one would otherwise cut the caller off mid-conversation.
   */
  expiryWaived?: boolean;
}

function refuse(refusal: TokenRefusal, reason: string, status: 401 | 403 = 401): TokenCheck {
  return { ok: false, status, refusal, reason };
}

function namesThisWebhook(aud: string, botId: string): boolean {
  if (aud === botId) return true;
  try {
    return new URL(aud).pathname.replace(/\/+$/, '') === `/ivr/hooks/${encodeURIComponent(botId)}`;
  } catch {
    return false;
  }
}

async function checkSignature(token: string, secret: string, now: Date | undefined, expiryWaived: boolean): Promise<{ claims: JWTPayload } | { refused: TokenCheck }> {
  const refused = (r: TokenCheck) => ({ refused: r });
  try {
    const { payload } = await jwtVerify(token, createSecretKey(Buffer.from(secret, 'utf8')), {
      algorithms: ['HS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      ...(now ? { currentDate: now } : {}),
    });
    return { claims: payload };
  } catch (error) {
    // jose checks the signature first, then the claims, exp last: an expired token's payload is verified.
    if (error instanceof errors.JWTExpired) return expiryWaived ? { claims: error.payload } : refused(refuse('expired', 'the token has expired: mint a new one'));
    if (error instanceof errors.JWSSignatureVerificationFailed) return refused(refuse('bad-signature', 'the token signature does not match the IVR app secret'));
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') return refused(refuse('not-yet-valid', 'the token is not valid yet (nbf)'));
    return refused(refuse('malformed', 'the token is not an HS256 JWT with valid claims'));
  }
}

export async function verifyIvrToken(token: string | undefined, options: VerifyOptions): Promise<TokenCheck> {
  if (!token) return refuse('missing', 'the webhook URL needs ?token=<JWT signed with the IVR app secret>');
  const seen = options.verified?.get(token);
  let appId: unknown = seen?.appId;
  if (!seen) {
    try {
      appId = decodeJwt(token).appId;
    } catch {
      return refuse('malformed', 'the token is not a JWT');
    }
    if (typeof appId !== 'string' || appId === '') return refuse('malformed', 'the token has no appId claim (the IVR app client id)');
  }
  const key = await options.keyOf(appId as string);
  if (!key) return refuse('unknown-app', 'the token names an IVR app that does not exist');
  const nowS = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let claims: JWTPayload;
  if (seen && seen.secret === key.secret) {
    claims = seen.claims;
    if (typeof claims.exp === 'number' && claims.exp + CLOCK_TOLERANCE_S <= nowS && !options.expiryWaived) return refuse('expired', 'the token has expired: mint a new one');
    if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_TOLERANCE_S > nowS) return refuse('not-yet-valid', 'the token is not valid yet (nbf)');
  } else {
    const checked = await checkSignature(token, key.secret, options.now, options.expiryWaived === true);
    if ('refused' in checked) return checked.refused;
    claims = checked.claims;
    options.verified?.add(token, key.clientId, key.secret, claims);
  }
  if (typeof claims.iat === 'number' && claims.iat > nowS + CLOCK_TOLERANCE_S) return refuse('not-yet-valid', 'the token was issued in the future (iat): check the IVR clock');
  const auds = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (options.audience !== undefined ? !auds.includes(options.audience) : auds.length > 0 && !auds.some((a) => namesThisWebhook(a, options.botId))) {
    return refuse('wrong-audience', 'the token is meant for another audience (aud)');
  }
  if (key.botId !== options.botId) return refuse('other-bot', "the token is for another bot's IVR app");
  if (!key.enabled) return refuse('app-disabled', 'the IVR app of this token is disabled', 403);
  return { ok: true, appId: key.clientId, claims };
}
