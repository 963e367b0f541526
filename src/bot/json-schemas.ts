import { DialogFileSchema, BotFileSchema, EntitiesFileSchema, IntentsFileSchema } from './schema.ts';
import { TestFileSchema } from './testing/script-schema.ts';

/** The published JSON Schemas of a bot folder's files, by file name (see `schema/`). */
export function botJsonSchemas(): Record<string, unknown> {
  const doc = (title: string, s: object) => ({ $schema: 'http://json-schema.org/draft-07/schema#', title, ...JSON.parse(JSON.stringify(s)) as object });
  return {
    'bot.schema.json': doc('Parley bot (bot.yaml)', BotFileSchema),
    'intents.schema.json': doc('Parley intents (intents.yaml)', IntentsFileSchema),
    'entities.schema.json': doc('Parley entities (entities.yaml)', EntitiesFileSchema),
    'dialog.schema.json': doc('Parley dialog (dialogs/*.yaml)', DialogFileSchema),
    'tests.schema.json': doc('Parley bot tests (tests/*.yaml)', TestFileSchema),
  };
}
