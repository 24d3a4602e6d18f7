import { build } from './support/builders.js';
import { ProviderStandIn, startSmtpServer, type ReceivedMail } from './support/provider-stand-ins.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const REQUEST = '/api/auth/otp/request';
const VERIFY = '/api/auth/otp/verify';
const accepted = { status: 200, json: { response_code: 202, message_id: 1, success_message: 'SMS Submitted Successfully' } };

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function metric(t: TestApp, provider: string, outcome: string): Promise<number> {
  const text = (await t.http.get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`otpgate_deliveries_total{provider="${provider}",outcome="${outcome}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Decodes a quoted-printable part well enough to read it. */
function qp(text: string): string {
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

describe('email over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await createTestApp(
      { EMAIL_PROVIDER: 'smtp', SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: 'otpgate <no-reply@example.com>', PRODUCT_NAME: 'Acme' },
      { senders: 'configured' },
    );
  });
  afterAll(async () => {
    await t.close();
    await smtp.stop();
  });

  it('delivers the code in a text and an HTML part, and the code completes the flow', async () => {
    const email = build.email();
    await t.http.post(REQUEST).send({ identifier: email, purpose: 'REGISTER' }).expect(200);
    const mail: ReceivedMail = await until(() => smtp.mails.find((m) => m.to.includes(email)));
    expect(mail.from).toBe('no-reply@example.com');
    const code = /^Subject: Your Acme code: (\d{6})$/m.exec(mail.raw)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const decoded = qp(mail.raw);
    expect(decoded).toContain('Content-Type: text/plain');
    expect(decoded).toContain('Content-Type: text/html');
    expect(decoded).toContain(`Your Acme code to sign up is ${code}. Valid for 2 minutes.`);
    expect(decoded).toMatch(new RegExp(`<p[^>]*>${code}</p>`));

    const verified = await t.http.post(VERIFY).send({ identifier: email, otp: code, purpose: 'REGISTER' }).expect(200);
    await t.http
      .post('/api/auth/register')
      .send({ identifier: email, username: build.username(), verification_token: verified.body.verification_token })
      .expect(201);
  });

  it('tells an unknown address the truth instead of sending a code', async () => {
    const email = build.email();
    await t.http.post(REQUEST).send({ identifier: email, purpose: 'LOGIN' }).expect(200);
    const mail = await until(() => smtp.mails.find((m) => m.to.includes(email)));
    expect(qp(mail.raw)).toContain('there is no account for it: sign up instead');
    expect(mail.raw).not.toMatch(/Subject: .*\d{6}/);
  });
});

describe('SMS through BulkSMS BD', () => {
  const bulksms = new ProviderStandIn(accepted);
  let t: TestApp;

  beforeAll(async () => {
    await bulksms.start();
    t = await createTestApp(
      {
        SMS_PROVIDER: 'bulksmsbd',
        BULKSMSBD_BASE_URL: `http://127.0.0.1:${bulksms.port}/api/smsapi`,
        BULKSMSBD_API_KEY: 'key-123',
        BULKSMSBD_SENDER_ID: '8809617611111',
        PROVIDER_TIMEOUT_MS: '300',
        DELIVERY_BACKOFF_MS: '50',
        OTP_RESEND_COOLDOWN_SECONDS: '0',
      },
      { senders: 'configured' },
    );
  });
  afterAll(async () => {
    await t.close();
    await bulksms.stop();
  });
  beforeEach(() => bulksms.reset());

  it('makes exactly the documented request, and the delivered code verifies', async () => {
    const phone = build.phone();
    const sent = await metric(t, 'bulksmsbd', 'sent');
    await t.http.post(REQUEST).send({ identifier: phone.replace('+880', '0'), purpose: 'REGISTER' }).expect(200);
    const [request] = await bulksms.waitForRequests(1);
    expect(request).toMatchObject({ method: 'POST', path: '/api/smsapi', query: {} });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.form).toEqual({
      api_key: 'key-123',
      type: 'text',
      number: phone.slice(1),
      senderid: '8809617611111',
      message: expect.stringMatching(/^Your otpgate OTP is: \d{6}\. Valid for 2 minutes\.$/),
    });
    const otp = /(\d{6})/.exec(request.form.message)![1];
    await t.http.post(VERIFY).send({ identifier: phone, otp, purpose: 'REGISTER' }).expect(200);
    await until(async () => ((await metric(t, 'bulksmsbd', 'sent')) > sent ? true : undefined));
  });

  it('does not retry 1007 "Balance Insufficient", and counts the failure', async () => {
    bulksms.answer({ status: 200, json: { response_code: 1007, error_message: 'Balance Insufficient' } });
    const failed = await metric(t, 'bulksmsbd', 'failed');
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    await bulksms.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(bulksms.requests).toHaveLength(1);
    expect(await metric(t, 'bulksmsbd', 'failed')).toBe(failed + 1);
  });

  it('retries a 500 and then delivers', async () => {
    bulksms.answer({ status: 500, json: { error: 'oops' } }, accepted);
    const retried = await metric(t, 'bulksmsbd', 'retried');
    const sent = await metric(t, 'bulksmsbd', 'sent');
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    await bulksms.waitForRequests(2);
    await until(async () => ((await metric(t, 'bulksmsbd', 'sent')) === sent + 1 ? true : undefined));
    expect(await metric(t, 'bulksmsbd', 'retried')).toBe(retried + 1);
    expect(bulksms.requests[0].form.message).toBe(bulksms.requests[1].form.message);
  });

  it('retries a provider that does not answer in time, and then delivers', async () => {
    bulksms.answer('hang', accepted);
    const sent = await metric(t, 'bulksmsbd', 'sent');
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    await bulksms.waitForRequests(2);
    await until(async () => ((await metric(t, 'bulksmsbd', 'sent')) === sent + 1 ? true : undefined));
  });

  it('answers the request promptly even when the provider takes 2 s', async () => {
    bulksms.answer({ ...accepted, delayMs: 2000 });
    const started = performance.now();
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    expect(performance.now() - started).toBeLessThan(500);
    await bulksms.waitForRequests(1);
  });
});

describe('a provider down for longer than the code lives', () => {
  const bulksms = new ProviderStandIn({ status: 503, json: { error: 'down' } });
  let t: TestApp;

  beforeAll(async () => {
    await bulksms.start();
    t = await createTestApp(
      {
        SMS_PROVIDER: 'bulksmsbd',
        BULKSMSBD_BASE_URL: `http://127.0.0.1:${bulksms.port}/api/smsapi`,
        BULKSMSBD_API_KEY: 'key-123',
        BULKSMSBD_SENDER_ID: 'otpgate',
        OTP_TTL_SECONDS: '2',
        DELIVERY_MAX_ATTEMPTS: '20',
        DELIVERY_BACKOFF_MS: '200',
      },
      { senders: 'configured' },
    );
  });
  afterAll(async () => {
    await t.close();
    await bulksms.stop();
  });

  it('gives up before the code expires, logs and counts it', async () => {
    const failed = await metric(t, 'bulksmsbd', 'failed');
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    await until(async () => ((await metric(t, 'bulksmsbd', 'failed')) === failed + 1 ? true : undefined), 4000);
    // 200, 400 and 800 ms of backoff fit in the 2 s life; the next 1.6 s would not
    expect(bulksms.requests.length).toBeGreaterThanOrEqual(3);
    expect(bulksms.requests.length).toBeLessThanOrEqual(4);
    expect(await metric(t, 'bulksmsbd', 'retried')).toBe(bulksms.requests.length - 1);
    const count = bulksms.requests.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(bulksms.requests).toHaveLength(count);
  });
});

describe('SMS through Twilio', () => {
  const twilio = new ProviderStandIn({ status: 201, json: { sid: 'SM123', status: 'queued' } });
  let t: TestApp;

  beforeAll(async () => {
    await twilio.start();
    t = await createTestApp(
      {
        SMS_PROVIDER: 'twilio',
        TWILIO_BASE_URL: `http://127.0.0.1:${twilio.port}`,
        TWILIO_ACCOUNT_SID: 'AC0123456789abcdef',
        TWILIO_AUTH_TOKEN: 'secret-token',
        TWILIO_FROM: '+15005550006',
        DELIVERY_BACKOFF_MS: '50',
        METRICS_TOKEN: 'metrics-secret',
      },
      { senders: 'configured' },
    );
  });
  afterAll(async () => {
    await t.close();
    await twilio.stop();
  });
  beforeEach(() => twilio.reset());

  it('posts to the Messages API with basic auth', async () => {
    const phone = build.phone();
    await t.http.post(REQUEST).send({ identifier: phone, purpose: 'REGISTER' }).expect(200);
    const [request] = await twilio.waitForRequests(1);
    expect(request).toMatchObject({ method: 'POST', path: '/2010-04-01/Accounts/AC0123456789abcdef/Messages.json' });
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('AC0123456789abcdef:secret-token').toString('base64')}`);
    expect(request.form).toEqual({ To: phone, From: '+15005550006', Body: expect.stringMatching(/^Your otpgate OTP is: \d{6}\./) });
  });

  it('does not retry a 400 (e.g. 21211 invalid number)', async () => {
    twilio.answer({ status: 400, json: { code: 21211, message: 'Invalid To Phone Number' } });
    await t.http.post(REQUEST).send({ identifier: build.phone(), purpose: 'REGISTER' }).expect(200);
    await twilio.waitForRequests(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(twilio.requests).toHaveLength(1);
  });

  it('guards /metrics with METRICS_TOKEN', async () => {
    await t.http.get('/metrics').expect(401);
    const res = await t.http.get('/metrics').set('Authorization', 'Bearer metrics-secret').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/otpgate_deliveries_total\{provider="twilio",outcome="sent"\} \d+/);
  });
});
