/**
 * Identifiers as they may appear in logs: enough to correlate, not enough to contact anyone.
 * `test@example.com` -> `t***@e***.com`, `+8801719159900` -> `+88017*****900`.
 */
export function maskIdentifier(identifier: string): string {
  const at = identifier.lastIndexOf('@');
  if (at > 0) {
    const local = identifier.slice(0, at);
    const domain = identifier.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    const tld = dot > 0 ? domain.slice(dot) : '';
    return `${local[0]}***@${domain[0] ?? ''}***${tld}`;
  }
  if (identifier.length <= 7) return '*'.repeat(identifier.length);
  const keepStart = Math.min(6, identifier.length - 6);
  return identifier.slice(0, keepStart) + '*'.repeat(identifier.length - keepStart - 3) + identifier.slice(-3);
}

const EMAIL = /[^\s<>"'@]+@[^\s<>"'@]+\.[a-z]{2,}/gi;
const DIGITS = /\+?\d{4,}/g;

/** Free text (a provider's error message) with every email masked and every run of 4+ digits starred. */
export function scrub(text: string): string {
  return text.replace(EMAIL, (email) => maskIdentifier(email)).replace(DIGITS, (digits) => '*'.repeat(digits.length));
}
