import { describe, expect, it } from 'vitest';
import { ivrSettings } from '../../../test/support/ivr-fixtures.ts';
import { readIvrStart, readIvrSubmission } from './submission.ts';

const settings = ivrSettings({ confidenceThreshold: 50 });

describe('readIvrStart', () => {
  it('reads message, from, to and keeps the other parameters as custom variables', () => {
    expect(readIvrStart({ token: 'jwt', message: '  my card is lost ', from: 'tel:+15550100', to: 'bank', accountType: 'gold', language: 'en' })).toEqual({
      message: 'my card is lost',
      from: 'tel:+15550100',
      to: 'bank',
      custom: { accountType: 'gold', language: 'en' },
    });
    expect(readIvrStart({ message: '' })).toEqual({ custom: {} });
  });
});

describe('readIvrSubmission', () => {
  it('gives keys to the engine as keys, the keypad boolean as 1/2, a keypad choice value as text', () => {
    expect(readIvrSubmission({ userinput: '12345678', userinput_inputmode: 'dtmf', userinput_confidence: '1' }, settings)).toEqual({ type: 'dtmf', digits: '12345678' });
    expect(readIvrSubmission({ userinput: 'true', userinput_inputmode: 'dtmf' }, settings)).toEqual({ type: 'dtmf', digits: '1' });
    expect(readIvrSubmission({ userinput: 'false', userinput_inputmode: 'dtmf' }, settings)).toEqual({ type: 'dtmf', digits: '2' });
    expect(readIvrSubmission({ userinput: 'what is my balance', userinput_inputmode: 'dtmf', userinput_confidence: '1' }, settings)).toEqual({
      type: 'text',
      text: 'what is my balance',
      mode: 'dtmf',
      confidence: 1,
    });
  });

  it('applies the ASR confidence threshold to speech, reading 0–1 or percentages, and the literal configured keys', () => {
    expect(readIvrSubmission({ userinput: 'block my card', userinput_confidence: '0.42', userinput_inputmode: 'voice' }, settings)).toEqual({ type: 'noMatch', exhausted: false, confidence: 0.42 });
    expect(readIvrSubmission({ userinput: 'block my card', 'userinput.confidence': '80' }, settings)).toEqual({ type: 'text', text: 'block my card', mode: 'voice', confidence: 0.8 });
    expect(readIvrSubmission({ userinput: 'true', userinput_inputmode: 'voice' }, settings)).toEqual({ type: 'text', text: 'yes', mode: 'voice' });
    expect(readIvrSubmission({ userinput: '   ' }, settings)).toEqual({ type: 'noInput', exhausted: false });
  });

  it('reads the events the documents submit, and nothing from a request without an answer', () => {
    expect(readIvrSubmission({ parley_event: 'noinput' }, settings)).toEqual({ type: 'noInput', exhausted: true });
    expect(readIvrSubmission({ parley_event: 'nomatch' }, settings)).toEqual({ type: 'noMatch', exhausted: true });
    expect(readIvrSubmission({ parley_event: 'hangup' }, settings)).toEqual({ type: 'hangup' });
    expect(readIvrSubmission({ parley_event: 'error', parley_error: 'error.badfetch.http.503' }, settings)).toEqual({ type: 'error', event: 'error.badfetch.http.503' });
    expect(readIvrSubmission({ parley_event: 'continue' }, settings)).toEqual({ type: 'continue' });
    expect(readIvrSubmission({ message: 'hello' }, settings)).toBeUndefined();
  });

  it('follows a custom data key', () => {
    const custom = ivrSettings({ dataKey: 'caller.said', confidenceKey: 'caller.score' });
    expect(readIvrSubmission({ caller_said: 'agent', caller_score: '0.9', caller_said_inputmode: 'voice' }, custom)).toEqual({ type: 'text', text: 'agent', mode: 'voice', confidence: 0.9 });
  });
});
