import { UsersService } from '../../src/users/users.service.js';
import { build } from './builders.js';
import type { TestApp } from './test-app.js';

export const CODE = /\b(\d{6})\b/;

/** The code in the next message delivered to `identifier`. */
export async function nextCode(t: TestApp, identifier: string): Promise<string> {
  const message = await t.nextMessage(identifier);
  const match = message.text.match(CODE);
  if (!match) throw new Error(`the message to ${identifier} holds no code: ${message.text}`);
  return match[1];
}

export async function requestCode(t: TestApp, identifier: string, purpose: 'REGISTER' | 'LOGIN'): Promise<string> {
  const res = await t.http.post('/api/auth/otp/request').send({ identifier, purpose }).expect(200);
  return nextCode(t, res.body.identifier as string);
}

export async function verificationToken(t: TestApp, identifier: string, purpose: 'REGISTER' | 'LOGIN'): Promise<string> {
  const otp = await requestCode(t, identifier, purpose);
  const res = await t.http.post('/api/auth/otp/verify').send({ identifier, otp, purpose }).expect(200);
  return res.body.verification_token as string;
}

export async function registerUser(t: TestApp, identifier: string, username: string) {
  const verification_token = await verificationToken(t, identifier, 'REGISTER');
  const res = await t.http.post('/api/auth/register').send({ identifier, username, verification_token }).expect(201);
  return res.body as { user: { id: string }; tokens: { access: string; refresh: string } };
}

/** A user put straight into the database, as if registered earlier (no code requested, no cooldown used). */
export async function seedUser(t: TestApp, identifier: string, username: string = build.username()) {
  return t.app.get(UsersService).create({ identifier, username });
}
