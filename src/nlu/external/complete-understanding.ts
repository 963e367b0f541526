/**
 * What an external engine answered, completed locally with what it cannot know: the expected entity
 * (a confirmation's yes/no, a digit string the dialog asked for) when the engine did not return it,
 * sentiment and amendment when it did not say. The expected entity always comes first, under the
 * EntityDef's name. With `localEntities: 'all'` the bot's entities the engine missed are added too.
 */
import type { ExtractedEntity, Understanding } from '../../core/input.ts';
import type { EntityDef } from '../../core/bot.ts';
import { understandEntities, type EntityUnderstandingOptions } from '../entities/understand.ts';
import type { UnderstandContext } from '../port.ts';
import { sentiment } from '../sentiment/sentiment.ts';

export interface LocalCompletionOptions extends EntityUnderstandingOptions {
  /** 'expected' (default): only the entity the dialog waits for; 'all': every entity the engine missed. */
  localEntities?: 'expected' | 'all';
}

export interface RemoteUnderstanding {
  intents: Understanding['intents'];
  entities: ExtractedEntity[];
  sentiment?: number;
  amend?: boolean;
}

export function completeUnderstanding(
  text: string,
  ctx: UnderstandContext,
  botEntities: Record<string, EntityDef>,
  remote: RemoteUnderstanding,
  options: LocalCompletionOptions = {},
): Understanding {
  const local = understandEntities(text, ctx.expect, ctx.now, botEntities, {
    ...options,
    systemEntities: options.localEntities === 'all' ? options.systemEntities : [],
  });
  const expectedName =
    ctx.expect.kind === 'entity'
      ? ctx.expect.entity.name
      : ctx.expect.kind === 'confirm'
        ? 'confirm'
        : undefined;
  const entities: ExtractedEntity[] = [];
  if (expectedName !== undefined) {
    const chosen =
      remote.entities.find((e) => e.name === expectedName) ??
      local.entities.find((e) => e.name === expectedName);
    if (chosen) entities.push(chosen);
  }
  for (const e of remote.entities) if (e.name !== expectedName) entities.push(e);
  if (options.localEntities === 'all') {
    for (const e of local.entities) if (!entities.some((x) => x.name === e.name)) entities.push(e);
  }
  const understanding: Understanding = {
    intents: [...remote.intents].sort((a, b) => b.confidence - a.confidence),
    entities,
    sentiment: remote.sentiment ?? sentiment(text),
  };
  const amend = remote.amend ?? local.amend;
  if (amend) understanding.amend = true;
  return understanding;
}
