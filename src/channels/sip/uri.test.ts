import { describe, expect, it } from 'vitest';
import { formatUri, isSipUri, parseUri } from './uri.ts';
import type { SipUri } from './uri.ts';

const sip = (text: string): SipUri => {
  const uri = parseUri(text);
  if (!isSipUri(uri)) throw new Error(`not a SIP URI: ${text}`);
  return uri;
};

describe('parseUri', () => {
  it('reads user, password, host, port, parameters and headers', () => {
    const uri = sip('sips:alice:secret@Atlanta.example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent');
    expect(uri).toMatchObject({ scheme: 'sips', user: 'alice', password: 'secret', host: 'atlanta.example.com', port: 5061 });
    expect([...uri.params]).toEqual([['transport', 'tcp'], ['lr', null]]);
    expect([...uri.headers]).toEqual([['subject', 'project x'], ['priority', 'urgent']]);
  });

  it('decodes escapes in the user part and parameters (RFC 4475 esc01, escnull)', () => {
    expect(sip('sip:sips%3Auser%40example.com@example.net').user).toBe('sips:user@example.com');
    expect(sip('sip:null-%00-null@example.com').user).toBe('null-\u0000-null');
    const contact = sip('sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31');
    expect([...contact.params]).toEqual([['lr', null], ['name', 'value%41']]);
  });

  it('lets the user part hold ; ? / and the password the unusual characters of RFC 4475 intmeth', () => {
    const uri = sip("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com");
    expect(uri.user).toBe("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
    expect(uri.password).toBe("&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
    expect(uri.host).toBe('example.com');
  });

  it('reads IPv6 references and tel: numbers, keeps other schemes opaque', () => {
    expect(sip('sip:[2001:db8::10]:5070')).toMatchObject({ host: '[2001:db8::10]', port: 5070 });
    expect(parseUri('tel:+1-201-555-0123;phone-context=example.com')).toMatchObject({ scheme: 'tel', number: '+1-201-555-0123' });
    expect(parseUri('soap.beep://192.0.2.103:3002')).toEqual({ scheme: 'soap.beep', opaque: '//192.0.2.103:3002' });
  });

  it('rejects malformed URIs', () => {
    for (const text of ['<sip:user@example.com>', 'sip:user@', 'sip:user@host:99999', 'sip:user@host;;lr', 'sip:us er@host', 'sip:host?x', 'nocolon', 'tel:abc-z']) {
      expect(parseUri(text), text).toBeUndefined();
    }
  });

  it('formats back to an equivalent URI, escaping what must be', () => {
    for (const text of ['sip:alice@atlanta.example.com;transport=tcp', 'sips:bob@[2001:db8::1]:5061', 'tel:+15551234;ext=7']) {
      expect(formatUri(parseUri(text)!)).toBe(text);
    }
    expect(formatUri(sip('sip:sips%3Auser%40example.com@example.net'))).toBe('sip:sips%3Auser%40example.com@example.net');
    expect(formatUri(sip('sip:host?Route=%3Csip:example.com%3E'))).toBe('sip:host?Route=%3Csip:example.com%3E');
  });
});
