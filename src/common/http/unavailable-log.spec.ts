import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { UnavailableLog } from './unavailable-log.js';

describe('UnavailableLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function logged() {
    const logger = new Logger('Errors');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    return { log: new UnavailableLog(logger), lines: () => warn.mock.calls.map((call) => String(call[0])) };
  }

  it('writes one line per second for an outage, with the count and the first request', () => {
    const { log, lines } = logged();
    const what = 'PostgreSQL is unavailable; try again shortly';
    for (let i = 0; i < 1200; i++) log.record(what, `req-${i}`, 'Error: Query read timeout');
    expect(lines()).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(lines()).toEqual([`${what}: 1200 requests answered 503 in the last second (first: request req-0: Error: Query read timeout)`]);
    log.record(what, 'req-1200', 'Error: Query read timeout');
    jest.advanceTimersByTime(1000);
    expect(lines()[1]).toBe(`${what}: 1 request answered 503 in the last second (first: request req-1200: Error: Query read timeout)`);
  });

  it('counts each dependency on its own line', () => {
    const { log, lines } = logged();
    log.record('PostgreSQL is unavailable; try again shortly', 'a', 'x');
    log.record('Redis is unavailable; try again shortly', 'b', 'y');
    log.record('Redis is unavailable; try again shortly', 'c', 'y');
    jest.advanceTimersByTime(1000);
    expect(lines()).toHaveLength(2);
    expect(lines()).toContainEqual(expect.stringMatching(/^Redis is unavailable.*: 2 requests answered 503/));
  });
});
