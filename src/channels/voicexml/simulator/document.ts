/**
 * Fetching VoiceXML documents (and `<data>`, grammars) over HTTP the way a VoiceXML browser does:
 * `namelist` values as form-urlencoded fields, in the query for GET and in the body for POST; relative
 * URIs resolved against the current document; the fragment names the dialog to start.
 */
import { attr, childElements, parseXml, XmlParseError, type Element } from '../xml-dom.ts';
import { VxmlEvent } from './signals.ts';

export interface FetchRequest {
  url: string;
  method: 'get' | 'post';
  params: Array<[string, string]>;
}

export interface FetchRecord {
  kind: 'document' | 'data' | 'grammar';
  method: 'get' | 'post';
  /** Without the fragment. */
  url: string;
  params: Record<string, string>;
  status: number;
  body: string;
}

export interface LoadedDocument {
  url: string;
  root: Element;
  /** The dialog the URL's fragment names, if any. */
  fragment?: string;
}

export type FetchFn = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export function resolveUrl(target: string, base: string): string {
  try {
    return new URL(target, base).toString();
  } catch {
    throw new VxmlEvent('error.badfetch', `bad URI ${target}`);
  }
}

function splitFragment(url: string): { url: string; fragment?: string } {
  const hash = url.indexOf('#');
  if (hash < 0) return { url };
  const fragment = url.slice(hash + 1);
  return fragment ? { url: url.slice(0, hash), fragment } : { url: url.slice(0, hash) };
}

/** One HTTP fetch; HTTP errors and network failures become `error.badfetch…` events. */
export async function fetchText(fetchFn: FetchFn, kind: FetchRecord['kind'], request: FetchRequest, timeoutMs: number, record: (r: FetchRecord) => void): Promise<{ url: string; body: string; fragment?: string }> {
  const { url, fragment } = splitFragment(request.url);
  const body = new URLSearchParams(request.params).toString();
  let target = url;
  const init: { method: string; headers?: Record<string, string>; body?: string; signal: AbortSignal } = { method: request.method.toUpperCase(), signal: AbortSignal.timeout(timeoutMs) };
  if (request.method === 'get') {
    if (body) target += (url.includes('?') ? '&' : '?') + body;
  } else {
    init.headers = { 'content-type': 'application/x-www-form-urlencoded' };
    init.body = body;
  }
  let status = 0;
  let text = '';
  try {
    const response = await fetchFn(target, init);
    status = response.status;
    text = await response.text();
  } catch (cause) {
    record({ kind, method: request.method, url, params: Object.fromEntries(request.params), status: 0, body: '' });
    throw new VxmlEvent('error.badfetch', `${url}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  record({ kind, method: request.method, url, params: Object.fromEntries(request.params), status, body: text });
  if (status < 200 || status >= 300) throw new VxmlEvent(`error.badfetch.http.${status}`, url);
  return fragment ? { url, body: text, fragment } : { url, body: text };
}

/** Parses a fetched body as a VoiceXML document; anything else is `error.badfetch`. */
export function toDocument(fetched: { url: string; body: string; fragment?: string }): LoadedDocument {
  let root: Element | null;
  try {
    root = parseXml(fetched.body).documentElement;
  } catch (error) {
    throw new VxmlEvent('error.badfetch', `${fetched.url} is not well-formed XML (${error instanceof XmlParseError ? error.message : String(error)})`);
  }
  if (!root || root.localName !== 'vxml') throw new VxmlEvent('error.badfetch', `${fetched.url} is not a VoiceXML document`);
  return fetched.fragment ? { url: fetched.url, root, fragment: fetched.fragment } : { url: fetched.url, root };
}

/** The dialogs (`<form>`, `<menu>`) of a document. */
export function dialogsOf(root: Element): Element[] {
  return childElements(root).filter((e) => e.localName === 'form' || e.localName === 'menu');
}

export function findDialog(root: Element, id: string | undefined): Element | undefined {
  const dialogs = dialogsOf(root);
  if (id === undefined) return dialogs[0];
  return dialogs.find((d) => attr(d, 'id') === id);
}
