import { describe, expect, it } from 'vitest';
import { extractYesNo } from './yesno.ts';

describe('yes/no entity', () => {
  it.each([
    'yes',
    'Yes.',
    'yeah',
    'yep',
    'yup',
    'yesss',
    'sure',
    'sure thing',
    'of course',
    'ok',
    'okay',
    'correct',
    "that's right",
    'that is correct',
    'right',
    'absolutely',
    'go ahead',
    'uh huh',
    'yes please',
    'sounds good',
    "I don't mind",
    'yeah, no problem',
    'no wait, yes',
  ])('%j is yes', (text) => {
    expect(extractYesNo(text)?.value).toBe(true);
  });

  it.each([
    'no',
    'No!',
    'nope',
    'nah',
    'no thanks',
    'no thank you',
    'not really',
    "that's not right",
    'that is not correct',
    'incorrect',
    'wrong',
    "I don't think so",
    'not exactly',
    'absolutely not',
    'negative',
    'yes, no wait, no',
    'no, make that two hundred',
  ])('%j is no', (text) => {
    expect(extractYesNo(text)?.value).toBe(false);
  });

  it.each(["I'm not sure", "I don't know", 'maybe', 'what is my balance', ''])(
    '%j answers neither',
    (text) => {
      expect(extractYesNo(text)).toBeUndefined();
    },
  );

  it('reports the words of the answer', () => {
    expect(extractYesNo('um yeah that is right')).toEqual({
      value: true,
      text: 'that is right',
      start: 8,
      end: 21,
    });
    expect(extractYesNo("that's not right")).toMatchObject({ text: "that's not right" });
  });
});
