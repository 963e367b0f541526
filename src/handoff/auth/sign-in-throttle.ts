/**
 * Failed sign-ins counted per username and per client address. Once either has failed too often within
 * the window, further attempts are refused until the window since its first failure has passed, before
 * any password is checked. Password guessing is slowed to a few tries per quarter hour, and the costly
 * password hash is not computed for the guesses. A successful sign-in clears its username's count.
 * An address count of its own lets one address try many usernames only up to its own limit.
 *
 * In memory, per process: a restart forgets the counts, and instances behind a load balancer count
 * apart. The number of keys is bounded (the oldest forgotten first), so a flood of made-up usernames
 * cannot grow it without limit.
 */

export interface SignInThrottleOptions {
  /** Failures of one username before it is refused; default 5. */
  maxFailuresPerUsername?: number;
  /** Failures from one client address before it is refused; default 20. */
  maxFailuresPerAddress?: number;
  /** How long failures count, from the first; default 15 minutes. */
  windowMs?: number;
  /** Keys remembered at most; default 10,000. */
  maxKeys?: number;
  now?: () => number;
}

interface Count {
  failures: number;
  /** When the first failure of this window happened (ms). */
  since: number;
}

export class SignInThrottle {
  readonly #counts = new Map<string, Count>();
  readonly #perUsername: number;
  readonly #perAddress: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;

  constructor(options: SignInThrottleOptions = {}) {
    this.#perUsername = options.maxFailuresPerUsername ?? 5;
    this.#perAddress = options.maxFailuresPerAddress ?? 20;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Seconds to wait before this attempt may be made, or 0 when it may be made now. */
  waitSeconds(username: string, address: string | undefined): number {
    const now = this.#now();
    const waits = [this.#wait(userKey(username), this.#perUsername, now), address === undefined ? 0 : this.#wait(addressKey(address), this.#perAddress, now)];
    return Math.ceil(Math.max(...waits) / 1000);
  }

  failed(username: string, address: string | undefined): void {
    const now = this.#now();
    this.#count(userKey(username), now);
    if (address !== undefined) this.#count(addressKey(address), now);
  }

  succeeded(username: string): void {
    this.#counts.delete(userKey(username));
  }

  #wait(key: string, max: number, now: number): number {
    const count = this.#current(key, now);
    return count && count.failures >= max ? count.since + this.#windowMs - now : 0;
  }

  /** The key's count in the current window, forgotten once its window has passed. */
  #current(key: string, now: number): Count | undefined {
    const count = this.#counts.get(key);
    if (count && now - count.since >= this.#windowMs) {
      this.#counts.delete(key);
      return undefined;
    }
    return count;
  }

  #count(key: string, now: number): void {
    const count = this.#current(key, now);
    if (count) {
      count.failures++;
      return;
    }
    // insertion order is the order of first failures: the oldest windows go first
    while (this.#counts.size >= this.#maxKeys) {
      const oldest = this.#counts.keys().next();
      if (oldest.done) break;
      this.#counts.delete(oldest.value);
    }
    this.#counts.set(key, { failures: 1, since: now });
  }
}

const userKey = (username: string): string => `u:${username.toLowerCase()}`;
const addressKey = (address: string): string => `a:${address}`;
