import { isEmail } from 'class-validator';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { codePointName, hiddenCharacterInIdentifier } from '../validation/hidden-characters.js';

/** How a code reaches an identifier. */
export type Channel = 'email' | 'sms';
/** Which kinds of identifier a field accepts. */
export type IdentifierKind = 'email' | 'phone' | 'email-or-phone';

export const MAX_IDENTIFIER_LENGTH = 254;

/** The canonical form of an identifier, or the reason it has none. */
export type ParsedIdentifier = { ok: true; value: string; channel: Channel } | { ok: false; reason: string };

/**
 * Canonical identifiers, as stored and keyed everywhere: emails trimmed and lower-cased (and refused when they
 * hold a character that cannot be seen), phones in E.164
 * (numbers without a country code are read in `defaultRegion`; with `smsCountries`, only numbers of those
 * regions are accepted, since every phone identifier receives SMS).
 */
export function parseIdentifier(
  raw: string,
  kind: IdentifierKind,
  defaultRegion: string,
  smsCountries?: readonly string[],
): ParsedIdentifier {
  const trimmed = raw.trim();
  if (!trimmed || trimmed.length > MAX_IDENTIFIER_LENGTH) {
    return { ok: false, reason: describe(kind, 'is empty or too long') };
  }
  const looksLikeEmail = trimmed.includes('@');
  if (looksLikeEmail ? kind === 'phone' : kind === 'email') {
    return { ok: false, reason: describe(kind, 'is required here') };
  }
  if (looksLikeEmail) {
    // isEmail accepts them, and `a\u200B@example.com` would be an account beside `a@example.com` that looks the same.
    const hidden = hiddenCharacterInIdentifier(trimmed);
    if (hidden) return { ok: false, reason: `contains an invisible, control or bidirectional formatting character (${codePointName(hidden)})` };
    const email = trimmed.toLowerCase();
    return isEmail(email, { allow_display_name: false, allow_ip_domain: false, require_tld: true })
      ? { ok: true, value: email, channel: 'email' }
      : { ok: false, reason: 'not a valid email address' };
  }
  if (!/^\(?\+?[\d\s().-]+$/.test(trimmed)) {
    return { ok: false, reason: describe(kind, 'is not valid') };
  }
  const phone = parsePhoneNumberFromString(trimmed, defaultRegion as CountryCode);
  if (!phone?.isValid()) return { ok: false, reason: 'not a valid phone number' };
  if (smsCountries && !(phone.country && smsCountries.includes(phone.country))) {
    return {
      ok: false,
      reason: `SMS to ${phone.country ?? 'this'} numbers is not served (served: ${smsCountries.join(', ')})`,
    };
  }
  return { ok: true, value: phone.number, channel: 'sms' };
}

/** The channel of an identifier that is already canonical. */
export function channelOf(identifier: string): Channel {
  return identifier.includes('@') ? 'email' : 'sms';
}

function describe(kind: IdentifierKind, problem: string): string {
  const noun = kind === 'email' ? 'an email address' : kind === 'phone' ? 'a phone number' : 'an email address or phone number';
  return `${noun} ${problem}`;
}
