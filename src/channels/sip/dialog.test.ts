import { describe, expect, it } from 'vitest';
import { Dialog, dialogKeyOfRequest } from './dialog.ts';
import type { SipRequest } from './message.ts';
import { createRequest } from './message.ts';

function invite(extra: Array<[string, string]> = []): SipRequest {
  const headers: Array<[string, string]> = [
    ['Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKd'],
    ['From', '"Caller" <sip:caller@example.com>;tag=remote1'],
    ['To', '<sip:bank@parley.example>'],
    ['Call-ID', 'dlg-1'],
    ['CSeq', '10 INVITE'],
    ['Contact', '<sip:caller@192.0.2.1:5062;transport=udp>'],
    ...extra,
  ];
  return createRequest('INVITE', 'sip:bank@parley.example', headers.map(([name, value]) => ({ name, value })));
}

describe('Dialog (UAS side)', () => {
  it('takes its id, remote target and route set from the INVITE', () => {
    const dialog = Dialog.fromInvite(invite([['Record-Route', '<sip:p1.example.com;lr>, <sip:p2.example.com;lr>']]), 'local1', '<sip:bank@198.51.100.1>');
    expect(dialog.key).toBe('dlg-1|local1|remote1');
    expect(dialog.routeSet).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('sip:caller@192.0.2.1:5062;transport=udp');
    expect(bye.headers.getAll('Route')).toEqual(['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>']);
    expect(bye.headers.get('From')).toBe('<sip:bank@parley.example>;tag=local1');
    expect(bye.headers.get('To')).toBe('"Caller" <sip:caller@example.com>;tag=remote1');
    expect(dialog.nextHop()).toMatchObject({ host: 'p1.example.com' });
    // The peer's requests find the dialog: their To tag is ours, their From tag theirs.
    const peerBye = createRequest('BYE', 'sip:bank@198.51.100.1', [
      { name: 'From', value: '<sip:caller@example.com>;tag=remote1' },
      { name: 'To', value: '<sip:bank@parley.example>;tag=local1' },
      { name: 'Call-ID', value: 'dlg-1' },
    ]);
    expect(dialogKeyOfRequest(peerBye)).toBe(dialog.key);
  });

  it('routes strictly when the first route has no lr (RFC 3261 §12.2.1.1)', () => {
    const dialog = Dialog.fromInvite(invite([['Record-Route', '<sip:strict.example.com>, <sip:p2.example.com;lr>']]), 'l', '<sip:bank@198.51.100.1>');
    const bye = dialog.createRequest('BYE');
    expect(bye.uri).toBe('sip:strict.example.com');
    expect(bye.headers.getAll('Route')).toEqual(['<sip:p2.example.com;lr>', '<sip:caller@192.0.2.1:5062;transport=udp>']);
  });

  it('numbers our requests upwards, reuses the number for ACK, and rejects the peer going backwards', () => {
    const dialog = Dialog.fromInvite(invite(), 'l', '<sip:bank@198.51.100.1>');
    const first = Number(dialog.createRequest('INFO').headers.get('CSeq')!.split(' ')[0]);
    expect(dialog.createRequest('REFER').headers.get('CSeq')).toBe(`${first + 1} REFER`);
    expect(dialog.createRequest('ACK', {}, first).headers.get('CSeq')).toBe(`${first} ACK`);
    const peer = (seq: number): SipRequest => createRequest('INFO', 'sip:x@y', [{ name: 'CSeq', value: `${seq} INFO` }]);
    expect(dialog.acceptRemoteSeq(peer(11))).toBe(true);
    expect(dialog.acceptRemoteSeq(peer(11))).toBe(false);
    expect(dialog.acceptRemoteSeq(peer(9))).toBe(false);
  });

  it('follows a target refresh', () => {
    const dialog = Dialog.fromInvite(invite(), 'l', '<sip:bank@198.51.100.1>');
    dialog.refreshTarget(createRequest('INVITE', 'sip:x@y', [{ name: 'Contact', value: '<sip:caller@203.0.113.5:5080>' }]));
    expect(dialog.createRequest('BYE').uri).toBe('sip:caller@203.0.113.5:5080');
  });
});
