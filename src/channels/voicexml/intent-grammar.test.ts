import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import { IntentGrammars, intentGrammar } from './intent-grammar.ts';
import { validateSrgsDocuments } from './validate.ts';

const SRGS_NS = 'http://www.w3.org/2001/06/grammar';

const bank = {
  id: 'bank',
  language: 'en-US',
  intents: [
    { name: 'balance', utterances: ['what is my balance', 'balance  please', ' what is my balance '] },
    { name: 'terms', utterances: ['terms & conditions', 'is <this> "free"?'] },
    { name: 'none', utterances: [] },
  ],
};

function items(xml: string): string[] {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  return Array.from(doc.getElementsByTagNameNS(SRGS_NS, 'item')).map((i) => i.textContent ?? '');
}

describe('the intent grammar of open questions', () => {
  it('holds every training utterance once, as the words said, in a grammar valid against the W3C SRGS schema', async () => {
    const grammar = intentGrammar(bank);
    expect(grammar).toBeDefined();
    const xml = grammar?.xml ?? '';
    expect(items(xml)).toEqual([
      'what is my balance',
      'balance please',
      'terms & conditions',
      'is <this> "free"?',
    ]);
    expect(xml).toContain('xml:lang="en-US"');
    expect(xml).not.toContain('<tag');
    const [result] = await validateSrgsDocuments([xml]);
    expect(result?.errors).toEqual([]);
    expect(result?.valid).toBe(true);
  });

  it('is named by its content: the same training data, the same version; other data, another', () => {
    const version = intentGrammar(bank)?.version;
    expect(version).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(intentGrammar({ ...bank, intents: [...bank.intents] })?.version).toBe(version);
    expect(
      intentGrammar({ ...bank, intents: [{ name: 'hours', utterances: ['when are you open'] }] })?.version,
    ).not.toBe(version);
  });

  it('does not exist for a bot without training utterances', () => {
    expect(intentGrammar({ ...bank, intents: [{ name: 'none', utterances: ['  '] }] })).toBeUndefined();
    expect(new IntentGrammars().pathFor({ ...bank, intents: [] })).toBeUndefined();
  });

  it("is served at its bot's path, this version and the few before it (documents fetched before a reload)", () => {
    const grammars = new IntentGrammars();
    const path = grammars.pathFor(bank) ?? '';
    const version = /^\/ivr\/grammars\/bank\/([A-Za-z0-9_-]{22})\.grxml$/.exec(path)?.[1] ?? '';
    expect(version).not.toBe('');
    expect(grammars.get(bank, version)).toBe(intentGrammar(bank)?.xml);
    expect(
      grammars.get(
        { ...bank, id: 'shop', intents: [{ name: 'order', utterances: ['where is my order'] }] },
        version,
      ),
    ).toBeUndefined();
    expect(grammars.get(bank, 'A'.repeat(22))).toBeUndefined();
    // reloads: each new definition of the bot has its own grammar; the last four are served
    const reloads = [1, 2, 3, 4].map((n) => ({
      ...bank,
      intents: [{ name: 'n', utterances: [`phrase ${n}`] }],
    }));
    const versions = reloads.map(
      (b) => /([A-Za-z0-9_-]{22})\.grxml$/.exec(grammars.pathFor(b) ?? '')?.[1] ?? '',
    );
    expect(grammars.get(reloads[3] ?? bank, versions[0] ?? '')).toContain('phrase 1');
    expect(grammars.get(reloads[3] ?? bank, version)).toBeUndefined();
  });
});
