import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database-schema.ts';
import { storableJson } from '../../storage/storable-text.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { SurveyAnswers, SurveyStore } from './ports.ts';
import type { HandoffTables } from './tables.ts';

export class KyselySurveyStore implements SurveyStore {
  constructor(
    private readonly db: Kysely<Database & HandoffTables>,
    private readonly guard: StorageGuard,
  ) {}

  save(a: SurveyAnswers): Promise<void> {
    return this.guard.run('save survey answers', async () => {
      const row = { conversation_id: a.conversationId, bot_id: a.botId, answers: storableJson(a.answers), at: storedTimestamp(a.at, 'at') };
      await this.db
        .insertInto('survey_answers')
        .values(row)
        .onConflict((oc) => oc.columns(['conversation_id', 'bot_id']).doUpdateSet({ answers: row.answers, at: row.at }))
        .execute();
    });
  }

  forConversation(conversationId: string): Promise<SurveyAnswers[]> {
    return this.guard.run('read survey answers', async () => {
      const rows = await this.db.selectFrom('survey_answers').selectAll().where('conversation_id', '=', conversationId).orderBy('at').execute();
      return rows.map((r) => ({ conversationId: r.conversation_id, botId: r.bot_id, answers: JSON.parse(r.answers) as Record<string, unknown>, at: r.at }));
    });
  }
}
