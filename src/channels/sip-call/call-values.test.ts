/**
 * What a call hands the bot and the transfer target: session values from the INVITE, User-to-User
 * (RFC 7433) both ways, context headers in a Refer-To URI, and the voice properties of a question.
 */
import { describe, expect, it } from 'vitest';
import type { AskAction } from '../../core/action.ts';
import type { Bot, EntityDef } from '../../core/bot.ts';
import { parseMessage } from '../sip/parser.ts';
import type { SipRequest } from '../sip/message.ts';
import { parseNameAddr } from '../sip/name-addr.ts';
import { parseUri } from '../sip/uri.ts';
import { withUriHeaders } from './call-transfer.ts';
import { planTurn } from './turn-plan.ts';
import { sessionValuesOf } from './session-values.ts';
import { decodeUserToUser, encodeUserToUser } from './user-to-user.ts';
import { askSettings } from './voice-settings.ts';

function invite(headers: string[]): SipRequest {
  const text = [
    'INVITE sip:bank@192.0.2.10 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
    'From: "Jane Doe" <sip:+15550100@carrier.example;user=phone>;tag=1',
    'To: <sip:bank@192.0.2.10>',
    'Call-ID: abc@192.0.2.1',
    'CSeq: 1 INVITE',
    'Max-Forwards: 70',
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || parsed.message.kind !== 'request') throw new Error('bad test message');
  return parsed.message;
}

describe('session values from the INVITE', () => {
  it('puts the caller and called numbers, every X- header and User-to-User in session', () => {
    const request = invite(['X-ContactID: 98765', 'x-campaign: spring', 'X-Skill: a', 'X-Skill: b', 'User-to-User: 04686B3D31;encoding=hex', 'P-Asserted-Identity: <sip:+15550199@carrier.example>']);
    const values = sessionValuesOf({ request, callId: 'abc@192.0.2.1', from: parseNameAddr(request.headers.get('From')!)!, to: parseNameAddr(request.headers.get('To')!)! });
    expect(values).toEqual({
      from: '+15550100',
      to: 'bank',
      sip: {
        callId: 'abc@192.0.2.1',
        requestUri: 'sip:bank@192.0.2.10',
        fromUri: 'sip:+15550100@carrier.example;user=phone',
        toUri: 'sip:bank@192.0.2.10',
        displayName: 'Jane Doe',
        headers: { 'X-ContactID': '98765', 'x-campaign': 'spring', 'X-Skill': 'a, b', 'User-to-User': '04686B3D31;encoding=hex' },
        userToUser: { text: 'hk=1', hex: '04686B3D31', encoding: 'hex' },
      },
    });
  });
});

describe('User-to-User (RFC 7433)', () => {
  it('carries text as ISDN user-user information, hex-encoded, and reads it back', () => {
    const value = encodeUserToUser('historyKey=abc_123');
    expect(value).toBe(`04${Buffer.from('historyKey=abc_123').toString('hex').toUpperCase()};encoding=hex;purpose=isdn-interwork;content=isdn-uui`);
    expect(decodeUserToUser(value)).toEqual({ text: 'historyKey=abc_123', hex: value.split(';')[0], encoding: 'hex', purpose: 'isdn-interwork', content: 'isdn-uui' });
  });

  it('fits 128 octets and keeps binary data as hex only', () => {
    expect(Buffer.from(encodeUserToUser('x'.repeat(500)).split(';')[0]!, 'hex')).toHaveLength(128);
    expect(decodeUserToUser('00FF10')).toEqual({ hex: '00FF10' });
    expect(decodeUserToUser('"plain words";encoding=text')).toEqual({ text: 'plain words', encoding: 'text' });
    expect(decodeUserToUser(';encoding=hex')).toBeUndefined();
  });
});

describe('context on a transfer target', () => {
  it('adds escaped headers to the Refer-To URI, which still parses', () => {
    const target = withUriHeaders('sip:agents@pbx.example.com;transport=tcp', { 'X-Session-History-Key': 'a_b-c', 'User-to-User': '04AB;encoding=hex' });
    expect(target).toBe('sip:agents@pbx.example.com;transport=tcp?X-Session-History-Key=a_b-c&User-to-User=04AB%3Bencoding%3Dhex');
    const uri = parseUri(target);
    expect(uri && 'headers' in uri ? Object.fromEntries(uri.headers) : undefined).toEqual({ 'X-Session-History-Key': 'a_b-c', 'User-to-User': '04AB;encoding=hex' });
    expect(withUriHeaders('tel:+15550100', { A: 'b' })).toBe('tel:+15550100');
  });
});

describe('the voice properties of a question', () => {
  const bot = { settings: { ivr: { properties: { timeout: 7000, termchar: '#', bargein: true } } } } as unknown as Bot;
  const ask = (entity: Partial<EntityDef> | 'confirm', voice: AskAction['voice'] = {}): AskAction => ({
    type: 'ask',
    nodeRef: 'd/n',
    expect: entity === 'confirm' ? { kind: 'confirm' } : { kind: 'entity', entity: { name: 'x', type: 'text', sensitive: false, ...entity } },
    sensitive: false,
    voice,
    grammars: [],
    noInput: [],
    noMatch: [],
    retries: 2,
  });

  it("takes the bot's defaults, overridden by the node's, and the entity's length for the keypad", () => {
    expect(askSettings(bot, ask({ type: 'digits', minLength: 8, maxLength: 8 }, { interdigittimeout: 2000 }))).toEqual({
      bargein: true,
      dtmf: true,
      speech: true,
      timeoutMs: 7000,
      maxSpeechMs: 15_000,
      keypad: { timeoutMs: 7000, interdigittimeoutMs: 2000, termtimeoutMs: 0, termchar: '#', minDigits: 8, maxDigits: 8, allowed: '0123456789*' },
    });
    expect(askSettings(bot, ask('confirm', { bargein: false })).bargein).toBe(false);
    expect(askSettings(bot, ask({ type: 'list', values: Array.from({ length: 12 }, (_, i) => ({ value: `v${i}`, synonyms: [] })) })).keypad).toMatchObject({ minDigits: 1, maxDigits: 2 });
    expect(askSettings(bot, ask({ type: 'yesno' }, { inputmodes: 'voice' }))).toMatchObject({ dtmf: false, speech: true });
    expect(askSettings(bot, ask({ type: 'yesno' }, { inputmodes: 'voice' })).keypad).toBeUndefined();
  });
});

describe('what a turn asks of the call', () => {
  it('speaks voice variants (SSML kept), then waits, transfers or hangs up', () => {
    const plan = planTurn([
      { type: 'say', prompt: { text: 'Hi', voice: '<speak>Hi <break time="1s"/></speak>' } },
      { type: 'setVariable', scope: 'session', name: 'x', value: 1 },
      { type: 'say', prompt: { text: 'Bye' } },
      { type: 'transfer', target: 'sip:desk@pbx', context: { entities: {}, variables: {}, transferInfo: {}, reason: 'requested' } },
      { type: 'end', outcome: 'escalated' },
    ]);
    expect(plan).toEqual({ prompts: ['<speak>Hi <break time="1s"/></speak>', 'Bye'], escalated: false, transferTo: 'sip:desk@pbx', hangup: false, end: 'escalated' });
  });
});
