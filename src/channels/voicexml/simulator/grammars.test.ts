import { describe, expect, it } from 'vitest';
import { parseXml } from '../xml-dom.ts';
import { parseAbnf } from './abnf.ts';
import { builtinTypeMatcher, builtinUriMatcher, spokenNumber } from './builtin-grammars.ts';
import { matchGrammar, words, type RuleGrammar } from './rule-grammar.ts';
import { srgsFromElement } from './srgs-xml.ts';

function srgs(xml: string): RuleGrammar {
  const root = parseXml(xml).documentElement;
  const g = root ? srgsFromElement(root) : undefined;
  if (!g) throw new Error('no grammar');
  return g;
}

const said = (g: RuleGrammar, text: string) => matchGrammar(g, words(text, g.mode), text)?.value;

describe('built-in grammars', () => {
  it('digits honour length, minlength and maxlength, by keys and by voice', () => {
    const pin = builtinUriMatcher('builtin:dtmf/digits?length=4');
    expect(pin?.({ mode: 'dtmf', text: '1234' })).toEqual({ value: '1234' });
    expect(pin?.({ mode: 'dtmf', text: '123' })).toBeUndefined();
    expect(pin?.({ mode: 'voice', text: '1234' })).toBeUndefined();
    const account = builtinUriMatcher('builtin:voice/digits?minlength=3;maxlength=5');
    expect(account?.({ mode: 'voice', text: 'four five six seven' })).toEqual({ value: '4567' });
    expect(account?.({ mode: 'voice', text: 'one two' })).toBeUndefined();
    expect(account?.({ mode: 'voice', text: 'four five banana' })).toBeUndefined();
  });

  it('boolean: 1/2 on the keypad, yes/no words by voice', () => {
    const keys = builtinUriMatcher('builtin:dtmf/boolean');
    expect(keys?.({ mode: 'dtmf', text: '1' })).toEqual({ value: true });
    expect(keys?.({ mode: 'dtmf', text: '2' })).toEqual({ value: false });
    expect(keys?.({ mode: 'dtmf', text: '3' })).toBeUndefined();
    const voice = builtinTypeMatcher('boolean', 'both');
    expect(voice?.({ mode: 'voice', text: "Yes, that's right" })).toEqual({ value: true });
    expect(voice?.({ mode: 'voice', text: 'no thanks' })).toEqual({ value: false });
    expect(voice?.({ mode: 'voice', text: 'maybe' })).toBeUndefined();
  });

  it('numbers from words', () => {
    expect(spokenNumber('two hundred and forty five')).toBe(245);
    expect(spokenNumber('1,500')).toBe(1500);
    expect(spokenNumber('three thousand twenty')).toBe(3020);
    expect(spokenNumber('twelve point five')).toBe(12.5);
    expect(spokenNumber('lots')).toBeUndefined();
  });

  it('the transcription grammar accepts any speech and no keys', () => {
    const any = builtinUriMatcher('builtin:speech/transcribe');
    expect(any?.({ mode: 'voice', text: 'whatever I like' })).toEqual({ value: 'whatever I like' });
    expect(any?.({ mode: 'dtmf', text: '1' })).toBeUndefined();
  });
});

describe('SRGS XML grammars', () => {
  it('matches one-of items with literal tags, optional items and rule references', () => {
    const g = srgs(`<grammar xmlns="http://www.w3.org/2001/06/grammar" version="1.0" root="main" tag-format="semantics/1.0-literals">
      <rule id="main" scope="public"><item repeat="0-1"><ruleref uri="#polite"/></item><one-of>
        <item>checking<tag>chk</tag></item><item>savings account<tag>sav</tag></item></one-of></rule>
      <rule id="polite"><one-of><item>please</item><item>I want</item></one-of></rule></grammar>`);
    expect(said(g, 'checking')).toBe('chk');
    expect(said(g, 'I want savings account')).toBe('sav');
    expect(said(g, 'Savings account!')).toBe('sav');
    expect(said(g, 'savings')).toBeUndefined();
    expect(said(g, 'checking please')).toBeUndefined();
  });

  it('reads DTMF items key by key and simple semantics/1.0 assignments', () => {
    const g = srgs(`<grammar mode="dtmf" root="r" tag-format="semantics/1.0"><rule id="r"><one-of>
      <item>1 0<tag>out = 'ten';</tag></item><item>#<tag>out.action = "back";</tag></item></one-of></rule></grammar>`);
    expect(matchGrammar(g, words('10', 'dtmf'), '10')?.value).toBe('ten');
    expect(matchGrammar(g, words('#', 'dtmf'), '#')?.value).toEqual({ action: 'back' });
    expect(matchGrammar(g, words('1', 'dtmf'), '1')).toBeUndefined();
  });
});

describe('ABNF grammars', () => {
  it('matches alternatives, optional words, groups and repeats; the last tag is the result', () => {
    const g = parseAbnf(`#ABNF 1.0 UTF-8; language en-US; mode voice; root $main; tag-format <semantics/1.0-literals>;
      public $main = [$polite] (agent {agent} | operator {agent} | (my | the) balance {balance});
      $polite = please | I want <0-1> to talk to;`);
    expect(said(g, 'agent')).toBe('agent');
    expect(said(g, 'please operator')).toBe('agent');
    expect(said(g, 'I want to talk to the balance')).toBe('balance');
    expect(said(g, 'my')).toBeUndefined();
  });

  it('keys in dtmf mode', () => {
    const g = parseAbnf('#ABNF 1.0; mode dtmf; root $k; public $k = 1 {one} | 2 {two} | 9 9 {nn};');
    expect(matchGrammar(g, words('99', 'dtmf'), '99')?.value).toBe('nn');
    expect(matchGrammar(g, words('3', 'dtmf'), '3')).toBeUndefined();
  });
});
