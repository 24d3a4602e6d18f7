import { maskIdentifier, scrub } from './mask.js';

describe('maskIdentifier', () => {
  it.each([
    ['test@example.com', 't***@e***.com'],
    ['+8801719159900', '+88017*****900'],
    ['12345', '*****'],
  ])('masks %s as %s', (identifier, masked) => {
    expect(maskIdentifier(identifier)).toBe(masked);
  });

  it('never leaves the full local part or the full number visible', () => {
    expect(maskIdentifier('alice.rahman@example.com')).not.toContain('alice');
    expect(maskIdentifier('+8801719159900')).not.toContain('1719159');
  });
});

describe('scrub', () => {
  it('masks emails and digit runs in provider messages', () => {
    expect(scrub('550 5.1.1 <alice@example.com>: Recipient address rejected')).toBe(
      '550 5.1.1 <a***@e***.com>: Recipient address rejected',
    );
    expect(scrub('invalid number 8801719159900, code 123456')).toBe('invalid number *************, code ******');
  });
});
