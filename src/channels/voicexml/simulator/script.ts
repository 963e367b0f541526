/**
 * The caller's side of a simulated call, one step per line:
 *
 *     I want to check my balance        words (speech), recognised with confidence 0.9
 *     yes please [0.35]                 words with the recogniser's confidence
 *     dtmf:1234#                        keys
 *     silence                           no input (the timeout runs out)
 *     hangup                            the caller hangs up
 *     # a comment
 */

export type CallerStep =
  | { kind: 'speech'; text: string; confidence: number }
  | { kind: 'dtmf'; digits: string }
  | { kind: 'silence' }
  | { kind: 'hangup' };

export const DEFAULT_SPEECH_CONFIDENCE = 0.9;

export class ScriptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptError';
  }
}

/** One step; undefined for blank lines and comments. */
export function parseStep(line: string): CallerStep | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'silence' || lower === 'noinput') return { kind: 'silence' };
  if (lower === 'hangup') return { kind: 'hangup' };
  if (lower.startsWith('dtmf:')) {
    const digits = text.slice(5).replace(/\s+/g, '');
    if (!/^[0-9*#A-Da-d]+$/.test(digits)) throw new ScriptError(`"${text}": keys are 0-9, *, #, A-D`);
    return { kind: 'dtmf', digits: digits.toUpperCase() };
  }
  const m = /^(.*?)\s*\[\s*([01](?:\.[0-9]+)?|\.[0-9]+)\s*\]$/.exec(text);
  if (m) return { kind: 'speech', text: m[1] ?? '', confidence: Number(m[2]) };
  return { kind: 'speech', text, confidence: DEFAULT_SPEECH_CONFIDENCE };
}

export function parseScript(text: string): CallerStep[] {
  const steps: CallerStep[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    try {
      const step = parseStep(line);
      if (step) steps.push(step);
    } catch (error) {
      throw new ScriptError(`line ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return steps;
}

/** How a step is shown in a transcript (keys are shown: this is a test tool, not a log). */
export function describeStep(step: CallerStep): string {
  switch (step.kind) {
    case 'speech':
      return step.confidence === DEFAULT_SPEECH_CONFIDENCE ? step.text : `${step.text} [${step.confidence}]`;
    case 'dtmf':
      return `dtmf:${step.digits}`;
    case 'silence':
      return '(silence)';
    case 'hangup':
      return '(hangup)';
  }
}
