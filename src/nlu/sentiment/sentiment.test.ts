import { describe, expect, it } from 'vitest';
import { analyzeSentiment, sentiment } from './sentiment.ts';

describe('sentiment', () => {
  it.each([
    'this is ridiculous',
    "I've been waiting forever",
    'I have been on hold for an hour, this is unacceptable',
    'This is the THIRD time I call!!!',
    'I am not happy with this',
    'your app is useless and nobody helps',
    "it still doesn't work",
    'thanks but this is a joke',
  ])('%j is negative', (text) => {
    expect(sentiment(text)).toBeLessThan(-0.2);
  });

  it.each([
    "thanks so much, that's great",
    'perfect, thank you',
    'you have been very helpful',
    'no problem, thanks',
    'great, that worked',
    'not bad at all',
  ])('%j is positive', (text) => {
    expect(sentiment(text)).toBeGreaterThan(0.2);
  });

  it.each(['what is my balance', 'I want to pay my bill', 'four one five two', ''])(
    '%j is neutral',
    (text) => {
      expect(sentiment(text)).toBe(0);
    },
  );

  it('stays within -1 and 1 however strong the words', () => {
    const furious = sentiment(
      'this is the worst, most ridiculous, absolutely unacceptable, terrible, useless service!!!',
    );
    expect(furious).toBeGreaterThanOrEqual(-1);
    expect(furious).toBeLessThan(-0.9);
  });

  it('gets stronger with boosters and weaker with negation', () => {
    expect(sentiment('I am so frustrated')).toBeLessThan(sentiment('I am frustrated'));
    expect(sentiment('thanks so much')).toBeGreaterThan(sentiment('thanks'));
    expect(sentiment('not helpful')).toBeLessThan(0);
    expect(Math.abs(sentiment('a bit slow'))).toBeLessThan(Math.abs(sentiment('slow')));
  });

  it('weighs the clause after "but" more', () => {
    expect(sentiment('the agent was nice but the wait was terrible')).toBeLessThan(0);
    expect(sentiment('the wait was bad but the agent was wonderful')).toBeGreaterThan(0);
  });

  it('does not let a negation cross a comma', () => {
    expect(analyzeSentiment('no, thanks a lot').score).toBeGreaterThan(0);
  });

  it('gives the names of object properties no sentiment', () => {
    expect(sentiment('constructor')).toBe(0);
    expect(sentiment('the constructor is great')).toBeGreaterThan(0);
  });
});
