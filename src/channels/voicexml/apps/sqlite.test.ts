import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStorage } from '../../../storage/open-storage.ts';
import { describeIvrAppsConformance } from './conformance.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-ivr-apps-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describeIvrAppsConformance('SQLite', () => openStorage({ dataDir }));
