import { describe, expect, it } from 'vitest';
import { createRequest } from './message.ts';
import { responseTarget, stampVia } from './response-routing.ts';
import type { Flow } from './transport.ts';

const udp = (address: string, port: number): Flow => ({ protocol: 'udp', local: { address: '0.0.0.0', port: 5060 }, remote: { address, port } });
const withVia = (via: string) => createRequest('OPTIONS', 'sip:a@b', [{ name: 'Via', value: via }, { name: 'Via', value: 'SIP/2.0/UDP proxy;branch=z9hG4bK2' }]);

describe('stampVia and responseTarget (RFC 3261 §18.2, RFC 3581)', () => {
  it('adds received when sent-by is a name or another address, and answers there at the sent-by port', () => {
    const request = withVia('SIP/2.0/UDP pc33.example.com:5066;branch=z9hG4bK1');
    stampVia(request, { address: '192.0.2.4', port: 40000 });
    expect(request.headers.values('Via')[0]).toBe('SIP/2.0/UDP pc33.example.com:5066;branch=z9hG4bK1;received=192.0.2.4');
    expect(request.headers.values('Via')[1]).toBe('SIP/2.0/UDP proxy;branch=z9hG4bK2');
    expect(responseTarget(request, udp('192.0.2.4', 40000), false).remote).toEqual({ address: '192.0.2.4', port: 5066 });
  });

  it('leaves a matching sent-by alone and answers it, default port 5060', () => {
    const request = withVia('SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK1');
    stampVia(request, { address: '192.0.2.4', port: 40000 });
    expect(request.headers.values('Via')[0]).toBe('SIP/2.0/UDP 192.0.2.4;branch=z9hG4bK1');
    expect(responseTarget(request, udp('192.0.2.4', 40000), false).remote).toEqual({ address: '192.0.2.4', port: 5060 });
  });

  it('fills rport and received when asked, and answers the packet source', () => {
    const request = withVia('SIP/2.0/UDP 10.0.0.5:5060;rport;branch=z9hG4bK1');
    stampVia(request, { address: '203.0.113.9', port: 61000 });
    expect(request.headers.values('Via')[0]).toBe('SIP/2.0/UDP 10.0.0.5:5060;rport=61000;branch=z9hG4bK1;received=203.0.113.9');
    expect(responseTarget(request, udp('203.0.113.9', 61000), false).remote).toEqual({ address: '203.0.113.9', port: 61000 });
  });

  it('answers the packet source with forceRport, and over the same connection for TCP', () => {
    const request = withVia('SIP/2.0/UDP 10.0.0.5:5070;branch=z9hG4bK1');
    expect(responseTarget(request, udp('203.0.113.9', 61000), true).remote).toEqual({ address: '203.0.113.9', port: 61000 });
    const tcp: Flow = { protocol: 'tcp', local: { address: '0.0.0.0', port: 5060 }, remote: { address: '203.0.113.9', port: 61000 }, connectionId: 'tcp-7' };
    expect(responseTarget(withVia('SIP/2.0/TCP 203.0.113.9:5060;branch=z9hG4bK1'), tcp, false)).toEqual({ remote: { address: '203.0.113.9', port: 5060 }, connectionId: 'tcp-7' });
  });

  it('falls back to the packet source when the Via cannot be read', () => {
    expect(responseTarget(withVia('SIP/2.0/UDP 192.0.2.15;;,;,,'), udp('192.0.2.15', 5099), false).remote).toEqual({ address: '192.0.2.15', port: 5099 });
  });
});
