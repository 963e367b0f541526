/**
 * Source-address allow-list for inbound calls: IPv4/IPv6 addresses and CIDR ranges (`10.0.0.0/8`,
 * `2001:db8::/32`, `192.0.2.7`). IPv4-mapped IPv6 sources are checked as IPv4.
 */
import { BlockList, isIP } from 'node:net';
import { ParleyError } from '../../errors.ts';
import { normalizeAddress } from './transport.ts';

export type AddressCheck = (address: string) => boolean;

export function createAddressAllowList(entries: readonly string[]): AddressCheck {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefixText] = entry.trim().split('/');
    const family = isIP(address);
    const maxPrefix = family === 4 ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix || (prefixText !== undefined && !/^\d+$/.test(prefixText))) {
      throw new ParleyError('PARLEY_ERR_CONFIG', `SIP allow-list entry "${entry}" is not an IP address or CIDR range`);
    }
    list.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  }
  return (source) => {
    const address = normalizeAddress(source);
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  };
}
