import { describe, expect, it } from 'vitest';
import { HistoryLinks } from './history-link.ts';

describe('conversation history links', () => {
  const links = new HistoryLinks('api-key-1', () => 'http://parley.test', 60_000);

  it('verifies a link it signed until it expires', () => {
    const url = new URL(links.link('hk-1', 1_000_000));
    expect(url.pathname).toBe('/history');
    const [key, expires, sig] = ['session_history_key', 'expires', 'signature'].map((k) => url.searchParams.get(k) ?? undefined);
    expect(key).toBe('hk-1');
    expect(links.verify('hk-1', expires, sig, 1_000_000)).toBe(true);
    expect(links.verify('hk-1', expires, sig, 1_061_000)).toBe(false);
  });

  it('refuses another key, a changed expiry, a missing signature, and links of another server', () => {
    const url = new URL(links.link('hk-1', 0));
    const expires = url.searchParams.get('expires') ?? '';
    const sig = url.searchParams.get('signature') ?? '';
    expect(links.verify('hk-2', expires, sig, 0)).toBe(false);
    expect(links.verify('hk-1', String(Number(expires) + 3600), sig, 0)).toBe(false);
    expect(links.verify('hk-1', expires, undefined, 0)).toBe(false);
    expect(new HistoryLinks('another-key', () => '').verify('hk-1', expires, sig, 0)).toBe(false);
  });
});
