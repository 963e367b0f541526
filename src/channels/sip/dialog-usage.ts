/**
 * The UAC side of a dialog: sending requests inside it (BYE, INFO, REFER, re-INVITE) through client
 * transactions to the right place, ACKing 2xx answers to our re-INVITEs (again when they are
 * retransmitted), and turning timeouts and transport errors into 408/503 as RFC 3261 §8.1.3.1 says.
 */
import type { Dialog, RequestContent } from './dialog.ts';
import type { SipRequest, SipResponse } from './message.ts';
import { buildResponse } from './response-builder.ts';
import { parseCSeq } from './scalar-headers.ts';
import type { Destination, SipStack } from './sip-stack.ts';
import type { Flow } from './transport.ts';
import { isSipUri } from './uri.ts';

export class DialogUsage {
  private lastAck: { seq: number; request: SipRequest; destination: Destination } | undefined;

  constructor(
    readonly dialog: Dialog,
    private readonly stack: SipStack,
    /** The flow the dialog was created on: reused for TCP, and for UDP with forceRport. */
    private readonly flow: Flow,
    private readonly forceRport: boolean,
  ) {}

  /** Where in-dialog requests go: the same TCP connection if open, else the route set or remote target. */
  async destination(): Promise<Destination> {
    if (this.forceRport && this.flow.protocol === 'udp') return { protocol: 'udp', remote: this.flow.remote };
    const hop = this.dialog.nextHop();
    const resolved = isSipUri(hop) ? await this.stack.resolve(hop) : { protocol: this.flow.protocol, remote: this.flow.remote };
    if (this.flow.protocol !== 'tcp') return resolved;
    const remote = this.forceRport ? this.flow.remote : resolved.remote;
    return this.flow.connectionId === undefined ? { protocol: 'tcp', remote } : { protocol: 'tcp', remote, connectionId: this.flow.connectionId };
  }

  /**
   * Sends `method` in the dialog; resolves with the final response (408 on timeout, 503 on transport
   * error). `onSent` is called once the request is handed to the transport.
   */
  async request(method: string, content: RequestContent = {}, onSent?: () => void): Promise<SipResponse> {
    const request = this.dialog.createRequest(method, content);
    let destination: Destination;
    try {
      destination = await this.destination();
    } catch {
      onSent?.();
      return synthetic(request, 503);
    }
    return new Promise((resolve) => {
      let settled = false;
      const settle = (response: SipResponse): void => {
        if (!settled) resolve(response);
        settled = true;
      };
      this.stack.sendRequest(request, destination, {
        onResponse: (response) => {
          if (response.status < 200) return;
          if (method === 'INVITE' && response.status < 300) this.ack(request, destination);
          settle(response);
        },
        onTimeout: () => settle(synthetic(request, 408)),
        onTransportError: () => settle(synthetic(request, 503)),
      });
      onSent?.();
    });
  }

  private ack(invite: SipRequest, destination: Destination): void {
    const seq = parseCSeq(invite.headers.get('CSeq') ?? '')?.seq ?? this.dialog.localSeq;
    if (this.lastAck?.seq !== seq) this.lastAck = { seq, request: this.dialog.createRequest('ACK', {}, seq), destination };
    this.stack.sendStateless(this.lastAck.request, this.lastAck.destination).catch(() => undefined);
  }

  /** A 2xx to one of our INVITEs arrived after its transaction ended: ACK it again. */
  retransmitted2xx(response: SipResponse): void {
    const seq = parseCSeq(response.headers.get('CSeq') ?? '')?.seq;
    if (this.lastAck && seq === this.lastAck.seq) {
      this.stack.sendStateless(this.lastAck.request, this.lastAck.destination).catch(() => undefined);
    }
  }
}

function synthetic(request: SipRequest, status: number): SipResponse {
  return buildResponse(request, status);
}
