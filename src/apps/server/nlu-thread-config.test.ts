import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../errors.ts';
import { resolveConfig } from './config.ts';

describe('PARLEY_NLU_THREAD', () => {
  it('turns the NLU thread on or off, and leaves the choice to the CPU count when unset', () => {
    expect(resolveConfig({}, { PARLEY_NLU_THREAD: 'on' }).nluThread).toBe(true);
    expect(resolveConfig({}, { PARLEY_NLU_THREAD: 'off' }).nluThread).toBe(false);
    expect(resolveConfig({}, {})).not.toHaveProperty('nluThread');
  });

  it('refuses any other value, saying which it takes', () => {
    expect(() => resolveConfig({}, { PARLEY_NLU_THREAD: 'yes' })).toThrow(ParleyError);
    expect(() => resolveConfig({}, { PARLEY_NLU_THREAD: 'yes' })).toThrow("PARLEY_NLU_THREAD must be on or off, not 'yes'");
  });
});
