import type { EmailMessage, SmsMessage } from './senders.js';

/**
 * What a person is told after asking for a code. `code` carries one; the other two are the truthful
 * answers of the enumeration rule, sent where no usable code exists.
 */
export type CodeNotice =
  | { kind: 'code'; code: string; purpose: 'REGISTER' | 'LOGIN' | 'CHANGE_IDENTIFIER' | 'PHONE_SIGN_IN'; ttlSeconds: number }
  | { kind: 'already-registered' }
  | { kind: 'no-account' }
  /** Someone asked to move another account onto this identifier, which already has an account. */
  | { kind: 'in-use' }
  /** Sent to the old identifier after an account moved to a new one (given masked). */
  | { kind: 'identifier-changed'; to: string };

const ACTION = { REGISTER: 'sign up', LOGIN: 'sign in', CHANGE_IDENTIFIER: 'confirm your new sign-in address', PHONE_SIGN_IN: 'sign in' } as const;

function minutes(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.round(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

function plainText(notice: CodeNotice, product: string, medium: 'address' | 'number'): string {
  switch (notice.kind) {
    case 'code':
      return `Your ${product} code to ${ACTION[notice.purpose]} is ${notice.code}. Valid for ${minutes(notice.ttlSeconds)}. Never share it with anyone.`;
    case 'already-registered':
      return `Someone asked to create a ${product} account with this ${medium}, but you already have one: sign in instead. If it was not you, ignore this message.`;
    case 'no-account':
      return `Someone tried to sign in to ${product} with this ${medium}, but there is no account for it: sign up instead. If it was not you, ignore this message.`;
    case 'in-use':
      return `Someone asked to move a ${product} account onto this ${medium}, but it already belongs to an account, so nothing changed. If it was not you, ignore this message.`;
    case 'identifier-changed':
      return `The sign-in ${medium} of your ${product} account was changed to ${notice.to}. If it was not you, contact support at once.`;
  }
}

export function renderSms(to: string, notice: CodeNotice, product: string): SmsMessage {
  const text =
    notice.kind === 'code'
      ? `Your ${product} OTP is: ${notice.code}. Valid for ${minutes(notice.ttlSeconds)}.`
      : plainText(notice, product, 'number');
  return { to, text };
}

export function renderEmail(to: string, notice: CodeNotice, product: string): EmailMessage {
  const text = plainText(notice, product, 'address');
  const subject =
    notice.kind === 'code' ? `Your ${product} code: ${notice.code}` : `About your ${product} sign-in request`;
  const body =
    notice.kind === 'code'
      ? `<p>Your ${escapeHtml(product)} code to ${ACTION[notice.purpose]} is</p><p style="font-size:28px;font-weight:bold;letter-spacing:4px">${notice.code}</p><p>It is valid for ${minutes(notice.ttlSeconds)}. Never share it with anyone.</p>`
      : `<p>${escapeHtml(text)}</p>`;
  return { to, subject, text, html: `<!doctype html><html><body>${body}</body></html>` };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
