/**
 * Writes an imported bot as a bot folder (docs/bot-format.md): `bot.yaml`, `intents.yaml`,
 * `entities.yaml`, `dialogs/<id>.yaml`, and `IMPORT-NOTES.md` listing what was not carried over.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ImportedBot } from './bot-shape.ts';
import type { Unmapped } from './vxml-source.ts';

function yamlFile(comment: string, value: unknown): string {
  return `# ${comment}\n${stringify(value, { lineWidth: 0 })}`;
}

export function describeUnmapped(u: Unmapped): string {
  return `${u.file}${u.line !== undefined ? `:${u.line}` : ''}: ${u.element ? `${u.element} ` : ''}${u.reason}`;
}

function notes(bot: ImportedBot, source: string): string {
  const lines = [
    `# Import notes`,
    '',
    `Imported from \`${source}\` by \`parley vxml import\`. Check the bot with \`parley validate\` and try it with \`parley chat\`.`,
    '',
  ];
  if (bot.unmapped.length === 0) lines.push('Everything was carried over.');
  else lines.push('Not carried over, or only approximately:', '', ...bot.unmapped.map((u) => `- ${describeUnmapped(u)}`));
  return `${lines.join('\n')}\n`;
}

function fileName(id: string): string {
  return `${id.replace(/_/g, '-').toLowerCase()}.yaml`;
}

/** Writes the folder; refuses a folder that already has files unless `force`. Returns the files written. */
export async function writeBotFolder(bot: ImportedBot, dir: string, options: { source: string; force?: boolean }): Promise<string[]> {
  const existing = await readdir(dir).catch(() => [] as string[]);
  if (existing.length > 0 && !options.force) throw new Error(`${dir} is not empty; choose another folder or pass --force`);
  await mkdir(join(dir, 'dialogs'), { recursive: true });
  const header = `Imported from ${options.source} by parley vxml import.`;
  const files: Array<[string, string]> = [
    ['bot.yaml', yamlFile(header, bot.bot)],
    ['intents.yaml', yamlFile(header, { intents: bot.intents })],
    ['entities.yaml', yamlFile(header, { entities: bot.entities })],
    ...bot.dialogs.map((d): [string, string] => [join('dialogs', fileName(d.id)), yamlFile(header, d)]),
    ['IMPORT-NOTES.md', notes(bot, options.source)],
  ];
  const used = new Set<string>();
  for (const [name, text] of files) {
    let target = name;
    for (let n = 2; used.has(target); n++) target = name.replace(/\.yaml$/, `-${n}.yaml`);
    used.add(target);
    await writeFile(join(dir, target), text);
  }
  return [...used];
}
