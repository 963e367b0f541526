/**
 * Utterances that hold several requests ("check my balance and then pay my bill"): split at connectives
 * ("and then", "after that", "also", "and", "plus", sentence ends), classify each part, and report the
 * requests when at least two parts have different intents each above the threshold. Parts of fewer than
 * two words are not requests ("my card and pin" stays one). The result is in the order the caller said it,
 * so a dialog can serve the first and keep the others for later.
 */
import type { IntentSegment, RankedIntent } from '../core/input.ts';
import { words } from './entities/tokens.ts';

export interface RequestSpan {
  text: string;
  start: number;
  end: number;
}

// `i` without `u`: V8 matches `\b` under /iu many times slower, and the pattern is ASCII
const CONNECTIVE =
  /(?:[.;!?]+|,)?\s*\b(?:and\s+then|and\s+after\s+that|and\s+afterwards|and\s+also|and\s+i\s+also|after\s+that|afterwards|then\s+also|then|also|plus|as\s+well\s+as|and)\b|[.;!?]+(?=\s|$)/gi;
const MIN_WORDS = 2;

/** Adds `text[start, end)` as a part, or to the part before when it is too short to be a request. */
function addPart(parts: RequestSpan[], text: string, start: number, end: number): void {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const body = raw.trim().replace(/[,.;!?]+$/u, '');
  if (body.length === 0) return;
  const last = parts.at(-1);
  if (last && words(body).length < MIN_WORDS) {
    last.end = start + lead + body.length;
    last.text = text.slice(last.start, last.end);
    return;
  }
  parts.push({ text: body, start: start + lead, end: start + lead + body.length });
}

/** The parts of an utterance between connectives, each with at least two words. */
export function splitRequests(text: string): RequestSpan[] {
  const parts: RequestSpan[] = [];
  let from = 0;
  // exec rather than matchAll, which copies the expression first
  CONNECTIVE.lastIndex = 0;
  for (let m = CONNECTIVE.exec(text); m !== null; m = CONNECTIVE.exec(text)) {
    if (m.index > 0) addPart(parts, text, from, m.index);
    from = m.index + m[0].length;
  }
  addPart(parts, text, from, text.length);
  // a short first part ("so, …") joins the next one
  const first = parts[0];
  const second = parts[1];
  if (first && second && words(first.text).length < MIN_WORDS) {
    parts.splice(0, 2, { text: text.slice(first.start, second.end), start: first.start, end: second.end });
  }
  return parts;
}

export interface MultiIntentOptions {
  /** A part counts as a request when its best intent reaches this confidence. */
  threshold: number;
  /** At most this many requests are reported (3). */
  maxRequests?: number;
}

/** The requests of a multi-request utterance, in the order said; undefined when it holds one. */
export function detectMultiIntent(
  text: string,
  classify: (part: string) => RankedIntent[],
  options: MultiIntentOptions,
): IntentSegment[] | undefined {
  const parts = splitRequests(text);
  if (parts.length < 2) return undefined;
  const found: IntentSegment[] = [];
  for (const part of parts) {
    const best = classify(part.text)[0];
    if (!best || best.confidence < options.threshold) continue;
    const same = found.find((f) => f.name === best.name);
    if (same) {
      same.confidence = Math.max(same.confidence, best.confidence);
      continue;
    }
    found.push({ name: best.name, confidence: best.confidence, text: part.text });
    if (found.length >= (options.maxRequests ?? 3)) break;
  }
  return found.length >= 2 ? found : undefined;
}
