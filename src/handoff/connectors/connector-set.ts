import type { Logger } from 'pino';
import type { ConnectorConfig } from '../../routing/model.ts';
import { resolveSecret } from '../../routing/routing-config.ts';
import type { DeliveryStore } from '../store/ports.ts';
import { CxoneConnector } from './cxone.ts';
import type { ContactCenterConnector, Fetch, HandoffEvent } from './port.ts';
import { SipTransferConnector } from './sip-transfer.ts';
import { WebhookConnector } from './webhook.ts';

export interface ConnectorDeps {
  deliveries: DeliveryStore;
  logger: Logger;
  fetch?: Fetch;
  env?: NodeJS.ProcessEnv;
}

/** The connectors of the routing model, built with their secrets resolved; rebuilt when the model changes. */
export class ConnectorSet {
  private byId = new Map<string, ContactCenterConnector>();

  constructor(private readonly deps: ConnectorDeps) {}

  configure(configs: ConnectorConfig[]): void {
    for (const c of this.byId.values()) c.close();
    this.byId = new Map(configs.map((c) => [c.id, this.build(c)]));
  }

  get(id: string): ContactCenterConnector | undefined {
    return this.byId.get(id);
  }

  list(): ContactCenterConnector[] {
    return [...this.byId.values()];
  }

  /** Tells every connector about a life-cycle event; a failing one is logged, never thrown. */
  async notify(event: HandoffEvent): Promise<void> {
    await Promise.all(
      this.list().map((c) => c.notify(event).catch((err: unknown) => this.deps.logger.error({ err, connector: c.id, event: event.type }, 'connector notification failed'))),
    );
  }

  async resume(): Promise<void> {
    for (const c of this.list()) if (c instanceof WebhookConnector) await c.resume();
  }

  close(): void {
    for (const c of this.byId.values()) c.close();
  }

  private build(c: ConnectorConfig): ContactCenterConnector {
    const env = this.deps.env ?? process.env;
    const secret = (value: string, field: string) => {
      const v = resolveSecret(value, env);
      if (v === undefined) this.deps.logger.warn({ connector: c.id, field }, `connector secret ${value} is not set in the environment`);
      return v ?? '';
    };
    const base = { logger: this.deps.logger, ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}) };
    switch (c.kind) {
      case 'cxone':
        return new CxoneConnector({ ...c, accessKeyId: secret(c.accessKeyId, 'accessKeyId'), accessKeySecret: secret(c.accessKeySecret, 'accessKeySecret') }, base);
      case 'webhook':
        return new WebhookConnector({ ...c, secret: secret(c.secret, 'secret') }, { ...base, deliveries: this.deps.deliveries });
      case 'sip':
        return new SipTransferConnector(c);
    }
  }
}
