import { randomBytes } from 'node:crypto';
import { Strategy as GoogleStrategy, type Profile } from 'passport-google-oauth20';
import type { GoogleConfig } from '../config/google.config.js';
import type { OneTimeStore } from '../redis/one-time.store.js';

/** What rides along with the OAuth `state`: where to end, and (when linking) who asked. */
export interface FlowState {
  redirectTo?: string;
  linkUserId?: string;
}

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'profile'; profile: Profile; state: FlowState }
  | { kind: 'denied'; state?: FlowState }
  | { kind: 'bad-state' }
  | { kind: 'error'; error: Error };

interface StoredState extends FlowState {
  verifier: string;
}

/**
 * passport-google-oauth20, run without Express: the strategy's success/fail/redirect/error are turned into
 * one promise (that is all Passport's authenticate() does), so Fastify needs no response shim. `state` is
 * random, single-use and kept in Redis (or in-process) with the PKCE verifier; the API keeps no session.
 */
export class GoogleOAuthClient {
  private readonly strategy: GoogleStrategy;

  constructor(
    private readonly config: GoogleConfig,
    private readonly states: OneTimeStore,
  ) {
    const ttlMs = config.stateTtlSeconds * 1000;
    const store = {
      store: (_req: unknown, verifier: string, state: FlowState, _meta: unknown, done: (err: Error | null, handle?: string) => void) => {
        const handle = randomBytes(24).toString('base64url');
        const value: StoredState = { verifier, ...state };
        states.put(stateKey(handle), JSON.stringify(value), ttlMs).then(() => done(null, handle), done);
      },
      verify: (_req: unknown, handle: unknown, _meta: unknown, done: (err: Error | null, ok?: string | false, state?: unknown) => void) => {
        if (typeof handle !== 'string' || !/^[A-Za-z0-9_-]{32}$/.test(handle)) return done(null, false, { badState: true });
        states.take(stateKey(handle)).then((raw) => {
          if (!raw) return done(null, false, { badState: true });
          const { verifier, ...flow } = JSON.parse(raw) as StoredState;
          done(null, verifier, flow);
        }, done);
      },
    };
    this.strategy = new GoogleStrategy(
      {
        clientID: config.clientId,
        clientSecret: config.clientSecret,
        callbackURL: config.callbackUrl,
        authorizationURL: config.authorizationUrl,
        tokenURL: config.tokenUrl,
        userProfileURL: config.userInfoUrl,
        scope: ['openid', 'email', 'profile'],
        pkce: true,
        state: true,
        store: store as never,
      },
      (_accessToken: string, _refreshToken: string, profile: Profile, done: (err: null, user: Profile) => void) => done(null, profile),
    );
  }

  /** The Google URL to send the browser to. */
  async authorizationUrl(state: FlowState): Promise<string> {
    const outcome = await this.run({ query: {} }, { state });
    if (outcome.kind !== 'redirect') throw outcome.kind === 'error' ? outcome.error : new Error('Google strategy did not redirect');
    return outcome.url;
  }

  /** Takes the state of a callback that carries no code (an error from Google) to learn where to go. */
  async takeState(handle: unknown): Promise<FlowState | undefined> {
    if (typeof handle !== 'string' || !/^[A-Za-z0-9_-]{32}$/.test(handle)) return undefined;
    const raw = await this.states.take(stateKey(handle));
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as StoredState;
    return { redirectTo: stored.redirectTo, linkUserId: stored.linkUserId };
  }

  /** Handles Google's redirect back: state, code exchange, profile. */
  callback(query: Record<string, unknown>): Promise<StrategyOutcome> {
    return this.run({ query }, {});
  }

  private run(req: { query: Record<string, unknown> }, options: Record<string, unknown>): Promise<StrategyOutcome> {
    return new Promise((resolve) => {
      const attempt = Object.create(this.strategy) as GoogleStrategy & Record<string, unknown>;
      attempt.redirect = (url: string) => resolve({ kind: 'redirect', url });
      attempt.success = (profile: Profile, info: { state?: FlowState } = {}) =>
        resolve({ kind: 'profile', profile, state: info.state ?? {} });
      attempt.fail = (challenge: unknown) =>
        resolve((challenge as { badState?: boolean } | undefined)?.badState ? { kind: 'bad-state' } : { kind: 'denied' });
      attempt.error = (error: Error) => resolve({ kind: 'error', error });
      attempt.pass = () => resolve({ kind: 'error', error: new Error('Google strategy passed') });
      attempt.authenticate(req as never, options);
    });
  }
}

function stateKey(handle: string): string {
  return `oauth-state:${handle}`;
}
