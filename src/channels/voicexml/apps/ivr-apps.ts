/**
 * The IVR apps of each bot: a client id and client secret an IVR authenticates with (a JWT signed with the
 * secret, see `ivr-token.ts`), and the per-bot switch of the IVR channel. The secret is shown once, when the
 * app is created, and kept sealed (AES-256-GCM) in the database.
 *
 * Secrets and switches are cached briefly (`cacheMs`, default 2 s) so the webhook does not read the database
 * on every fetch; changes made through this object take effect at once, changes made by another process (the
 * CLI, another node) within `cacheMs`.
 */
import { randomBytes } from 'node:crypto';
import { ParleyError } from '../../../errors.ts';
import type { IvrAppRecord, IvrAppStore } from './ivr-app-store.ts';
import { SecretBox } from './secret-key.ts';

export interface IvrAppCredentials {
  clientId: string;
  /** Shown once: only its sealed form is stored. */
  clientSecret: string;
}

/** An app as listed (never with its secret). */
export interface IvrAppInfo {
  clientId: string;
  botId: string;
  name: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What the webhook needs to check a token: the app's bot, whether it may be used, and its secret. */
export interface IvrAppKey {
  clientId: string;
  botId: string;
  enabled: boolean;
  secret: string;
}

export interface IvrAppsOptions {
  cacheMs?: number;
  now?: () => Date;
}

const CLIENT_ID_PREFIX = 'ivr_';

export function info(r: IvrAppRecord): IvrAppInfo {
  return { clientId: r.clientId, botId: r.botId, name: r.name, enabled: r.enabled, createdAt: r.createdAt, updatedAt: r.updatedAt };
}

export class IvrApps {
  private readonly box: SecretBox;
  private readonly cacheMs: number;
  private readonly now: () => Date;
  private readonly keys = new Map<string, { key: IvrAppKey | undefined; until: number }>();
  private readonly channels = new Map<string, { enabled: boolean; until: number }>();

  constructor(
    private readonly store: IvrAppStore,
    masterKey: Buffer,
    options: IvrAppsOptions = {},
  ) {
    this.box = new SecretBox(masterKey);
    this.cacheMs = options.cacheMs ?? 2000;
    this.now = options.now ?? (() => new Date());
  }

  /** A new app for the bot, enabled; the only time its secret is readable. */
  async create(botId: string, options: { name?: string } = {}): Promise<IvrAppCredentials & { app: IvrAppInfo }> {
    const clientId = `${CLIENT_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
    const clientSecret = randomBytes(32).toString('base64url');
    const at = this.now().toISOString();
    const record: IvrAppRecord = {
      clientId,
      botId,
      name: options.name?.trim() || null,
      sealedSecret: this.box.seal(clientSecret, clientId),
      enabled: true,
      createdAt: at,
      updatedAt: at,
    };
    await this.store.create(record);
    this.keys.delete(clientId);
    return { clientId, clientSecret, app: info(record) };
  }

  async list(botId: string): Promise<IvrAppInfo[]> {
    return (await this.store.list(botId)).map(info);
  }

  /** The app of this bot, or PARLEY_ERR_NOT_FOUND (also when it belongs to another bot). */
  async get(botId: string, clientId: string): Promise<IvrAppInfo> {
    const app = await this.store.get(clientId);
    if (!app || app.botId !== botId) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `bot '${botId}' has no IVR app '${clientId}'`);
    return info(app);
  }

  async setEnabled(botId: string, clientId: string, enabled: boolean): Promise<IvrAppInfo> {
    await this.get(botId, clientId);
    await this.store.setEnabled(clientId, enabled, this.now().toISOString());
    this.keys.delete(clientId);
    return this.get(botId, clientId);
  }

  async remove(botId: string, clientId: string): Promise<void> {
    await this.get(botId, clientId);
    await this.store.remove(clientId);
    this.keys.delete(clientId);
  }

  /** The app's secret, for minting a token (`parley ivr token`). */
  async secretOf(botId: string, clientId: string): Promise<string> {
    const app = await this.store.get(clientId);
    if (!app || app.botId !== botId) throw new ParleyError('PARLEY_ERR_NOT_FOUND', `bot '${botId}' has no IVR app '${clientId}'`);
    return this.box.open(app.sealedSecret, app.clientId);
  }

  /** What the webhook checks a token against; undefined for an unknown client id. Cached. */
  async key(clientId: string): Promise<IvrAppKey | undefined> {
    const t = performance.now();
    const cached = this.keys.get(clientId);
    if (cached && cached.until > t) return cached.key;
    const app = await this.store.get(clientId);
    const key = app ? { clientId, botId: app.botId, enabled: app.enabled, secret: this.box.open(app.sealedSecret, app.clientId) } : undefined;
    if (this.keys.size > 10_000) this.keys.clear();
    this.keys.set(clientId, { key, until: t + this.cacheMs });
    return key;
  }

  /** Whether the bot's IVR channel is switched on (it is unless switched off). Cached. */
  async channelEnabled(botId: string): Promise<boolean> {
    const t = performance.now();
    const cached = this.channels.get(botId);
    if (cached && cached.until > t) return cached.enabled;
    const enabled = (await this.store.channelEnabled(botId)) ?? true;
    this.channels.set(botId, { enabled, until: t + this.cacheMs });
    return enabled;
  }

  async setChannelEnabled(botId: string, enabled: boolean): Promise<void> {
    await this.store.setChannelEnabled(botId, enabled, this.now().toISOString());
    this.channels.delete(botId);
  }
}
