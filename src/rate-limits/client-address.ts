import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is counted under: an IPv4 address as itself (also when written IPv4-mapped,
 * `::ffff:192.0.2.1`), an IPv6 address as its network of `prefixLength` bits (a /64 is what one home or
 * one cloud machine gets, so counting single IPv6 addresses would give every attacker 2^64 budgets).
 */
export function clientAddressKey(address: string, prefixLength = 64): string {
  const bare = address.split('%')[0];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return address;
  const hextets = expandIPv6(bare.toLowerCase());
  const mapped = hextets.slice(0, 5).every((h) => h === 0) && hextets[5] === 0xffff;
  if (mapped) return [hextets[6] >> 8, hextets[6] & 0xff, hextets[7] >> 8, hextets[7] & 0xff].join('.');
  const masked = hextets.map((hextet, i) => {
    const keep = Math.min(16, Math.max(0, prefixLength - i * 16));
    return keep === 0 ? 0 : hextet & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((h) => h.toString(16)).join(':')}/${prefixLength}`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function expandIPv6(address: string): number[] {
  let text = address;
  const dotted = text.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}
