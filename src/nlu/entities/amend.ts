/**
 * Amend cues: the caller corrects a value given earlier — "no, make that two hundred", "actually, change
 * it to Friday", "sorry, I meant the 3rd", "Friday instead". A strong cue counts anywhere in the text, a
 * weak one ("no,", "actually", "sorry", "wait") only at the start. Either way the engine reports an
 * amendment only when a value is found where the new value is said: after the last cue.
 */
export interface AmendCue {
  strong: boolean;
  /** Offset where the new value is said. */
  valueStart: number;
  /** Offset where it ends (before a trailing "instead"). */
  valueEnd: number;
}

// Case-insensitive without the `u` flag: V8 matches `\b` under /iu many times slower, and these patterns
// are ASCII (only Unicode case folding differs: "ſ" is no "s" here).
const STRONG = [
  /\b(?:make|change|switch|update|correct)\s+(?:that|it|this|the \w+)(?:\s+(?:to|into|for))?\b/gi,
  /\bchange\s+to\b/gi,
  /\b(?:i\s+meant|i\s+mean|what\s+i\s+meant\s+(?:is|was)|(?:it\s+)?should\s+(?:be|have\s+been)|correction|scratch\s+that|let\s+me\s+correct\s+(?:that|myself))\b[\s,:]*/gi,
];
const INSTEAD = /\binstead\b/i;
const WEAK = /^\s*(?:(?:uh|um|oh)\s+)?(?:no|nope|actually|sorry|wait|oops|hold\s+on)\b[\s,.!:;-]*/i;

export function detectAmend(text: string): AmendCue | undefined {
  let valueStart = -1;
  for (const re of STRONG) {
    // exec rather than matchAll, which copies the expression first
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text))
      valueStart = Math.max(valueStart, m.index + m[0].length);
  }
  const instead = INSTEAD.exec(text);
  if (instead && instead.index >= valueStart) {
    // "Friday instead", "no, Friday instead": the value is in the clause before the word
    const before = text.slice(Math.max(valueStart, 0), instead.index);
    const clause = Math.max(before.lastIndexOf(','), before.lastIndexOf('.'), before.lastIndexOf(';'));
    const from = Math.max(valueStart, 0) + clause + 1;
    const weak = WEAK.exec(text.slice(from));
    return { strong: true, valueStart: from + (weak ? weak[0].length : 0), valueEnd: instead.index };
  }
  if (valueStart >= 0) return { strong: true, valueStart, valueEnd: text.length };
  const weak = WEAK.exec(text);
  if (weak) return { strong: false, valueStart: weak[0].length, valueEnd: text.length };
  return undefined;
}
