import { Command } from 'commander';
import { loadBotFolder } from '../../../bot/load.ts';
import { loadBotTests } from '../../../bot/testing/load-tests.ts';

export function validateCommand(): Command {
  return new Command('validate')
    .description('check a bot folder; every problem is listed with file, line and field')
    .argument('<botDir>', 'the bot folder (holding bot.yaml)')
    .action(async (dir: string) => {
      const bot = await loadBotFolder(dir);
      const tests = await loadBotTests(dir);
      const cases = tests.reduce((n, f) => n + (f.tests.conversations?.length ?? 0) + (f.tests.utterances?.length ?? 0), 0);
      process.stdout.write(
        `${dir}: bot '${bot.id}' is valid: ${bot.intents.length} intents, ${Object.keys(bot.entities).length} entities, ` +
          `${Object.keys(bot.dialogs).length} dialogs, ${cases} test cases.\n`,
      );
    });
}
