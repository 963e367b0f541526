import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database-schema.ts';
import type { Storage } from '../../storage/port.ts';
import { StorageGuard } from '../../storage/storage-guard.ts';
import { KyselyAuditStore } from './audit-store.ts';
import { KyselyDeliveryStore } from './delivery-store.ts';
import { KyselyEscalationStore } from './escalation-store.ts';
import { KyselyKpiSource } from './kpi-source.ts';
import { KyselyPeopleStore } from './people-store.ts';
import type { HandoffStores } from './ports.ts';
import { KyselySurveyStore } from './survey-store.ts';
import type { HandoffTables } from './tables.ts';

/** The hand-off's stores over the storage's database (SQLite or PostgreSQL, migrated by `openStorage`). */
export function createHandoffStores(storage: Storage): HandoffStores {
  const db: Kysely<Database & HandoffTables> = storage.kysely.withTables<HandoffTables>();
  const guard = new StorageGuard();
  return {
    people: new KyselyPeopleStore(db, guard),
    escalations: new KyselyEscalationStore(db, guard),
    audit: new KyselyAuditStore(db, guard),
    surveys: new KyselySurveyStore(db, guard),
    deliveries: new KyselyDeliveryStore(db, guard),
    kpis: new KyselyKpiSource(db, guard),
  };
}
