/** VoiceXML `<property>` elements → the bot's voice properties (milliseconds, 0–1 levels, booleans). */
import type { VoiceProperties } from '../../../core/bot.ts';
import { durationMs } from '../simulator/runtime.ts';
import { attr, childElements, type Element, type Node } from '../xml-dom.ts';

export type VoicePropertiesOut = VoiceProperties;

const TIMES = ['timeout', 'interdigittimeout', 'termtimeout', 'completetimeout', 'incompletetimeout', 'maxspeechtimeout', 'fetchtimeout'] as const;
const LEVELS = ['confidencelevel', 'sensitivity', 'speedvsaccuracy'] as const;

export function voiceProperties(parent: Element, note: (node: Node, reason: string) => void): VoicePropertiesOut {
  const out: VoicePropertiesOut = {};
  for (const p of childElements(parent, 'property')) {
    const name = attr(p, 'name') ?? '';
    const value = (attr(p, 'value') ?? '').trim();
    const bad = () => note(p, `property ${name}="${value}" is not carried over`);
    if ((TIMES as readonly string[]).includes(name)) {
      const ms = durationMs(value);
      if (ms === undefined || ms > 600_000) bad();
      else out[name as (typeof TIMES)[number]] = Math.round(ms);
    } else if ((LEVELS as readonly string[]).includes(name)) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || n > 1) bad();
      else out[name as (typeof LEVELS)[number]] = n;
    } else if (name === 'bargein') {
      if (value === 'true' || value === 'false') out.bargein = value === 'true';
      else bad();
    } else if (name === 'bargeintype') {
      if (value === 'speech' || value === 'hotword') out.bargeintype = value;
      else bad();
    } else if (name === 'inputmodes') {
      const modes = new Set(value.split(/\s+/));
      if (modes.has('dtmf') && modes.has('voice')) out.inputmodes = 'dtmf voice';
      else if (modes.has('dtmf')) out.inputmodes = 'dtmf';
      else if (modes.has('voice')) out.inputmodes = 'voice';
      else bad();
    } else if (name === 'termchar') {
      if (/^[0-9#*]?$/.test(value)) out.termchar = value;
      else bad();
    } else if (name === 'fetchaudio') {
      out.fetchaudio = value;
    } else {
      bad();
    }
  }
  return out;
}
