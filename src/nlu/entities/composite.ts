/**
 * The `composite` entity: an object of the parts found, each part another entity of the bot
 * ("a card ending 4152 expiring next March" → `{ last4: '4152', expiry: '2026-03-01' }`). The span covers
 * every part found. Parts are looked for in order; a later part does not reuse the words of an earlier one.
 */
import type { EntityDef } from '../../core/bot.ts';
import type { Extraction } from './extraction.ts';

export type PartExtractor = (text: string, def: EntityDef) => Extraction | undefined;

export interface CompositeOptions {
  /** The bot's entities, where the part names are looked up. */
  entities: Record<string, EntityDef>;
  /** Accept the composite when at least this many parts were found (1 by default). */
  minParts?: number;
}

export function extractComposite(
  text: string,
  def: EntityDef,
  options: CompositeOptions,
  extractPart: PartExtractor,
): Extraction<Record<string, unknown>> | undefined {
  const value: Record<string, unknown> = {};
  let masked = text;
  let start = Infinity;
  let end = -1;
  let found = 0;
  for (const name of def.parts ?? []) {
    const part = options.entities[name];
    if (!part || part.type === 'composite' || part.type === 'text') continue;
    const hit = extractPart(masked, part);
    if (!hit) continue;
    value[name] = hit.value;
    found += 1;
    start = Math.min(start, hit.start);
    end = Math.max(end, hit.end);
    // blank out the words used so the next part cannot take them again (offsets stay the same)
    masked = masked.slice(0, hit.start) + ' '.repeat(hit.end - hit.start) + masked.slice(hit.end);
  }
  if (found === 0 || found < (options.minParts ?? 1)) return undefined;
  return { value, text: text.slice(start, end), start, end };
}
