import { describe, expect, it } from 'vitest';
import { detectAmend } from './amend.ts';

const newValue = (text: string): string | undefined => {
  const cue = detectAmend(text);
  return cue && text.slice(cue.valueStart, cue.valueEnd).trim();
};

describe('amend cues', () => {
  it.each([
    ['no, make that two hundred', 'two hundred'],
    ['actually, change it to Friday', 'Friday'],
    ['change the date to the 3rd', 'the 3rd'],
    ['sorry, I meant the 3rd', 'the 3rd'],
    ['it should be 4152', '4152'],
    ['make it Friday instead', 'Friday'],
    ['no, not 100, make that 200', '200'],
    ['no, Friday instead', 'Friday'],
    ['scratch that, 50 dollars', '50 dollars'],
  ])('%j is a strong amendment with the new value %j', (text, value) => {
    expect(detectAmend(text)?.strong).toBe(true);
    expect(newValue(text)).toBe(value);
  });

  it.each([
    ['no, two hundred', 'two hundred'],
    ['actually Friday', 'Friday'],
    ['oops, 4152', '4152'],
  ])('%j starts with a weak cue before %j', (text, value) => {
    expect(detectAmend(text)?.strong).toBe(false);
    expect(newValue(text)).toBe(value);
  });

  it.each([
    'I want to pay my bill',
    'can you set it up for me',
    'I would rather talk to someone',
    'the card is not working',
  ])('%j has no cue', (text) => {
    expect(detectAmend(text)).toBeUndefined();
  });
});
