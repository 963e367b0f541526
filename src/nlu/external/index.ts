/** NLU engines over external services. Register them in the composition root. */
export { createRasaNlu, type RasaNluOptions } from './rasa.ts';
export { createHttpNlu, type HttpNluOptions } from './http-nlu.ts';
export type { LocalCompletionOptions } from './complete-understanding.ts';
