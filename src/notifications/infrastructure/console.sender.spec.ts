import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { ConsoleEmailSender, ConsoleSmsSender } from './console.sender.js';
import { InMemoryOutbox } from './in-memory-outbox.js';

describe('console senders', () => {
  let lines: string[];

  beforeEach(() => {
    lines = [];
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => void lines.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('log the whole message in development, with the recipient masked, and keep it for the inbox', async () => {
    const outbox = new InMemoryOutbox();
    await new ConsoleSmsSender(outbox, true).send({ to: '+8801719159900', text: 'Your otpgate OTP is: 482913.' });
    expect(lines).toEqual(['sms to +88017*****900: Your otpgate OTP is: 482913.']);
    expect(outbox.recent(1)[0]).toMatchObject({ channel: 'sms', to: '+8801719159900', text: 'Your otpgate OTP is: 482913.' });
  });

  it('mask the code in production', async () => {
    await new ConsoleEmailSender(new InMemoryOutbox(), false).send({ to: 'alice@example.com', subject: 's', text: 'Your code is 482913.', html: '' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('482913');
    expect(lines[0]).toContain('******');
  });
});
