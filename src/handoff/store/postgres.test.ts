import { throwAwaySchema } from '../../../test/support/postgres-schema.ts';
import { openStorage } from '../../storage/open-storage.ts';
import { describeHandoffStoreConformance } from './conformance.ts';

/** Against the real PostgreSQL server of the storage tests, in a throw-away schema. */
const url = throwAwaySchema('parley_handoff');

describeHandoffStoreConformance('PostgreSQL', () => openStorage({ url, poolSize: 2 }));
