#!/usr/bin/env node
// Entry point of the `parley` command: loads the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/apps/cli/main.ts');
process.exitCode = await main(process.argv);
