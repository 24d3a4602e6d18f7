import { HIDDEN_CHARACTERS } from '../validation/testing/hidden-character-samples.js';
import { channelOf, parseIdentifier } from './identifier.js';

describe('parseIdentifier', () => {
  it.each([
    ['  Test@Example.COM ', 'test@example.com'],
    ['first.last+tag@sub.example.org', 'first.last+tag@sub.example.org'],
  ])('canonicalises the email %j to %s', (raw, canonical) => {
    expect(parseIdentifier(raw, 'email-or-phone', 'BD')).toEqual({ ok: true, value: canonical, channel: 'email' });
  });

  it.each([['01719159900'], ['+880 1719-159900'], ['008801719159900'], ['+8801719159900'], ['(+880) 1719 159900']])(
    'reads %s as +8801719159900 in region BD',
    (raw) => {
      expect(parseIdentifier(raw, 'email-or-phone', 'BD')).toEqual({ ok: true, value: '+8801719159900', channel: 'sms' });
    },
  );

  it('reads national numbers in the configured region', () => {
    expect(parseIdentifier('020 7946 0958', 'phone', 'GB')).toMatchObject({ ok: true, value: '+442079460958' });
  });

  it.each([['plainaddress'], ['a@b'], ['a@@example.com'], ['0171915990'], ['+1 555'], ['12abc'], [''], ['x'.repeat(300)]])(
    'rejects %j',
    (raw) => {
      expect(parseIdentifier(raw, 'email-or-phone', 'BD').ok).toBe(false);
    },
  );

  it.each([...HIDDEN_CHARACTERS, ['no-break space', '\u00A0']])('refuses an email with a %s in it, naming the character', (_, character) => {
    const codePoint = `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    for (const raw of [`te${character}st@example.com`, `test@exa${character}mple.com`, `test${character}@example.com`]) {
      expect(parseIdentifier(raw, 'email-or-phone', 'BD')).toEqual({ ok: false, reason: expect.stringContaining(codePoint) });
    }
  });

  it('accepts phones only from the SMS countries it is given', () => {
    expect(parseIdentifier('+8801719159900', 'phone', 'BD', ['BD'])).toMatchObject({ ok: true });
    expect(parseIdentifier('+442079460958', 'phone', 'BD', ['BD'])).toEqual({
      ok: false,
      reason: 'SMS to GB numbers is not served (served: BD)',
    });
    expect(parseIdentifier('+442079460958', 'phone', 'BD', ['BD', 'GB'])).toMatchObject({ ok: true });
  });

  it('holds a field to its kind', () => {
    expect(parseIdentifier('a@example.com', 'phone', 'BD')).toEqual({ ok: false, reason: 'a phone number is required here' });
    expect(parseIdentifier('01719159900', 'email', 'BD')).toEqual({ ok: false, reason: 'an email address is required here' });
  });

  it('derives the channel of a canonical identifier', () => {
    expect(channelOf('a@example.com')).toBe('email');
    expect(channelOf('+8801719159900')).toBe('sms');
  });
});
