import type { ConversationRecord } from '../storage/port.ts';

/**
 * The last saved version of recent conversations, so a turn does not read back what this process just wrote.
 * Safe with several processes on one database: a stale entry makes the next save fail its version check,
 * and the turn is retried from the database (see ConversationService).
 */
export class RecordCache {
  private readonly records = new Map<string, ConversationRecord>();

  constructor(private readonly capacity = 20_000) {}

  get(id: string): ConversationRecord | undefined {
    return this.records.get(id);
  }

  set(record: ConversationRecord): void {
    this.records.delete(record.id);
    if (record.status === 'ended') return;
    this.records.set(record.id, record);
    if (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value;
      if (oldest !== undefined) this.records.delete(oldest);
    }
  }

  delete(id: string): void {
    this.records.delete(id);
  }
}
