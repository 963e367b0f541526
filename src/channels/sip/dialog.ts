/**
 * A dialog (RFC 3261 §12): its id, route set, remote target and sequence numbers, and the building of
 * requests inside it (§12.2.1.1, loose and strict routing). Created on the UAS side from an INVITE, or on
 * the UAC side from the 2xx to an INVITE we sent; the same state serves the in-dialog requests we send
 * (BYE, REFER, INFO, re-INVITE).
 */
import { randomInt } from 'node:crypto';
import type { HeaderField, SipRequest, SipResponse } from './message.ts';
import { SipHeaders, toBody } from './message.ts';
import type { NameAddr } from './name-addr.ts';
import { parseNameAddr, tagOf } from './name-addr.ts';
import { parseCSeq } from './scalar-headers.ts';
import type { Uri } from './uri.ts';
import { formatUri } from './uri.ts';

export function dialogKey(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}|${localTag}|${remoteTag}`;
}

/** The key of the dialog an arriving request belongs to: it is the UAC, so its From is our remote. */
export function dialogKeyOfRequest(request: SipRequest): string {
  const to = tagOf(parseNameAddr(request.headers.get('To') ?? '')) ?? '';
  const from = tagOf(parseNameAddr(request.headers.get('From') ?? '')) ?? '';
  return dialogKey(request.headers.get('Call-ID') ?? '', to, from);
}

export interface RequestContent {
  headers?: HeaderField[];
  body?: Buffer | string;
  contentType?: string;
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
  /** Our address with our tag: the From of requests we send. */
  readonly localAddress: string;
  /** The peer's address with its tag: the To of requests we send. */
  readonly remoteAddress: string;
  /** Record-Route of the INVITE, in order (§12.1.1). */
  readonly routeSet: string[];
  remoteTarget: Uri;
  remoteSeq: number;
  localSeq: number;
  readonly localContact: string;

  private constructor(init: Omit<Dialog, 'key' | 'createRequest' | 'nextHop' | 'acceptRemoteSeq' | 'refreshTarget'>) {
    this.callId = init.callId;
    this.localTag = init.localTag;
    this.remoteTag = init.remoteTag;
    this.localAddress = init.localAddress;
    this.remoteAddress = init.remoteAddress;
    this.routeSet = init.routeSet;
    this.remoteTarget = init.remoteTarget;
    this.remoteSeq = init.remoteSeq;
    this.localSeq = init.localSeq;
    this.localContact = init.localContact;
  }

  /** The UAS dialog an INVITE creates once we answer it with `localTag` and `localContact` (§12.1.1). */
  static fromInvite(invite: SipRequest, localTag: string, localContact: string): Dialog {
    const from = parseNameAddr(invite.headers.get('From')!)!;
    const contact = invite.headers.values('Contact').map(parseNameAddr).find((c): c is NameAddr => c !== undefined);
    return new Dialog({
      callId: invite.headers.get('Call-ID')!,
      localTag,
      remoteTag: tagOf(from) ?? '',
      localAddress: `${invite.headers.get('To')!};tag=${localTag}`,
      remoteAddress: invite.headers.get('From')!,
      routeSet: invite.headers.values('Record-Route'),
      // Without a Contact (RFC 2543 callers), the From URI is the best target there is.
      remoteTarget: contact?.uri ?? from.uri,
      remoteSeq: parseCSeq(invite.headers.get('CSeq')!)!.seq,
      localSeq: randomInt(1, 2 ** 31),
      localContact,
    });
  }

  /**
   * The UAC dialog a 2xx to our INVITE creates (§12.1.2): the route set is the response's Record-Route in
   * reverse, the remote target its Contact; the peer's CSeq numbers are not known yet.
   */
  static fromResponse(invite: SipRequest, response: SipResponse, localContact: string): Dialog {
    const from = parseNameAddr(invite.headers.get('From')!)!;
    const to = parseNameAddr(response.headers.get('To')!)!;
    const contact = response.headers.values('Contact').map(parseNameAddr).find((c): c is NameAddr => c !== undefined);
    return new Dialog({
      callId: invite.headers.get('Call-ID')!,
      localTag: tagOf(from) ?? '',
      remoteTag: tagOf(to) ?? '',
      localAddress: invite.headers.get('From')!,
      remoteAddress: response.headers.get('To')!,
      routeSet: response.headers.values('Record-Route').reverse(),
      remoteTarget: contact?.uri ?? to.uri,
      remoteSeq: 0,
      localSeq: parseCSeq(invite.headers.get('CSeq')!)!.seq,
      localContact,
    });
  }

  get key(): string {
    return dialogKey(this.callId, this.localTag, this.remoteTag);
  }

  /** The URI the next request goes to: the first route, or the remote target. */
  nextHop(): Uri {
    const first = this.routeSet[0];
    return (first === undefined ? undefined : parseNameAddr(first)?.uri) ?? this.remoteTarget;
  }

  /**
   * A request inside the dialog. ACK and CANCEL reuse `seq`; other methods take the next local number.
   * The stack adds Via when sending.
   */
  createRequest(method: string, content: RequestContent = {}, seq?: number): SipRequest {
    const cseq = seq ?? ++this.localSeq;
    const first = this.routeSet[0] === undefined ? undefined : parseNameAddr(this.routeSet[0]);
    const loose = first === undefined || first.uri.scheme === 'tel' || ('params' in first.uri && first.uri.params.has('lr'));
    const routes = loose ? this.routeSet : [...this.routeSet.slice(1), `<${formatUri(this.remoteTarget)}>`];
    const uri = loose ? this.remoteTarget : first.uri;
    const headers = new SipHeaders();
    headers.append('Max-Forwards', '70');
    headers.append('From', this.localAddress);
    headers.append('To', this.remoteAddress);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${cseq} ${method}`);
    for (const route of routes) headers.append('Route', route);
    if (method !== 'ACK' && method !== 'CANCEL' && method !== 'BYE') headers.append('Contact', this.localContact);
    for (const field of content.headers ?? []) headers.append(field.name, field.value);
    const body = toBody(content.body ?? '');
    if (body.length > 0 && content.contentType) headers.set('Content-Type', content.contentType);
    return { kind: 'request', method, uri: formatUri(uri), version: 'SIP/2.0', headers, body };
  }

  /** §12.2.2: a request with a lower CSeq than the last one is out of order (answered 500). */
  acceptRemoteSeq(request: SipRequest): boolean {
    const seq = parseCSeq(request.headers.get('CSeq') ?? '')?.seq;
    if (seq === undefined || seq <= this.remoteSeq) return false;
    this.remoteSeq = seq;
    return true;
  }

  /** A target refresh (re-INVITE) may change the remote target (§12.2.2). */
  refreshTarget(request: SipRequest): void {
    const contact = parseNameAddr(request.headers.values('Contact')[0] ?? '');
    if (contact) this.remoteTarget = contact.uri;
  }
}
