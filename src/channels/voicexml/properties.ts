/**
 * VoiceXML `<property>` values from the bot's voice properties (milliseconds and plain numbers) in the
 * units VoiceXML expects: times as CSS2 times (`5s`, `300ms`), levels as 0.0–1.0.
 */
import type { VoiceProperties } from '../../core/bot.ts';

export interface VxmlProperty {
  name: string;
  value: string;
}

type Kind = 'time' | 'level' | 'boolean' | 'string';

/** Document order of the properties, and how each is written. */
const kinds: Array<[keyof VoiceProperties, Kind]> = [
  ['timeout', 'time'],
  ['interdigittimeout', 'time'],
  ['termchar', 'string'],
  ['termtimeout', 'time'],
  ['completetimeout', 'time'],
  ['incompletetimeout', 'time'],
  ['maxspeechtimeout', 'time'],
  ['confidencelevel', 'level'],
  ['sensitivity', 'level'],
  ['speedvsaccuracy', 'level'],
  ['bargein', 'boolean'],
  ['bargeintype', 'string'],
  ['inputmodes', 'string'],
  ['fetchtimeout', 'time'],
  ['fetchaudio', 'string'],
];

/** `5000` → `5s`, `300` → `300ms`, `1500` → `1500ms`. Negative or non-finite values are not written. */
export function formatDuration(ms: number): string | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const whole = Math.round(ms);
  return whole % 1000 === 0 ? `${whole / 1000}s` : `${whole}ms`;
}

/**
 * A level (confidence, sensitivity, speed versus accuracy) as VoiceXML's 0.0–1.0. Bot files may give
 * percentages (0–100, as the ASR confidence threshold is): any value above 1 is read as a percentage.
 */
export function formatLevel(value: number): string | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  const level = Math.min(1, value > 1 ? value / 100 : value);
  return String(Math.round(level * 100) / 100);
}

function formatValue(kind: Kind, value: unknown): string | undefined {
  switch (kind) {
    case 'time':
      return typeof value === 'number' ? formatDuration(value) : undefined;
    case 'level':
      return typeof value === 'number' ? formatLevel(value) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
  }
}

/** The `<property>` elements for a set of voice properties, in a stable order; unset values are left out. */
export function vxmlProperties(props: VoiceProperties): VxmlProperty[] {
  const out: VxmlProperty[] = [];
  for (const [name, kind] of kinds) {
    const value = formatValue(kind, props[name]);
    if (value !== undefined) out.push({ name, value });
  }
  return out;
}

/**
 * The node-level properties that differ from the bot-level ones: written on the `<field>`, where VoiceXML
 * scoping makes them override the document-level defaults.
 */
export function overridingProperties(botLevel: VoiceProperties, nodeLevel: VoiceProperties): VxmlProperty[] {
  const defaults = new Map(vxmlProperties(botLevel).map((p) => [p.name, p.value]));
  return vxmlProperties(nodeLevel).filter((p) => defaults.get(p.name) !== p.value);
}
