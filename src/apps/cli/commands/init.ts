import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { ParleyError } from '../../../errors.ts';

const template = fileURLToPath(new URL('../templates/starter', import.meta.url));

export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a new bot folder that validates and passes its own tests')
    .argument('<dir>', 'the folder to create')
    .option('--name <name>', 'the bot’s display name')
    .action((dir: string, opts: { name?: string }) => {
      const target = resolve(dir);
      if (existsSync(target) && readdirSync(target).length > 0) {
        throw new ParleyError('PARLEY_ERR_BAD_REQUEST', `${dir} exists and is not empty; choose a new folder`);
      }
      const id = basename(target).replace(/[^A-Za-z0-9_-]/g, '-').replace(/^[^A-Za-z]+/, '') || 'bot';
      cpSync(template, target, { recursive: true });
      const botFile = join(target, 'bot.yaml');
      const text = readFileSync(botFile, 'utf8')
        .replace('__BOT_ID__', id)
        .replace('__BOT_NAME__', opts.name ?? id)
        .replace(/^# yaml-language-server.*\n/, '');
      writeFileSync(botFile, text);
      process.stdout.write(
        `Created bot '${id}' in ${dir}.\n  npx parley validate ${dir}\n  npx parley test ${dir}\n  npx parley chat ${dir}\n`,
      );
    });
}
