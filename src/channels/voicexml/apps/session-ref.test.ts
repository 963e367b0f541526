import { describe, expect, it } from 'vitest';
import { createSessionRefs } from './session-ref.ts';

const key = Buffer.alloc(32, 3);
let clock = Date.parse('2025-03-01T10:00:00Z');
const refs = createSessionRefs(key, { ttlMs: 60_000, now: () => clock });

describe('IVR session references', () => {
  it('carry the conversation of the bot that issued them', () => {
    const ref = refs.issue('bank', 'c0ffee00-1111-4222-8333-444455556666');
    expect(ref).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(refs.open('bank', ref)).toEqual({ ok: true, conversationId: 'c0ffee00-1111-4222-8333-444455556666' });
  });

  it('are refused on another bot, with another key, or once changed', () => {
    const ref = refs.issue('bank', 'conv-1');
    expect(refs.open('shop', ref)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(createSessionRefs(Buffer.alloc(32, 4)).open('bank', ref)).toEqual({ ok: false, reason: 'bad-signature' });
    const [, exp, mac] = ref.split('.');
    const other = `${Buffer.from('conv-2').toString('base64url')}.${exp}.${mac}`;
    expect(refs.open('bank', other)).toEqual({ ok: false, reason: 'bad-signature' });
    const later = `${ref.split('.')[0]}.${(Number.parseInt(exp ?? '0', 36) + 3600).toString(36)}.${mac}`;
    expect(refs.open('bank', later)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('open the same way whether this process remembers issuing them or not', () => {
    const ref = refs.issue('bank', 'conv-3');
    const restarted = createSessionRefs(key, { ttlMs: 60_000, now: () => clock });
    expect(restarted.open('bank', ref)).toEqual({ ok: true, conversationId: 'conv-3' });
    expect(refs.open('bank', ref)).toEqual({ ok: true, conversationId: 'conv-3' });
    // fetched again (a retried request): still valid
    expect(refs.open('bank', ref)).toEqual({ ok: true, conversationId: 'conv-3' });
    expect(restarted.open('shop', ref)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('cannot be guessed from a conversation id', () => {
    expect(refs.open('bank', 'conv-1')).toEqual({ ok: false, reason: 'malformed' });
    expect(refs.open('bank', `${Buffer.from('conv-1').toString('base64url')}.zzzzzz.${'A'.repeat(22)}`)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('expire', () => {
    const ref = refs.issue('bank', 'conv-1');
    clock += 59_000;
    expect(refs.open('bank', ref).ok).toBe(true);
    clock += 2_000;
    expect(refs.open('bank', ref)).toEqual({ ok: false, reason: 'expired' });
  });

  it('are shared by the documents of a call for a thirtieth of their lifetime, each valid for at least the rest', () => {
    const first = refs.issue('bank', 'conv-4');
    clock += 1_000;
    expect(refs.issue('bank', 'conv-4')).toBe(first);
    expect(refs.issue('bank', 'conv-5')).not.toBe(first);
    clock += 1_500; // 2.5 s after the first: a thirtieth of the 60 s lifetime has passed
    const second = refs.issue('bank', 'conv-4');
    expect(second).not.toBe(first);
    expect(refs.issue('bank', 'conv-4')).toBe(second);
    expect(refs.open('bank', first)).toEqual({ ok: true, conversationId: 'conv-4' });
    expect(refs.open('bank', second)).toEqual({ ok: true, conversationId: 'conv-4' });
    // the first expires 60 s after it was issued, the second 60 s after it was
    clock += 58_000;
    expect(refs.open('bank', first)).toEqual({ ok: false, reason: 'expired' });
    expect(refs.open('bank', second)).toEqual({ ok: true, conversationId: 'conv-4' });
    const restarted = createSessionRefs(key, { ttlMs: 60_000, now: () => clock });
    expect(restarted.open('bank', first)).toEqual({ ok: false, reason: 'expired' });
    expect(restarted.open('bank', second)).toEqual({ ok: true, conversationId: 'conv-4' });
  });

  it('of one conversation on another bot are that bot\'s own', () => {
    const bank = refs.issue('bank', 'conv-6');
    const shop = refs.issue('shop', 'conv-6');
    expect(shop).not.toBe(bank);
    expect(refs.open('shop', shop)).toEqual({ ok: true, conversationId: 'conv-6' });
    expect(refs.open('bank', shop)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(refs.open('shop', bank)).toEqual({ ok: false, reason: 'bad-signature' });
  });
});
