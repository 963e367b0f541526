import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { loadBotFolder } from '../../../bot/load.ts';
import { textMessages } from '../../../channels/chat/render.ts';
import type { Action } from '../../../core/action.ts';
import { withLocalServer } from '../local-server.ts';

const help = 'Type to talk. /digits 1234 sends keypad digits, /silence a no-input, /quit leaves.';

export function chatCommand(): Command {
  return new Command('chat')
    .description('talk to a bot in the terminal')
    .argument('<botDir>', 'the bot folder')
    .action(async (dir: string) => {
      const bot = await loadBotFolder(dir);
      process.stderr.write(`Training ${bot.id}…\n`);
      await withLocalServer(dir, async (server) => {
        const show = (actions: Action[]) => {
          for (const m of textMessages(actions)) {
            process.stdout.write(`${bot.name}: ${m.text}\n`);
            if (m.buttons) process.stdout.write(`   [${m.buttons.map((b) => b.title).join('] [')}]\n`);
          }
          const end = actions.find((a) => a.type === 'end' || a.type === 'escalate' || a.type === 'transfer');
          if (end) process.stdout.write(`   (${end.type}${end.type === 'end' ? `: ${end.outcome}` : ''})\n`);
        };
        process.stdout.write(`${help}\n\n`);
        let { conversation, actions } = await server.service.start(bot.id, { channel: 'chat' });
        show(actions);
        const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
        try {
          while (conversation.status !== 'ended') {
            let line: string;
            try {
              line = (await rl.question('you: ')).trim();
            } catch {
              break;
            }
            if (line === '/quit') break;
            if (!line) continue;
            const input = line.startsWith('/digits ')
              ? { digits: line.slice(8).trim() }
              : line === '/silence'
                ? ({ event: 'noInput' } as const)
                : { text: line };
            ({ conversation, actions } = await server.service.send(conversation.id, input));
            show(actions);
          }
        } finally {
          rl.close();
        }
      });
    });
}
