import { describe, expect, it } from 'vitest';
import { isParleyError } from '../../errors.ts';
import { createAddressAllowList } from './address-allow-list.ts';

describe('createAddressAllowList', () => {
  it('allows addresses inside the listed ranges only, IPv4-mapped IPv6 included', () => {
    const allowed = createAddressAllowList(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
    expect(['10.1.2.3', '192.0.2.7', '::ffff:10.9.9.9', '2001:db8:1::5'].map(allowed)).toEqual([true, true, true, true]);
    expect(['11.0.0.1', '192.0.2.8', '2001:db9::1', 'not-an-ip'].map(allowed)).toEqual([false, false, false, false]);
  });

  it('refuses entries that are not addresses or ranges, naming them', () => {
    for (const entry of ['10.0.0.0/33', 'example.com', '10.0.0.0/x', '::1/129']) {
      try {
        createAddressAllowList([entry]);
        expect.unreachable();
      } catch (error) {
        expect(isParleyError(error) && error.code).toBe('PARLEY_ERR_CONFIG');
        expect((error as Error).message).toContain(entry);
      }
    }
  });
});
