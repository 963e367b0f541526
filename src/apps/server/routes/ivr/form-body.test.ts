import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { acceptForms, parseMultipart, parseUrlEncoded } from './form-body.ts';

function multipart(boundary: string, parts: Array<{ name: string; value: string; filename?: string; type?: string }>): Buffer {
  const chunks = parts.map(
    (p) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
      `${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n${p.value}\r\n`,
  );
  return Buffer.from(`${chunks.join('')}--${boundary}--\r\n`);
}

describe('VoiceXML browser form bodies', () => {
  it('reads form-urlencoded fields, with + and percent escapes', () => {
    expect(parseUrlEncoded('userinput=what+is+my+balance&userinput_confidence=0.82&from=tel%3A%2B15550100&empty=')).toEqual({
      userinput: 'what is my balance',
      userinput_confidence: '0.82',
      from: 'tel:+15550100',
      empty: '',
    });
  });

  it('reads the text fields of multipart/form-data and leaves recordings out', () => {
    const body = multipart('----vxml42', [
      { name: 'userinput', value: 'I lost my card\r\nreally' },
      { name: 'userinput_inputmode', value: 'voice' },
      { name: 'recording', value: 'RIFF\u0000\u0001binary', filename: 'rec.wav', type: 'audio/wav' },
      { name: 'accent', value: 'Zoë' },
    ]);
    expect(parseMultipart(body, 'multipart/form-data; boundary=----vxml42')).toEqual({ userinput: 'I lost my card\r\nreally', userinput_inputmode: 'voice', accent: 'Zoë' });
    expect(parseMultipart(body, 'multipart/form-data; boundary="----vxml42"')).toEqual(expect.objectContaining({ accent: 'Zoë' }));
  });

  it('says the body is unreadable when the boundary is missing or wrong', () => {
    const body = multipart('abc', [{ name: 'a', value: '1' }]);
    expect(parseMultipart(body, 'multipart/form-data')).toBeUndefined();
    expect(parseMultipart(body, 'multipart/form-data; boundary=xyz')).toBeUndefined();
    expect(parseMultipart(Buffer.from('--abc\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), 'multipart/form-data; boundary=abc')).toBeUndefined();
  });

  it('parses both kinds of body on a route, and answers 400 for a broken multipart body', async () => {
    const app = Fastify();
    acceptForms(app);
    app.post('/echo', (req, reply) => reply.send(req.body));
    const form = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&b=two+words' });
    expect(form.json()).toEqual({ a: '1', b: 'two words' });
    const mp = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
      payload: multipart('XyZ', [{ name: 'message', value: 'hello' }]),
    });
    expect(mp.json()).toEqual({ message: 'hello' });
    const bad = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'multipart/form-data; boundary=XyZ' }, payload: 'garbage' });
    expect(bad.statusCode).toBe(400);
    await app.close();
  });
});
