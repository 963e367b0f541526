import { Command, CommanderError } from 'commander';
import { isParleyError } from '../../errors.ts';
import { chatCommand } from './commands/chat.ts';
import { initCommand } from './commands/init.ts';
import { nluCommand } from './commands/nlu.ts';
import { ivrAppCommand, ivrTokenCommand } from './commands/ivr-apps.ts';
import { ivrCallCommand } from './commands/ivr-call.ts';
import { schemaCommand } from './commands/schema.ts';
import { serveCommand } from './commands/serve.ts';
import { testCommand } from './commands/test.ts';
import { validateCommand } from './commands/validate.ts';
import { vxmlImportCommand } from './commands/vxml-import.ts';

export function buildCli(): Command {
  return new Command('parley')
    .description('Parley: conversational IVR and bot-to-agent platform')
    .version('0.1.0')
    .exitOverride()
    .addCommand(serveCommand())
    .addCommand(chatCommand())
    .addCommand(validateCommand())
    .addCommand(testCommand())
    .addCommand(initCommand())
    .addCommand(schemaCommand())
    .addCommand(nluCommand())
    .addCommand(ivrCallCommand().addCommand(ivrAppCommand()).addCommand(ivrTokenCommand()))
    .addCommand(vxmlImportCommand());
}

/** Runs the CLI; returns the exit code. Errors are printed with what to do about them, not as stacks. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isParleyError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\n  → ${err.hint}\n`);
      return 1;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      process.stderr.write(`error: ${e.message}\n  → another program uses that port; choose another with --port or PARLEY_PORT\n`);
      return 1;
    }
    if (e.code === 'ENOENT') {
      process.stderr.write(`error: ${e.message}\n  → check the path\n`);
      return 1;
    }
    throw err;
  }
}
