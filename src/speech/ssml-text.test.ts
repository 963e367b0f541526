import { describe, expect, it } from 'vitest';
import { isSsml, sentences, speechSegments, ssmlToSegments } from './ssml-text.ts';

describe('SSML for plain-text synthesisers', () => {
  it('keeps breaks as pauses, spells digits out, says aliases and ends paragraphs', () => {
    const ssml = '<speak><p>Your account <say-as interpret-as="digits">1234</say-as> is <sub alias="closed">CLSD</sub></p><break time="0.5s"/>Bye &amp; thanks<break strength="strong"/></speak>';
    expect(ssmlToSegments(ssml)).toEqual([
      { type: 'text', text: 'Your account 1 2 3 4 is closed.' },
      { type: 'pause', durationMs: 500 },
      { type: 'text', text: 'Bye & thanks' },
      { type: 'pause', durationMs: 700 },
    ]);
  });

  it('drops the tags of malformed SSML rather than speaking them', () => {
    expect(ssmlToSegments('<speak>Hello <break time="1s"> there</speak>')).toEqual([{ type: 'text', text: 'Hello there' }]);
  });

  it('tells SSML from text and splits sentences', () => {
    expect(isSsml('<?xml version="1.0"?><speak version="1.0">x</speak>')).toBe(true);
    expect(isSsml('Press <1> for sales')).toBe(false);
    expect(speechSegments('  Plain   text. ', false)).toEqual([{ type: 'text', text: 'Plain text.' }]);
    expect(sentences('Hello there. How are you? Fine!')).toEqual(['Hello there.', 'How are you?', 'Fine!']);
  });
});
