import { describe, expect, it } from 'vitest';
import { tokenize } from './normalize.ts';

describe('tokenize', () => {
  it('makes typed text and speech-recognition output look alike', () => {
    expect(tokenize("Uh, I've LOST my card!")).toEqual(tokenize('uh ive lost my card'));
    expect(tokenize('uh ive lost my card')).toEqual(['ive', 'lost', 'my', 'card']);
  });

  it('drops hesitation fillers, punctuation and accents', () => {
    expect(tokenize('um... er, café ¿por qué?')).toEqual(['cafe', 'por', 'que']);
    expect(tokenize('don’t')).toEqual(['dont']);
  });

  it('spells out symbols as a recogniser would write them', () => {
    expect(tokenize('send $50 & £20 @ 5%')).toEqual([
      'send',
      'dollar',
      '50',
      'and',
      'pound',
      '20',
      'at',
      '5',
      'percent',
    ]);
  });

  it('keeps letters of other scripts and digits', () => {
    expect(tokenize('Привет 123 東京')).toEqual(['привет', '123', '東京']);
    expect(tokenize('')).toEqual([]);
  });
});
