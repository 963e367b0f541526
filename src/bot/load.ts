import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Type } from 'typebox';
import type { Bot, Dialog } from '../core/bot.ts';
import { checkBot, type BotSources } from './check.ts';
import * as normalize from './normalize.ts';
import { BotInvalidError, type BotProblem } from './problems.ts';
import {
  BotFileSchema,
  DialogFileSchema,
  EntitiesFileSchema,
  IntentsFileSchema,
  nodeSchemas,
  type BotFile,
  type DialogFile,
  type EntitiesFile,
  type IntentsFile,
} from './schema.ts';
import { validateAgainst } from './validate-schema.ts';
import { YamlSource } from './yaml-source.ts';

/** A dialog file checked without its nodes, which are checked one by one against their own type. */
const DialogShellSchema = Type.Object(
  { ...DialogFileSchema.properties, nodes: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { additionalProperties: false },
);

async function readSource(dir: string, file: string): Promise<YamlSource | undefined> {
  const full = join(dir, file);
  if (!existsSync(full)) return undefined;
  const rel = relative(process.cwd(), full);
  return new YamlSource(rel && !rel.startsWith('..') ? rel : full, await readFile(full, 'utf8'));
}

function checkDialogFile(s: YamlSource, problems: BotProblem[]): DialogFile | undefined {
  const found = validateAgainst(s, DialogShellSchema, s.value);
  problems.push(...found);
  if (found.length) return undefined;
  const raw = s.value as { nodes: unknown[] };
  let ok = true;
  raw.nodes.forEach((n, i) => {
    const type = (n as { type?: unknown } | null)?.type;
    const schema = typeof type === 'string' ? nodeSchemas[type as keyof typeof nodeSchemas] : undefined;
    if (!schema) {
      problems.push(s.problem(['nodes', i, 'type'], `unknown node type ${JSON.stringify(type)} (one of ${Object.keys(nodeSchemas).join(', ')})`));
      ok = false;
      return;
    }
    const p = validateAgainst(s, schema, n, ['nodes', i]);
    problems.push(...p);
    if (p.length) ok = false;
  });
  return ok ? (s.value as DialogFile) : undefined;
}

/**
 * Reads a bot folder: `bot.yaml`, `intents.yaml`, `entities.yaml`, `dialogs/*.yaml`. Every problem is
 * collected and reported with file, line and field in one BotInvalidError; nothing partial is returned.
 */
export async function loadBotFolder(dir: string): Promise<Bot> {
  const problems: BotProblem[] = [];
  const botSrc = await readSource(dir, 'bot.yaml');
  if (!botSrc) {
    throw new BotInvalidError(dir, [{ file: join(dir, 'bot.yaml'), line: 1, field: '', message: 'missing bot.yaml (run `parley init` to scaffold a bot)' }]);
  }
  const intentsSrc = await readSource(dir, 'intents.yaml');
  const entitiesSrc = await readSource(dir, 'entities.yaml');
  const dialogDir = join(dir, 'dialogs');
  const dialogFiles = existsSync(dialogDir)
    ? (await readdir(dialogDir)).filter((f) => /\.ya?ml$/.test(f)).sort()
    : [];
  const dialogSrcs = await Promise.all(dialogFiles.map(async (f) => (await readSource(dialogDir, f)) as YamlSource));

  const all = [botSrc, intentsSrc, entitiesSrc, ...dialogSrcs].filter((s): s is YamlSource => !!s);
  for (const s of all) problems.push(...s.problems);
  if (problems.length) throw new BotInvalidError(dir, problems);

  problems.push(...validateAgainst(botSrc, BotFileSchema, botSrc.value));
  if (intentsSrc) problems.push(...validateAgainst(intentsSrc, IntentsFileSchema, intentsSrc.value));
  if (entitiesSrc) problems.push(...validateAgainst(entitiesSrc, EntitiesFileSchema, entitiesSrc.value));
  const dialogs: Dialog[] = [];
  const sources: BotSources = {
    bot: botSrc,
    ...(intentsSrc ? { intents: intentsSrc } : {}),
    ...(entitiesSrc ? { entities: entitiesSrc } : {}),
    dialogs: new Map(),
  };
  for (const s of dialogSrcs) {
    const raw = checkDialogFile(s, problems);
    if (!raw) continue;
    if (sources.dialogs.has(raw.id)) {
      problems.push(s.problem(['id'], `dialog id '${raw.id}' is used by another file too`));
      continue;
    }
    sources.dialogs.set(raw.id, s);
    dialogs.push(normalize.dialog(raw));
  }
  if (problems.length) throw new BotInvalidError(dir, problems);

  const bot = normalize.bot(botSrc.value as BotFile, {
    intents: normalize.intents(intentsSrc?.value as IntentsFile | undefined),
    entities: normalize.entities(entitiesSrc?.value as EntitiesFile | undefined, dialogs),
    dialogs,
  });
  problems.push(...checkBot(bot, sources));
  if (problems.length) throw new BotInvalidError(dir, problems);
  return bot;
}

/** Loads every bot folder (a folder holding bot.yaml) directly under `root`, or `root` itself if it is one. */
export async function loadBotsFrom(root: string): Promise<Bot[]> {
  if (existsSync(join(root, 'bot.yaml'))) return [await loadBotFolder(root)];
  const entries = await readdir(root, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory() && existsSync(join(root, e.name, 'bot.yaml')));
  const bots = await Promise.all(dirs.map((d) => loadBotFolder(join(root, d.name))));
  const seen = new Map<string, string>();
  for (const [i, b] of bots.entries()) {
    const other = seen.get(b.id);
    if (other) {
      throw new BotInvalidError(root, [{ file: join(root, dirs[i]?.name ?? '', 'bot.yaml'), line: 1, field: 'id', message: `bot id '${b.id}' is also used by ${other}` }]);
    }
    seen.set(b.id, basename(join(root, dirs[i]?.name ?? '')));
  }
  return bots;
}
