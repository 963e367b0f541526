/**
 * The server's secret key: 32 random bytes that encrypt the IVR apps' client secrets at rest and sign the
 * IVR session references. `PARLEY_SECRET_KEY` (64 hex digits or 43 base64url characters) when set, else
 * the file `<dataDir>/secret-key`, generated at first use (mode 0600). Every node sharing one database must
 * use the same key: set `PARLEY_SECRET_KEY` when the database is PostgreSQL and the data folders differ.
 *
 * Keys for each purpose are derived from it with HKDF-SHA256, so one purpose's key never serves another.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParleyError } from '../../../errors.ts';

export const SECRET_KEY_FILE = 'secret-key';
const KEY_BYTES = 32;

export interface SecretKey {
  /** The master key (never leaves the process). */
  readonly bytes: Buffer;
  /** Where it came from: the environment variable or the file. */
  readonly source: 'env' | 'file';
  readonly generated: boolean;
  readonly file?: string;
}

function parseKey(text: string, where: string): Buffer {
  const value = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : /^[A-Za-z0-9_-]{43}=?$/.test(value) ? Buffer.from(value, 'base64url') : undefined;
  if (!bytes || bytes.length !== KEY_BYTES) {
    throw new ParleyError(
      'PARLEY_ERR_CONFIG',
      `${where} must hold 32 bytes as 64 hex digits or 43 base64url characters (generate one with \`openssl rand -hex 32\`)`,
    );
  }
  return bytes;
}

/** `PARLEY_SECRET_KEY`, or the data folder's key file (created with a new random key when missing). */
export function resolveSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretKey {
  const configured = env.PARLEY_SECRET_KEY;
  if (configured) return { bytes: parseKey(configured, 'PARLEY_SECRET_KEY'), source: 'env', generated: false };
  const file = join(dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) return { bytes: parseKey(readFileSync(file, 'utf8'), file), source: 'file', generated: false, file };
  mkdirSync(dataDir, { recursive: true });
  const bytes = randomBytes(KEY_BYTES);
  try {
    // `wx`: when two processes start at once, the second reads what the first wrote.
    writeFileSync(file, `${bytes.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { bytes: parseKey(readFileSync(file, 'utf8'), file), source: 'file', generated: false, file };
    throw error;
  }
  return { bytes, source: 'file', generated: true, file };
}

/** A key for one purpose (`info`), derived from the master key. */
export function deriveKey(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `parley:${info}`, KEY_BYTES));
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

/**
 * AES-256-GCM over short strings (client secrets). The ciphertext is `v1.<iv>.<tag>.<data>` in base64url;
 * `aad` binds it to its record (the client id), so a ciphertext copied onto another row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(master: Buffer) {
    this.key = deriveKey(master, 'ivr-app-secrets');
  }

  seal(plain: string, aad: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [FORMAT, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** The plain text, or a PARLEY_ERR_CONFIG error when the key differs from the one that sealed it. */
  open(sealed: string, aad: string): string {
    const [format, iv, tag, data] = sealed.split('.');
    if (format !== FORMAT || iv === undefined || tag === undefined || data === undefined) {
      throw new ParleyError('PARLEY_ERR_STORAGE', 'a stored IVR app secret is not in a format this version reads');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new ParleyError(
        'PARLEY_ERR_CONFIG',
        'an IVR app secret cannot be decrypted with this secret key: run every Parley process with the same PARLEY_SECRET_KEY (or the same data folder)',
        { cause: error },
      );
    }
  }
}
