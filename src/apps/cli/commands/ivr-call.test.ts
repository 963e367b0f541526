import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVxmlServer, vxml, type VxmlServer } from '../../../../test/support/vxml-server.ts';
import { ivrCallCommand } from './ivr-call.ts';

let server: VxmlServer;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'parley-ivr-call-'));
  server = await startVxmlServer({
    '/hook': (r) =>
      vxml(`<var name="endOfConversation" expr="true"/><var name="said" expr="''"/>
        <form><field name="answer"><grammar src="builtin:speech/transcribe"/><prompt>Hello <value expr="'${r.params.from ?? 'nobody'}'"/>, what do you need?</prompt>
        <filled><assign name="said" expr="answer"/><return namelist="endOfConversation said"/></filled></field></form>`),
    '/broken': () => '<vxml version="2.1" xmlns="http://www.w3.org/2001/vxml"><form><bogus/><block>Hi<exit/></block></form></vxml>',
  });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function run(args: string[], stdin = ''): Promise<{ out: string; err: string; code: number }> {
  let out = '';
  let err = '';
  let code = 0;
  const command = ivrCallCommand({
    out: (t) => (out += t),
    err: (t) => (err += t),
    input: Readable.from([stdin]),
    interactive: false,
    exit: (c) => (code = c),
  });
  await command.parseAsync(args, { from: 'user' });
  return { out, err, code };
}

describe('parley ivr call', () => {
  it('plays the script against the application and prints what the calling IVR receives, hiding the token', async () => {
    const script = join(dir, 'call.txt');
    await writeFile(script, '# the caller\nblock my card please\n');
    const { out, code } = await run(['call', `${server.url}/hook?token=secret.jwt`, '--script', script, '--param', 'from=Ada', '--param', 'message=hi', '--validate']);
    expect(out).toContain('IVR:    Hello Ada, what do you need?');
    expect(out).toContain('CALLER: block my card please');
    expect(out).toContain('→ POST');
    expect(out).not.toContain('secret.jwt');
    expect(out).toContain('"said": "block my card please"');
    expect(out).toContain('validation: 1 of 1 documents valid');
    expect(code).toBe(0);
    expect(server.requests.at(-1)?.params).toMatchObject({ token: 'secret.jwt', from: 'Ada', message: 'hi' });
  });

  it('reads the script from stdin, and fails when a document is not valid VoiceXML', async () => {
    const { out, err, code } = await run(['call', `${server.url}/broken`, '--validate'], 'silence\n');
    expect(out).toContain('IVR:    Hi');
    expect(err).toContain('invalid VoiceXML');
    expect(err).toContain('bogus');
    expect(code).toBe(1);
  });
});
