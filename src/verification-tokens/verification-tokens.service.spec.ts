import type { ConfigService } from '@nestjs/config';
import type { Configuration } from '../config/configuration.js';
import { InProcessVerificationTokenStore } from './infrastructure/in-process-verification-token.store.js';
import { VerificationTokenInvalidError, VerificationTokensService } from './verification-tokens.service.js';

const config = { getOrThrow: () => 600 } as unknown as ConfigService<Configuration, true>;

describe('VerificationTokensService', () => {
  let store: InProcessVerificationTokenStore;
  let service: VerificationTokensService;

  beforeEach(() => {
    store = new InProcessVerificationTokenStore();
    service = new VerificationTokensService(store, config);
  });
  afterEach(() => store.onModuleDestroy());

  it('issues random tokens and stores only their hash', async () => {
    const saved: string[] = [];
    const original = store.save.bind(store);
    store.save = async (hash, binding, ttl) => (saved.push(hash, binding), original(hash, binding, ttl));
    const a = await service.issue('LOGIN', 'a@example.com');
    const b = await service.issue('LOGIN', 'a@example.com');
    expect(a.token).not.toBe(b.token);
    expect(a.expiresInSeconds).toBe(600);
    expect(saved.join(' ')).not.toContain(a.token.slice(3));
  });

  it('spends a token once', async () => {
    const { token } = await service.issue('REGISTER', 'a@example.com');
    await expect(service.spend(token, 'REGISTER', 'a@example.com', async () => 'done')).resolves.toBe('done');
    await expect(service.spend(token, 'REGISTER', 'a@example.com', async () => 'again')).rejects.toBeInstanceOf(VerificationTokenInvalidError);
  });

  it('refuses another purpose or identifier without spending the token', async () => {
    const { token } = await service.issue('REGISTER', 'a@example.com');
    await expect(service.spend(token, 'LOGIN', 'a@example.com', async () => 1)).rejects.toBeInstanceOf(VerificationTokenInvalidError);
    await expect(service.spend(token, 'REGISTER', 'b@example.com', async () => 1)).rejects.toBeInstanceOf(VerificationTokenInvalidError);
    await expect(service.spend(token, 'REGISTER', 'a@example.com', async () => 1)).resolves.toBe(1);
  });

  it('gives the token back when the work fails', async () => {
    const { token } = await service.issue('REGISTER', 'a@example.com');
    await expect(
      service.spend(token, 'REGISTER', 'a@example.com', async () => {
        throw new Error('database down');
      }),
    ).rejects.toThrow('database down');
    await expect(service.spend(token, 'REGISTER', 'a@example.com', async () => 'retried')).resolves.toBe('retried');
  });
});
