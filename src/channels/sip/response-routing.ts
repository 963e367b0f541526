/**
 * Where responses go (RFC 3261 §18.2.1, §18.2.2, RFC 3581): an arriving request's top Via gets
 * `received` (and `rport` when asked for) stamped from the packet source; responses then go back over
 * the same TCP connection, or for UDP to maddr, received:rport, received:sent-by-port or sent-by.
 *
 * With `forceRport`, responses always go to the packet source as if the client had asked for rport,
 * which is what callers behind NAT need (and what test harnesses that fake their Via rely on).
 */
import type { SipRequest } from './message.ts';
import type { Endpoint, Flow } from './transport.ts';
import { normalizeAddress } from './transport.ts';
import { formatVia, parseVia } from './via.ts';

/** Adds received/rport to the top Via of a request that arrived from `source`. */
export function stampVia(request: SipRequest, source: Endpoint): void {
  const top = request.headers.values('Via')[0];
  const via = top === undefined ? undefined : parseVia(top);
  if (!via) return;
  const wantsRport = via.params.has('rport');
  const sourceAddress = normalizeAddress(source.address);
  if (!wantsRport && normalizeAddress(via.host) === sourceAddress) return;
  via.params.set('received', sourceAddress);
  if (wantsRport) via.params.set('rport', String(source.port));
  request.headers.setFirstValue('Via', formatVia(via));
}

export interface ResponseTarget {
  remote: Endpoint;
  connectionId?: string;
}

export function responseTarget(request: { headers: SipRequest['headers'] }, flow: Flow, forceRport: boolean): ResponseTarget {
  const top = request.headers.values('Via')[0];
  const via = top === undefined ? undefined : parseVia(top);
  const viaTarget = via ? viaResponseTarget(via, flow) : flow.remote;
  const remote = forceRport || !via ? flow.remote : viaTarget;
  return flow.connectionId === undefined ? { remote } : { remote, connectionId: flow.connectionId };
}

function viaResponseTarget(via: NonNullable<ReturnType<typeof parseVia>>, flow: Flow): Endpoint {
  const received = via.params.get('received') ?? undefined;
  const defaultPort = via.port ?? 5060;
  if (flow.protocol === 'tcp') return { address: normalizeAddress(received ?? via.host), port: defaultPort };
  const maddr = via.params.get('maddr');
  if (maddr) return { address: normalizeAddress(maddr), port: defaultPort };
  const rport = via.params.get('rport');
  if (rport) return { address: normalizeAddress(received ?? flow.remote.address), port: Number(rport) };
  return { address: normalizeAddress(received ?? via.host), port: defaultPort };
}
