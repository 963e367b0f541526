import { Command } from 'commander';
import { loadBotFolder } from '../../../bot/load.ts';
import { loadBotTests } from '../../../bot/testing/load-tests.ts';
import { runBotTests, type CaseResult } from '../bot-test-runner.ts';
import { withLocalServer } from '../local-server.ts';

export function testCommand(): Command {
  return new Command('test')
    .description("run a bot's conversation scripts and utterance tests (tests/*.yaml); exits non-zero on a failure")
    .argument('<botDir>', 'the bot folder')
    .action(async (dir: string) => {
      const bot = await loadBotFolder(dir);
      const files = await loadBotTests(dir);
      if (!files.length) {
        process.stderr.write(`${dir}: no tests (add tests/*.yaml; \`parley init\` shows the format)\n`);
        process.exitCode = 1;
        return;
      }
      process.stderr.write(`Training ${bot.id} and starting a private server…\n`);
      const results = await withLocalServer(dir, (server) =>
        runBotTests(files, {
          botId: bot.id,
          service: server.service,
          storage: server.storage,
          bots: server.bots,
          onResult: (r: CaseResult) => {
            process.stdout.write(`${r.passed ? '  ✓' : '  ✗'} ${r.kind === 'utterance' ? 'utterance' : 'conversation'}: ${r.name}\n`);
            for (const f of r.failures) process.stdout.write(`      ${f}  (${r.file})\n`);
          },
        }),
      );
      const failed = results.filter((r) => !r.passed).length;
      const conv = results.filter((r) => r.kind === 'conversation');
      const utt = results.filter((r) => r.kind === 'utterance');
      process.stdout.write(
        `\n${conv.filter((r) => r.passed).length}/${conv.length} conversations, ${utt.filter((r) => r.passed).length}/${utt.length} utterances passed.\n` +
          `${results.length - failed} passed, ${failed} failed\n`,
      );
      if (failed) process.exitCode = 1;
    });
}
