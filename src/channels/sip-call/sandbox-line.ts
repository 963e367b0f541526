import { createHmac } from 'node:crypto';

/**
 * The sandbox line: one configured number where a bot's developers call any loaded bot, including one
 * still in development, by keying its PIN. A bot's PIN is derived from the server's secret and the bot's
 * id (so it is stable across restarts and needs no storing), six digits. Only `maxCalls` sandbox calls
 * run at once; more are turned away busy.
 */
export interface SandboxOptions {
  /** The called number or user that reaches the sandbox (`sip:sandbox@host`, `sip:5000@host`). */
  number: string;
  maxCalls: number;
  /** Keeps PINs unguessable: the server's API key or another secret. */
  secret: string;
  /** The ids of the bots that can be reached. */
  botIds: () => readonly string[];
}

export class SandboxLine {
  readonly number: string;
  readonly maxCalls: number;
  #active = 0;

  constructor(private readonly options: SandboxOptions) {
    this.number = options.number;
    this.maxCalls = options.maxCalls;
  }

  get active(): number {
    return this.#active;
  }

  pinFor(botId: string): string {
    const mac = createHmac('sha256', this.options.secret).update(`parley-sandbox:${botId}`).digest();
    return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
  }

  botForPin(pin: string): string | undefined {
    return this.options.botIds().find((id) => this.pinFor(id) === pin);
  }

  pins(): Array<{ botId: string; pin: string }> {
    return this.options.botIds().map((botId) => ({ botId, pin: this.pinFor(botId) }));
  }

  /** Takes a line; false when all are busy. Give it back with `leave`. */
  enter(): boolean {
    if (this.#active >= this.maxCalls) return false;
    this.#active++;
    return true;
  }

  leave(): void {
    this.#active = Math.max(0, this.#active - 1);
  }
}
