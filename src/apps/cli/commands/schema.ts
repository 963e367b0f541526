import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { botJsonSchemas } from '../../../bot/json-schemas.ts';

export function schemaCommand(): Command {
  return new Command('schema')
    .description('write the JSON Schemas of bot files, for editors that validate YAML')
    .option('-o, --out <dir>', 'output folder', 'schema')
    .action((opts: { out: string }) => {
      mkdirSync(opts.out, { recursive: true });
      for (const [name, schema] of Object.entries(botJsonSchemas())) {
        const file = join(opts.out, name);
        writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
        process.stdout.write(`wrote ${file}\n`);
      }
    });
}
