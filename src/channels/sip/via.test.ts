import { describe, expect, it } from 'vitest';
import { branchOf, formatVia, isRfc3261Branch, parseVia, sentByKey } from './via.ts';

describe('parseVia', () => {
  it('reads protocol, transport, sent-by and parameters, with LWS around / ; and =', () => {
    const via = parseVia('SIP  /   2.0  /UDP     192.0.2.2;branch=390skdjuw');
    expect(via).toMatchObject({ protocol: 'SIP/2.0', transport: 'UDP', host: '192.0.2.2' });
    const spaced = parseVia('SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8');
    expect(spaced && branchOf(spaced)).toBe('z9hG4bK9ikj8');
  });

  it('reads received, rport (with and without value) and IPv6 sent-by', () => {
    const via = parseVia('SIP/2.0/UDP [2001:db8::9]:5070;rport;received=2001:db8::1;branch=z9hG4bKx')!;
    expect(via.port).toBe(5070);
    expect(via.params.get('rport')).toBeNull();
    expect(via.params.get('received')).toBe('2001:db8::1');
    expect(sentByKey(via)).toBe('[2001:db8::9]:5070');
  });

  it('rejects malformed values', () => {
    for (const value of ['SIP/2.0/UDP 192.0.2.15;;', 'SIP/2.0 192.0.2.1', 'SIP/2.0/UDP', 'SIP/2.0/UDP host;received=nohost', 'SIP/2.0/UDP host;branch', 'SIP/2.0/UDP host:70000']) {
      expect(parseVia(value), value).toBeUndefined();
    }
  });

  it('tells RFC 3261 branches from older ones (RFC 4475 badbranch)', () => {
    expect(isRfc3261Branch('z9hG4bK776asdhds')).toBe(true);
    expect(isRfc3261Branch('z9hG4bK')).toBe(false);
    expect(isRfc3261Branch('390skdjuw')).toBe(false);
  });

  it('formats a value that parses back the same', () => {
    const via = parseVia('SIP/2.0/TCP host.example.com:5062;branch=z9hG4bKabc;received=192.0.2.4')!;
    expect(parseVia(formatVia(via))).toEqual(via);
  });
});
