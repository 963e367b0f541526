/**
 * Server-side HTTP Digest authentication for SIP (RFC 3261 §22, RFC 2617, RFC 8760): challenges with
 * SHA-256 and MD5 (preference order configurable), qop=auth, and stateless nonces that carry their
 * creation time under an HMAC, so that expiry needs no storage. A small bounded table refuses replayed
 * nonce counts.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { splitList, unquote } from './header-syntax.ts';

export type DigestAlgorithm = 'SHA-256' | 'SHA-512-256' | 'MD5';

export interface DigestAuthOptions {
  realm: string;
  /** The password of a user, or undefined for an unknown user. */
  password(username: string): string | undefined | Promise<string | undefined>;
  /** Offered in this order (RFC 8760 §2.4: most preferred first). Default SHA-256 then MD5. */
  algorithms?: DigestAlgorithm[];
  /** How long a nonce is good for; default 5 minutes. */
  nonceTtlMs?: number;
  /** Key for nonces; default random per process. */
  secret?: Buffer;
  now?: () => number;
}

export type DigestVerdict = { ok: true; username: string } | { ok: false; stale: boolean; reason: string };

const HASH: Record<DigestAlgorithm, string> = { 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256', MD5: 'md5' };
const REPLAY_TABLE_SIZE = 10_000;

/** The parameters of one `Digest …` credentials or challenge value, names lower-cased, quotes removed. */
export function parseDigestParams(value: string): Map<string, string> | undefined {
  const match = /^Digest[ \t]+(.*)$/is.exec(value.trim());
  if (!match) return undefined;
  const params = new Map<string, string>();
  for (const item of splitList(match[1]!)) {
    const eq = item.indexOf('=');
    if (eq <= 0) return undefined;
    const raw = item.slice(eq + 1).trim();
    params.set(item.slice(0, eq).trim().toLowerCase(), unquote(raw) ?? raw);
  }
  return params;
}

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(HASH[algorithm]).update(text, 'utf8').digest('hex');
}

export class DigestAuthenticator {
  private readonly secret: Buffer;
  private readonly algorithms: DigestAlgorithm[];
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Highest nonce count seen per nonce, oldest entries evicted first. */
  private readonly counts = new Map<string, number>();

  constructor(private readonly options: DigestAuthOptions) {
    this.secret = options.secret ?? randomBytes(32);
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.ttlMs = options.nonceTtlMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** WWW-Authenticate values, one per algorithm, sharing one fresh nonce. */
  challenges(stale = false): string[] {
    const nonce = this.createNonce();
    return this.algorithms.map(
      (algorithm) =>
        `Digest realm="${this.options.realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  private createNonce(): string {
    const body = Buffer.alloc(15);
    body.writeUIntBE(this.now(), 0, 6);
    randomBytes(9).copy(body, 6);
    const mac = createHmac('sha256', this.secret).update(body).digest().subarray(0, 12);
    return Buffer.concat([body, mac]).toString('base64url');
  }

  /** 'fresh', 'stale' (ours but expired) or 'invalid'. */
  private nonceState(nonce: string): 'fresh' | 'stale' | 'invalid' {
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== 27) return 'invalid';
    const body = bytes.subarray(0, 15);
    const mac = createHmac('sha256', this.secret).update(body).digest().subarray(0, 12);
    if (!timingSafeEqual(mac, bytes.subarray(15))) return 'invalid';
    const age = this.now() - body.readUIntBE(0, 6);
    return age >= 0 && age <= this.ttlMs ? 'fresh' : 'stale';
  }

  /** Checks the Authorization lines of a request against our realm. */
  async verify(method: string, requestUri: string, authorizationLines: string[]): Promise<DigestVerdict> {
    const credentials = authorizationLines.map(parseDigestParams).find((p) => p?.get('realm') === this.options.realm);
    if (!credentials) return { ok: false, stale: false, reason: 'no credentials for this realm' };
    const get = (name: string): string => credentials.get(name) ?? '';
    const algorithm = (credentials.get('algorithm') ?? 'MD5').toUpperCase() as DigestAlgorithm;
    if (!this.algorithms.includes(algorithm)) return { ok: false, stale: false, reason: 'algorithm not offered' };
    if (get('qop').toLowerCase() !== 'auth' || !/^[0-9a-f]{8}$/i.test(get('nc')) || get('cnonce') === '') {
      return { ok: false, stale: false, reason: 'qop=auth with nc and cnonce required' };
    }
    if (get('uri') !== requestUri) return { ok: false, stale: false, reason: 'digest uri differs from the Request-URI' };
    const nonce = get('nonce');
    const state = this.nonceState(nonce);
    if (state !== 'fresh') return { ok: false, stale: state === 'stale', reason: `nonce ${state}` };
    const username = get('username');
    const password = await this.options.password(username);
    if (password === undefined) return { ok: false, stale: false, reason: 'unknown user' };
    const ha1 = digestHash(algorithm, `${username}:${this.options.realm}:${password}`);
    const ha2 = digestHash(algorithm, `${method}:${get('uri')}`);
    const expected = digestHash(algorithm, `${ha1}:${nonce}:${get('nc')}:${get('cnonce')}:auth:${ha2}`);
    const given = get('response').toLowerCase();
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      return { ok: false, stale: false, reason: 'wrong response' };
    }
    const count = parseInt(get('nc'), 16);
    if (count <= (this.counts.get(nonce) ?? 0)) return { ok: false, stale: false, reason: 'nonce count replayed' };
    this.counts.delete(nonce);
    this.counts.set(nonce, count);
    if (this.counts.size > REPLAY_TABLE_SIZE) this.counts.delete(this.counts.keys().next().value!);
    return { ok: true, username };
  }
}
