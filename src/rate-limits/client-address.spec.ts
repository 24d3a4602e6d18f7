import { clientAddressKey } from './client-address.js';

describe('clientAddressKey', () => {
  it.each([
    ['192.0.2.1', 64, '192.0.2.1'],
    ['::ffff:192.0.2.1', 64, '192.0.2.1'],
    ['::ffff:c000:201', 64, '192.0.2.1'],
    ['2001:db8:aa:bb::1', 64, '2001:db8:aa:bb:0:0:0:0/64'],
    ['2001:DB8:AA:BB:ffff:1:2:3', 64, '2001:db8:aa:bb:0:0:0:0/64'],
    ['2001:db8:aa:bc::1', 64, '2001:db8:aa:bc:0:0:0:0/64'],
    ['2001:db8:aa:bb::1', 48, '2001:db8:aa:0:0:0:0:0/48'],
    ['2001:db8:aa:bb::1', 56, '2001:db8:aa:0:0:0:0:0/56'],
    ['2001:db8:aa:1bb::1', 56, '2001:db8:aa:100:0:0:0:0/56'],
    ['::1', 128, '0:0:0:0:0:0:0:1/128'],
    ['fe80::1%eth0', 64, 'fe80:0:0:0:0:0:0:0/64'],
    ['not-an-address', 64, 'not-an-address'],
  ])('%s /%d -> %s', (address, prefix, key) => {
    expect(clientAddressKey(address, prefix)).toBe(key);
  });
});
