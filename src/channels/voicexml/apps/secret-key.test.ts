import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isParleyError } from '../../../errors.ts';
import { resolveSecretKey, SecretBox } from './secret-key.ts';

const root = mkdtempSync(join(tmpdir(), 'parley-secret-key-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the server secret key', () => {
  it('is generated into the data folder at first use, readable by its owner only, and reused after', () => {
    const dataDir = join(root, 'fresh', 'data');
    const first = resolveSecretKey(dataDir, {});
    expect(first).toMatchObject({ source: 'file', generated: true });
    expect(first.bytes).toHaveLength(32);
    expect(statSync(join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    const again = resolveSecretKey(dataDir, {});
    expect(again.generated).toBe(false);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(readFileSync(join(dataDir, 'secret-key'), 'utf8').trim()).toBe(first.bytes.toString('hex'));
  });

  it('comes from PARLEY_SECRET_KEY, hex or base64url, without touching the data folder', () => {
    const hex = 'ab'.repeat(32);
    const dataDir = join(root, 'env');
    expect(resolveSecretKey(dataDir, { PARLEY_SECRET_KEY: hex }).bytes.toString('hex')).toBe(hex);
    const b64 = Buffer.from(hex, 'hex').toString('base64url');
    expect(resolveSecretKey(dataDir, { PARLEY_SECRET_KEY: b64 }).bytes.toString('hex')).toBe(hex);
    expect(() => statSync(join(dataDir, 'secret-key'))).toThrow();
  });

  it('refuses a PARLEY_SECRET_KEY that is not 32 bytes, saying how to make one', () => {
    const error = (() => {
      try {
        return resolveSecretKey(root, { PARLEY_SECRET_KEY: 'too-short' });
      } catch (e) {
        return e;
      }
    })();
    expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_CONFIG');
    expect((error as Error).message).toMatch(/openssl rand -hex 32/);
  });
});

describe('sealing client secrets', () => {
  const key = Buffer.alloc(32, 7);
  const box = new SecretBox(key);

  it('gives back the secret, and never stores it in the clear or twice the same way', () => {
    const a = box.seal('s3cret-value', 'ivr_a');
    const b = box.seal('s3cret-value', 'ivr_a');
    expect(a).not.toContain('s3cret');
    expect(a).not.toBe(b);
    expect(box.open(a, 'ivr_a')).toBe('s3cret-value');
  });

  it('refuses a ciphertext moved onto another app, or opened with another key', () => {
    const sealed = box.seal('s3cret-value', 'ivr_a');
    expect(() => box.open(sealed, 'ivr_b')).toThrow(/same PARLEY_SECRET_KEY/);
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'ivr_a')).toThrow(/cannot be decrypted/);
    const [v, iv, tag, data] = sealed.split('.');
    const flipped = Buffer.from(data ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'ivr_a')).toThrow();
  });
});
