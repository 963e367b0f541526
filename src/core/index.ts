/** The conversation core: a pure dialog engine. Channels speak only its Input and Action unions. */
export type * from './bot.ts';
export type * from './input.ts';
export type * from './action.ts';
export type * from './state.ts';
export { initialState } from './state.ts';
export { step, type StepResult } from './step.ts';
export { currentExpectation, type CurrentExpectation } from './expectation.ts';
