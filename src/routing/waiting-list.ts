/** Something waiting in a queue for an agent. */
export interface WaitingEntry {
  escalationId: string;
  /** When it started waiting (ms since the epoch); the list is kept in this order. */
  since: number;
}

/**
 * The customers waiting in one queue, oldest first. Removal is lazy (a tombstone skipped when reached) so that
 * taking the head and removing a departed customer are cheap even with thousands waiting.
 */
export class WaitingList<T extends WaitingEntry> {
  private items: T[] = [];
  private head = 0;
  /** The live entry object of each waiting escalation: an older object of the same id is a tombstone. */
  private readonly present = new Map<string, T>();

  get size(): number {
    return this.present.size;
  }

  has(escalationId: string): boolean {
    return this.present.has(escalationId);
  }

  /** Inserts in `since` order (a re-offered customer keeps their place near the front). */
  add(entry: T): void {
    this.present.set(entry.escalationId, entry);
    const last = this.items[this.items.length - 1];
    if (!last || last.since <= entry.since) {
      this.items.push(entry);
      return;
    }
    let lo = this.head;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.items[mid] as T).since <= entry.since) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, entry);
  }

  remove(escalationId: string): boolean {
    return this.present.delete(escalationId);
  }

  /** The oldest entries still waiting, in order. */
  *entries(): IterableIterator<T> {
    this.compactHead();
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i] as T;
      if (this.present.get(e.escalationId) === e) yield e;
    }
  }

  /** The oldest entry still waiting. */
  first(): T | undefined {
    this.compactHead();
    return this.items[this.head];
  }

  private live(e: T): boolean {
    return this.present.get(e.escalationId) === e;
  }

  private compactHead(): void {
    while (this.head < this.items.length && !this.live(this.items[this.head] as T)) this.head++;
    if ((this.head > 1024 && this.head * 2 > this.items.length) || this.items.length > 2 * this.present.size + 1024) {
      this.items = this.items.slice(this.head).filter((e) => this.live(e));
      this.head = 0;
    }
  }
}
