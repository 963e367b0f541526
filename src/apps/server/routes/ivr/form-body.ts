/**
 * Request bodies as VoiceXML browsers send them: `application/x-www-form-urlencoded` (the default `enctype`
 * of `<submit>`, `<data>` and `<subdialog>`) and `multipart/form-data` (`enctype="multipart/form-data"`,
 * used to post recordings). Both become a flat `{ name: value }` of text fields; file parts (recorded audio)
 * are left out. Registered inside the webhook's plugin only, so the rest of the API keeps JSON.
 */
import type { FastifyInstance } from 'fastify';

export type FormFields = Record<string, string>;

export function parseUrlEncoded(body: string): FormFields {
  const out: FormFields = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}

function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function dispositionParam(disposition: string, name: string): string | undefined {
  const m = new RegExp(`;\\s*${name}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(disposition);
  const value = m?.[1] ?? m?.[2];
  return value?.replace(/\\(.)/g, '$1');
}

/**
 * The text fields of a `multipart/form-data` body (RFC 7578). Returns undefined when the body is not
 * multipart with the boundary of its content type.
 */
export function parseMultipart(body: Buffer, contentType: string): FormFields | undefined {
  const boundary = boundaryOf(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  const out: FormFields = {};
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return out;
    // The delimiter line ends with CRLF (possibly after transport padding).
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const headersEnd = body.indexOf('\r\n\r\n', lineEnd);
    if (headersEnd < 0) return undefined;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headersEnd + 4);
    if (next < 0) return undefined;
    const headers = body.subarray(lineEnd + 2, headersEnd).toString('utf8').split('\r\n');
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = dispositionParam(disposition, 'name');
    if (name !== undefined && dispositionParam(disposition, 'filename') === undefined) {
      out[name] = body.subarray(headersEnd + 4, next).toString('utf8');
    }
    at = next + 2;
  }
}

/** Adds the two form parsers to `app` (an encapsulated plugin context). */
export function acceptForms(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (req, body, done) => {
    const fields = parseMultipart(body as Buffer, req.headers['content-type'] ?? '');
    if (fields) done(null, fields);
    else done(Object.assign(new Error('the multipart/form-data body does not match its boundary'), { statusCode: 400 }), undefined);
  });
}
