import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key a client address is counted under: an IPv4 address as itself (also when an IPv6 form carries it,
 * see embeddedIPv4), an IPv6 address as its network of `prefixLength` bits (a /64 is what one home or
 * one cloud machine gets, so counting single IPv6 addresses would give every attacker 2^64 budgets).
 */
export function clientAddressKey(address: string, prefixLength = 64): string {
  const bare = address.split('%')[0];
  if (isIPv4(bare)) return bare;
  if (!isIPv6(bare)) return address;
  const hextets = expandIPv6(bare.toLowerCase());
  const embedded = embeddedIPv4(hextets);
  if (embedded) return embedded;
  const masked = hextets.map((hextet, i) => {
    const keep = Math.min(16, Math.max(0, prefixLength - i * 16));
    return keep === 0 ? 0 : hextet & ((0xffff << (16 - keep)) & 0xffff);
  });
  return `${masked.map((h) => h.toString(16)).join(':')}/${prefixLength}`;
}

/**
 * The IPv4 client behind an IPv6 form that only carries one: IPv4-mapped (`::ffff:a.b.c.d`), SIIT
 * (`::ffff:0:a.b.c.d`), NAT64's well-known prefix (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::/48`).
 * Without this, every IPv4 client of an IPv6-only or NAT64 front end would share one /64 budget, and a 6to4
 * user would get 65,536 of them.
 */
function embeddedIPv4(h: number[]): string | undefined {
  const dotted = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  const zeros = (from: number, to: number) => h.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && h[5] === 0xffff) return dotted(h[6], h[7]);
  if (zeros(0, 4) && h[4] === 0xffff && h[5] === 0) return dotted(h[6], h[7]);
  if (h[0] === 0x64 && h[1] === 0xff9b && zeros(2, 6)) return dotted(h[6], h[7]);
  if (h[0] === 0x2002) return dotted(h[1], h[2]);
  return undefined;
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
