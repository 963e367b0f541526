import { Command } from 'commander';
import { importVxmlApplication } from '../../../channels/voicexml/import/import-vxml.ts';
import { describeUnmapped, writeBotFolder } from '../../../channels/voicexml/import/write-bot-folder.ts';

/** `parley vxml import <file.vxml> --out <botDir>`: an existing VoiceXML application as a bot folder. */
export function vxmlImportCommand(io: { out?: (text: string) => void } = {}): Command {
  const out = io.out ?? ((t: string) => process.stdout.write(t));
  const importCmd = new Command('import')
    .description('turn a VoiceXML menu/form application into a bot folder; lists what it could not carry over')
    .argument('<file>', 'the entry document (.vxml); local documents it references are read too')
    .requiredOption('-o, --out <botDir>', 'the bot folder to write (must be empty or new)')
    .option('--id <botId>', 'the bot id (default: from the file or folder name)')
    .option('--force', 'write into a folder that already has files')
    .action(async (file: string, options: { out: string; id?: string; force?: boolean }) => {
      const bot = await importVxmlApplication(file, options.id ? { id: options.id } : {});
      const files = await writeBotFolder(bot, options.out, { source: file, ...(options.force ? { force: true } : {}) });
      out(
        `${options.out}: bot '${bot.bot.id}' with ${Object.keys(bot.intents).length} intents, ${Object.keys(bot.entities).length} entities, ` +
          `${bot.dialogs.length} dialogs (${files.length} files).\n`,
      );
      if (bot.unmapped.length) {
        out(`Not carried over, or only approximately (also in IMPORT-NOTES.md):\n${bot.unmapped.map((u) => `  ${describeUnmapped(u)}`).join('\n')}\n`);
      }
      out(`Next: parley validate ${options.out}\n`);
    });
  return new Command('vxml').description('VoiceXML tools').addCommand(importCmd);
}
