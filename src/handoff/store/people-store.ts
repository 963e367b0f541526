import type { Kysely } from 'kysely';
import type { Database } from '../../storage/database-schema.ts';
import { storableJson, storableText } from '../../storage/storable-text.ts';
import { storedTimestamp } from '../../storage/row-codec.ts';
import type { StorageGuard } from '../../storage/storage-guard.ts';
import type { PersonRecord, Role, SessionRecord } from '../people.ts';
import type { PeopleStore } from './ports.ts';
import type { HandoffTables, PeopleTable } from './tables.ts';

type Db = Kysely<Database & HandoffTables>;

function toRow(p: PersonRecord): PeopleTable {
  return {
    id: p.id,
    username: storableText(p.username),
    display_name: storableText(p.displayName),
    role: p.role,
    password_hash: p.passwordHash,
    agent_id: p.agentId,
    queues: storableJson(p.queues),
    created_at: storedTimestamp(p.createdAt, 'createdAt'),
    updated_at: storedTimestamp(p.updatedAt, 'updatedAt'),
  };
}

function fromRow(r: PeopleTable): PersonRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    passwordHash: r.password_hash,
    agentId: r.agent_id,
    queues: JSON.parse(r.queues) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export class KyselyPeopleStore implements PeopleStore {
  constructor(
    private readonly db: Db,
    private readonly guard: StorageGuard,
  ) {}

  create(person: PersonRecord): Promise<void> {
    return this.guard.run('create person', async () => {
      await this.db.insertInto('people').values(toRow(person)).execute();
    });
  }

  update(person: PersonRecord): Promise<void> {
    return this.guard.run('update person', async () => {
      const { id: _id, created_at: _created, ...row } = toRow(person);
      await this.db.updateTable('people').set(row).where('id', '=', person.id).execute();
    });
  }

  get(id: string): Promise<PersonRecord | undefined> {
    return this.guard.run('get person', async () => {
      const r = await this.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
      return r && fromRow(r);
    });
  }

  byUsername(username: string): Promise<PersonRecord | undefined> {
    return this.guard.run('get person', async () => {
      const r = await this.db.selectFrom('people').selectAll().where('username', '=', username).executeTakeFirst();
      return r && fromRow(r);
    });
  }

  list(): Promise<PersonRecord[]> {
    return this.guard.run('list people', async () => {
      const rows = await this.db.selectFrom('people').selectAll().orderBy('username').execute();
      return rows.map(fromRow);
    });
  }

  count(): Promise<number> {
    return this.guard.run('count people', async () => {
      const r = await this.db.selectFrom('people').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
      return Number(r?.n ?? 0);
    });
  }

  remove(id: string): Promise<void> {
    return this.guard.run('remove person', async () => {
      await this.db.deleteFrom('people').where('id', '=', id).execute();
    });
  }

  createSession(s: SessionRecord): Promise<void> {
    return this.guard.run('create session', async () => {
      await this.db
        .insertInto('people_sessions')
        .values({ token_hash: s.tokenHash, person_id: s.personId, created_at: storedTimestamp(s.createdAt, 'createdAt'), expires_at: storedTimestamp(s.expiresAt, 'expiresAt') })
        .execute();
    });
  }

  session(tokenHash: string): Promise<SessionRecord | undefined> {
    return this.guard.run('read session', async () => {
      const r = await this.db.selectFrom('people_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return r && { tokenHash: r.token_hash, personId: r.person_id, createdAt: r.created_at, expiresAt: r.expires_at };
    });
  }

  deleteSession(tokenHash: string): Promise<void> {
    return this.guard.run('delete session', async () => {
      await this.db.deleteFrom('people_sessions').where('token_hash', '=', tokenHash).execute();
    });
  }

  deleteExpiredSessions(at: string): Promise<number> {
    return this.guard.run('delete expired sessions', async () => {
      const r = await this.db.deleteFrom('people_sessions').where('expires_at', '<', storedTimestamp(at, 'at')).executeTakeFirst();
      return Number(r.numDeletedRows);
    });
  }
}
