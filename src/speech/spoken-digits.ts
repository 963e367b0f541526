/** Spoken digits ("four oh seven", "double five") as the keys they stand for ("407", "55"). */

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', o: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
};

export const DIGIT_WORD_LIST = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** The digit string the words spell, or undefined when a word is not a digit. */
export function digitsFromWords(text: string): string | undefined {
  const words = text.toLowerCase().split(/[\s,.-]+/).filter(Boolean);
  let out = '';
  let repeat = 1;
  for (const word of words) {
    if (/^[0-9]+$/.test(word)) {
      out += word.repeat(repeat);
      repeat = 1;
      continue;
    }
    if (word === 'double' || word === 'triple') {
      repeat = word === 'double' ? 2 : 3;
      continue;
    }
    const digit = DIGIT_WORDS[word];
    if (digit === undefined) return undefined;
    out += digit.repeat(repeat);
    repeat = 1;
  }
  return out.length > 0 ? out : undefined;
}
