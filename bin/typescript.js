// Runs Parley's TypeScript sources without a build step: `node --import ./bin/typescript.js file.ts`, or
// imported first by the `parley` command. Stack traces point at the TypeScript lines (inline source maps).
import { register } from 'node:module';

register('./typescript-hooks.js', import.meta.url);
process.setSourceMapsEnabled(true);
