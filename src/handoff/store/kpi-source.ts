import type { Kysely } from 'kysely';
import type { Channel } from '../../core/bot.ts';
import type { Database } from '../../storage/database-schema.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { KpiConversation, KpiSource } from './ports.ts';
import type { HandoffTables } from './tables.ts';

export class KyselyKpiSource implements KpiSource {
  constructor(
    private readonly db: Kysely<Database & HandoffTables>,
    private readonly guard: StorageGuard,
  ) {}

  conversations(from: string, to: string): Promise<KpiConversation[]> {
    return this.guard.run('read conversations for KPIs', async () => {
      const f = storedTimestamp(from, 'from');
      const t = storedTimestamp(to, 'to');
      const rows = await this.db
        .selectFrom('conversations')
        .select(['id', 'bot_id', 'channel', 'status', 'outcome', 'started_at', 'ended_at'])
        .where('started_at', '>=', f)
        .where('started_at', '<', t)
        .orderBy('started_at')
        .execute();
      const sentiments = await this.db
        .selectFrom('turns')
        .innerJoin('conversations', 'conversations.id', 'turns.conversation_id')
        .select((eb) => ['turns.conversation_id as id', eb.fn.avg<number | string>('turns.sentiment').as('sentiment')])
        .where('conversations.started_at', '>=', f)
        .where('conversations.started_at', '<', t)
        .where('turns.speaker', '=', 'customer')
        .where('turns.sentiment', 'is not', null)
        .groupBy('turns.conversation_id')
        .execute();
      const byId = new Map(sentiments.map((s) => [s.id, Number(s.sentiment)]));
      return rows.map((r) => ({
        id: r.id,
        botId: r.bot_id,
        channel: r.channel as Channel,
        status: r.status,
        outcome: r.outcome,
        startedAt: r.started_at,
        endedAt: r.ended_at,
        sentiment: byId.get(r.id) ?? null,
      }));
    });
  }
}
