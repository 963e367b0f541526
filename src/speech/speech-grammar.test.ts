import { describe, expect, it } from 'vitest';
import type { EntityDef } from '../core/bot.ts';
import { toJsgf } from './jsgf.ts';
import { NO_PHRASES, YES_PHRASES, speechGrammarFor } from './speech-grammar.ts';
import { digitsFromWords } from './spoken-digits.ts';
import { wordAgreement } from './word-agreement.ts';

const intents = [
  { name: 'balance', utterances: ['What is my balance?', 'check my balance'] },
  { name: 'hours', utterances: ['When are you open', 'Open 8 am?'] },
];
const entity = (e: Partial<EntityDef>): EntityDef => ({ name: 'x', type: 'text', sensitive: false, ...e });

describe('speech grammars from what the dialog expects', () => {
  const utterances = ['What is my balance?', 'check my balance', 'When are you open', 'Open 8 am?'];

  it("holds the main menu to the intents' utterances", () => {
    expect(speechGrammarFor({ expect: { kind: 'intent' }, intents })).toEqual({ phrases: utterances });
  });

  it("holds entities to their values, digits to their length, yes/no to yes and no, each with the intents' utterances for digressions; dates stay open", () => {
    const list = entity({ type: 'list', values: [{ value: 'debit', synonyms: ['bank card'] }, { value: 'credit', synonyms: [] }] });
    expect(speechGrammarFor({ expect: { kind: 'entity', entity: list }, intents })).toEqual({ phrases: ['debit', 'bank card', 'credit', ...utterances] });
    expect(speechGrammarFor({ expect: { kind: 'entity', entity: entity({ type: 'digits', minLength: 8, maxLength: 8 }) }, intents })).toEqual({ phrases: utterances, digits: { minDigits: 8, maxDigits: 8 } });
    expect(speechGrammarFor({ expect: { kind: 'entity', entity: entity({ type: 'number', max: 500 }) }, intents })?.digits).toEqual({ minDigits: 1, maxDigits: 3 });
    expect(speechGrammarFor({ expect: { kind: 'confirm' }, intents })).toEqual({ phrases: [...YES_PHRASES, ...NO_PHRASES, ...utterances] });
    expect(speechGrammarFor({ expect: { kind: 'entity', entity: entity({ type: 'date' }) }, intents })).toBeUndefined();
  });

  it("prefers the node's own voice grammar, alone: VoiceXML built-ins and inline SRGS items", () => {
    const expect_ = { kind: 'intent' } as const;
    expect(speechGrammarFor({ expect: expect_, intents, grammars: [{ mode: 'voice', src: 'builtin:grammar/digits?minlength=4;maxlength=6' }] })).toEqual({ phrases: [], digits: { minDigits: 4, maxDigits: 6 } });
    expect(speechGrammarFor({ expect: expect_, intents, grammars: [{ mode: 'dtmf', src: 'builtin:dtmf/digits' }, { mode: 'voice', src: 'builtin:boolean' }] })).toEqual({ phrases: [...YES_PHRASES, ...NO_PHRASES] });
    const srgs = '<grammar root="r"><rule id="r"><one-of><item>sales</item><item>customer service</item></one-of></rule></grammar>';
    expect(speechGrammarFor({ expect: expect_, intents, grammars: [{ mode: 'voice', inline: srgs }] })).toEqual({ phrases: ['sales', 'customer service'] });
  });
});

describe('JSGF for pocketsphinx', () => {
  const dictionary = new Set(['what', 'is', 'my', 'balance', 'check', 'when', 'are', 'you', 'open', 'one', 'two', 'oh', 'zero', 'i', 'to', 'please']);
  it('writes dictionary words only, leaving out phrases it cannot say, with small words allowed around them', () => {
    const jsgf = toJsgf(speechGrammarFor({ expect: { kind: 'intent' }, intents })!, (w) => dictionary.has(w));
    expect(jsgf).toBe(
      [
        '#JSGF V1.0;',
        'grammar parley;',
        '<lead> = i | to | you | please;',
        '<tail> = please | you;',
        '<core> = what is my balance | check my balance | when are you open;',
        'public <utterance> = [<lead>+] <core> [<tail>+];',
        '',
      ].join('\n'),
    );
    expect(toJsgf({ phrases: ['xyzzy'] }, (w) => dictionary.has(w))).toBeUndefined();
  });

  it('writes a digit string of the allowed length beside the phrases, without fillers that sound like digits', () => {
    const jsgf = toJsgf({ phrases: ['check my balance'], digits: { minDigits: 2, maxDigits: 3 } }, (w) => dictionary.has(w))!;
    expect(jsgf).toContain('<digit> = zero | oh | one | two;\n<digits> = <digit> <digit> [<digit>];');
    expect(jsgf).toContain('<lead> = i | you | please;\n<tail> = please | you;\n<core> = <digits> | check my balance;');
  });
});

describe('spoken words', () => {
  it('reads digits the way callers say them', () => {
    expect(digitsFromWords('four oh seven double five')).toBe('40755');
    expect(digitsFromWords('one two three')).toBe('123');
    expect(digitsFromWords('one hundred')).toBeUndefined();
  });

  it('measures how far two hypotheses agree', () => {
    expect(wordAgreement('talk to an agent', 'come to an agent')).toBe(0.75);
    expect(wordAgreement('goodbye', 'good bye')).toBe(1);
    expect(wordAgreement('one two', 'won to')).toBe(1);
    expect(wordAgreement('what are your opening hours', 'the weather is lovely in paris today')).toBeLessThan(0.2);
  });
});
