import { describe, expect, it } from 'vitest';
import { formatNameAddr, parseNameAddr, tagOf } from './name-addr.ts';
import { parseUri } from './uri.ts';

describe('parseNameAddr', () => {
  it('reads quoted display names with escapes, the URI and header parameters', () => {
    const addr = parseNameAddr('"J Rosenberg \\\\\\""       <sip:jdrosen@example.com> ;   tag = 98asjd8');
    expect(addr?.displayName).toBe('J Rosenberg \\"');
    expect(addr?.uriText).toBe('sip:jdrosen@example.com');
    expect(tagOf(addr)).toBe('98asjd8');
  });

  it('reads token display names, with or without space before <', () => {
    expect(parseNameAddr('caller<sip:caller@example.com>;tag=323')?.displayName).toBe('caller');
    expect(parseNameAddr("token1~` token2'+_ <sip:mundane@example.com>")?.displayName).toBe("token1~` token2'+_");
  });

  it('treats parameters after a bare URI as header parameters, not URI parameters', () => {
    const addr = parseNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
    expect(addr?.params.has('unknownparam')).toBe(true);
    expect(addr && 'params' in addr.uri && addr.uri.params.size).toBe(0);
    const bracketed = parseNameAddr('<sip:+19725552222@gw1.example.net;unknownparam>');
    expect(bracketed?.params.size).toBe(0);
  });

  it('keeps quoted parameter values, including UTF-8', () => {
    const addr = parseNameAddr('<sip:a@b>;fromParam\'\'~+*_!.-%="работающий";tag=_token~1\'+`*%!-.');
    expect(addr?.params.get("fromparam''~+*_!.-%")).toBe('"работающий"');
    expect(tagOf(addr)).toBe("_token~1'+`*%!-.");
  });

  it('rejects the malformed addresses of RFC 4475', () => {
    for (const value of [
      '"Mr. J. User <sip:j.user@example.com>', // quotbal
      '"Watson, Thomas" < sip:t.watson@example.org >', // badaspec
      'Bell, Alexander <sip:a.g.bell@example.com>;tag=43', // baddn
      'sip:user@example.com?Route=%3Csip:sip.example.com%3E', // regbadct
      '"Joe" <sip:joe@example.org>;;;;', // badinv01
    ]) {
      expect(parseNameAddr(value), value).toBeUndefined();
    }
  });

  it('formats a display name, URI and parameters', () => {
    const uri = parseUri('sip:bank@parley.example')!;
    expect(formatNameAddr({ displayName: 'Say "hi"', uri, params: new Map([['tag', 'abc']]) })).toBe('"Say \\"hi\\"" <sip:bank@parley.example>;tag=abc');
  });
});
