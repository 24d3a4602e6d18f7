import { devInboxEnabled } from '../src/notifications/dev-inbox.module.js';
import { build } from './support/builders.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('the development inbox (GET /dev/inbox)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The console senders the configuration picks in development, as `npm start` runs them.
    t = await createTestApp({ OTP_RESEND_COOLDOWN_SECONDS: '0' }, { senders: 'configured' });
  });
  afterAll(() => t.close());

  const inbox = (query: Record<string, string> = {}) => t.http.get('/dev/inbox').query(query);
  const eventually = async <T>(read: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const value = await read();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('nothing arrived in the inbox');
  };

  it('shows the last messages, newest first, with the code picked out, and the code signs in', async () => {
    const email = build.email();
    await t.http.post('/api/auth/otp/request').send({ identifier: email, purpose: 'REGISTER' }).expect(200);
    const message = await eventually(async () => (await inbox({ to: email }).expect(200)).body.messages[0]);
    expect(message).toMatchObject({ channel: 'email', to: email, subject: expect.any(String), code: expect.stringMatching(/^\d{6}$/), sent_at: expect.any(String) });
    expect(message.text).toContain(message.code);
    await t.http.post('/api/auth/otp/verify').send({ identifier: email, otp: message.code, purpose: 'REGISTER' }).expect(200);

    const res = await inbox().expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.messages[0].to).toBe(email);
  });

  it('finds a phone in any form, and keeps the newest first', async () => {
    const phone = '01719' + String(Math.floor(100000 + Math.random() * 899999));
    for (let i = 0; i < 2; i++) await t.http.post('/api/users/send-otp/').send({ phone }).expect(200);
    const messages = await eventually(async () => {
      const found = (await inbox({ to: phone }).expect(200)).body.messages as Array<{ to: string; code: string; sent_at: string }>;
      return found.length === 2 ? found : undefined;
    });
    expect(messages.map((m) => m.to)).toEqual([`+880${phone.slice(1)}`, `+880${phone.slice(1)}`]);
    expect(messages[0].sent_at >= messages[1].sent_at).toBe(true);
    expect((await inbox({ to: `+880 ${phone.slice(1)}`, limit: '1' }).expect(200)).body.messages).toEqual([messages[0]]);
  });

  it('refuses a bad limit with 400', async () => {
    for (const limit of ['0', '101', 'x']) expect((await inbox({ limit }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('does not exist in production', () => {
    expect(devInboxEnabled({ NODE_ENV: 'production' })).toBe(false);
    expect(devInboxEnabled({ NODE_ENV: 'development' })).toBe(true);
    expect(devInboxEnabled({})).toBe(true);
  });
});
