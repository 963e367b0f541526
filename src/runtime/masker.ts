import type { Bot } from '../core/bot.ts';
import type { ConversationState } from '../core/state.ts';

/** Card-number-like digit runs are masked in every bot, whatever its own patterns. */
const builtinPatterns = [/\b(?:\d[ -]?){13,19}\b/g];

const stars = (s: string) => s.replace(/[^\s-]/g, '*');

/**
 * Masks personal data before it is stored or logged: values of sensitive entities (PINs, card numbers)
 * wherever they appear, and the bot's PII patterns.
 */
export class Masker {
  private readonly patterns: RegExp[];

  constructor(bot: Bot) {
    this.patterns = [...builtinPatterns, ...bot.settings.piiPatterns.map((p) => new RegExp(p, 'g'))];
  }

  /** The values currently held by sensitive entities. */
  sensitiveValues(state: ConversationState): string[] {
    return state.sensitive
      .map((name) => state.vars.entities[name])
      .filter((v): v is string | number => (typeof v === 'string' || typeof v === 'number') && String(v).length > 1)
      .map(String);
  }

  text(text: string, sensitiveValues: string[] = []): string {
    let out = text;
    for (const v of sensitiveValues) out = out.split(v).join(stars(v));
    for (const p of this.patterns) out = out.replace(p, stars);
    return out;
  }

  /** Masks a whole answer that was given to a sensitive prompt. */
  whole(text: string): string {
    return stars(text);
  }

  entities(entities: Record<string, unknown>, state: ConversationState): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(entities)) {
      out[k] = state.sensitive.includes(k) ? '****' : typeof v === 'string' ? this.text(v) : v;
    }
    return out;
  }
}
