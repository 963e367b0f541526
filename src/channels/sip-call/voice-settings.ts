import type { AskAction } from '../../core/action.ts';
import type { Bot, VoiceProperties } from '../../core/bot.ts';
import type { KeypadOptions } from '../../voice/keypad-collector.ts';

/**
 * The voice properties that govern one question on a call: the bot's IVR defaults, overridden by the
 * node's; and what they mean for the keypad (VoiceXML 2.0 §6.3.3 and Appendix D) and for speech.
 */
export interface AskSettings {
  /** May the caller interrupt the prompts before this question? */
  bargein: boolean;
  dtmf: boolean;
  speech: boolean;
  /** No key or speech this long after the prompts end is a no-input. */
  timeoutMs: number;
  /** A caller who speaks longer than this is cut and what was said so far recognised. */
  maxSpeechMs: number;
  /** Undefined when keys are not accepted. */
  keypad?: Partial<KeypadOptions>;
}

/** VoiceXML's defaults where neither the bot nor the node sets a value. */
export const DEFAULTS = { timeoutMs: 5000, interdigittimeoutMs: 3000, termtimeoutMs: 0, termchar: '#', maxSpeechMs: 15_000 };

export function effectiveVoice(bot: Bot, ask: AskAction): VoiceProperties {
  return { ...bot.settings.ivr.properties, ...ask.voice };
}

export function askSettings(bot: Bot, ask: AskAction): AskSettings {
  const v = effectiveVoice(bot, ask);
  const modes = v.inputmodes ?? 'dtmf voice';
  const timeoutMs = v.timeout ?? DEFAULTS.timeoutMs;
  const dtmf = modes.includes('dtmf');
  const { minDigits, maxDigits } = digitLimits(ask);
  return {
    bargein: v.bargein ?? true,
    dtmf,
    speech: modes.includes('voice'),
    timeoutMs,
    maxSpeechMs: v.maxspeechtimeout ?? DEFAULTS.maxSpeechMs,
    ...(dtmf
      ? {
          keypad: {
            timeoutMs,
            interdigittimeoutMs: v.interdigittimeout ?? DEFAULTS.interdigittimeoutMs,
            termtimeoutMs: v.termtimeout ?? DEFAULTS.termtimeoutMs,
            termchar: v.termchar ?? DEFAULTS.termchar,
            minDigits,
            maxDigits,
            allowed: '0123456789*',
          },
        }
      : {}),
  };
}

/** How many keys an answer to this question has: the entity's length, one key for yes/no and menus of up to 9. */
function digitLimits(ask: AskAction): { minDigits: number; maxDigits: number } {
  const e = ask.expect;
  if (e.kind === 'confirm') return { minDigits: 1, maxDigits: 1 };
  if (e.kind === 'intent') return { minDigits: 1, maxDigits: 32 };
  const entity = e.entity;
  switch (entity.type) {
    case 'digits':
      return { minDigits: entity.minLength ?? 1, maxDigits: entity.maxLength ?? 32 };
    case 'yesno':
      return { minDigits: 1, maxDigits: 1 };
    case 'list':
      return { minDigits: 1, maxDigits: String(Math.max(1, entity.values?.length ?? 1)).length };
    case 'number':
      return { minDigits: 1, maxDigits: entity.max !== undefined ? String(Math.trunc(Math.abs(entity.max))).length : 32 };
    default:
      return { minDigits: 1, maxDigits: 32 };
  }
}
