import { DeliveryFailure } from '../senders.js';

/**
 * fetch with a deadline, where "no answer", a network error, 429 and 5xx are retryable failures and any
 * other non-2xx is permanent. Returns the response of a 2xx.
 */
export async function callProvider(provider: string, url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = (error as { name?: string }).name === 'TimeoutError';
    throw new DeliveryFailure(`${provider}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'unreachable'}`, true);
  }
  if (response.ok) return response;
  const body = (await response.text().catch(() => '')).slice(0, 200);
  throw new DeliveryFailure(
    `${provider}: HTTP ${response.status} ${body}`.trim(),
    response.status === 429 || response.status >= 500,
  );
}
