import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomBytes } from 'node:crypto';
import type { Profile } from 'passport-google-oauth20';
import { SessionsService } from '../auth/sessions.service.js';
import { DomainError, ValidationFailedError } from '../common/errors/domain-error.js';
import type { ErrorCode } from '../common/errors/error-code.js';
import type { Configuration } from '../config/configuration.js';
import type { GoogleConfig } from '../config/google.config.js';
import { OneTimeStore } from '../redis/one-time.store.js';
import { toUserResponse } from '../users/dto/user-response.dto.js';
import type { User } from '../users/entities/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { GoogleLinkedDto, GoogleSignedInDto } from './dto/google.dto.js';
import { GoogleOAuthClient, type FlowState } from './google-oauth.client.js';

export class GoogleDisabledError extends DomainError {
  constructor() {
    super('NOT_FOUND', 'Sign in with Google is not configured on this server (GOOGLE_CLIENT_ID, GOOGLE_CLIENT_SECRET, GOOGLE_CALLBACK_URL)');
  }
}

/** How the callback answers: a redirect to the front-end, or (no front-end configured) JSON. */
export type CallbackAnswer = { redirect: string } | { json: GoogleSignedInDto | GoogleLinkedDto };

/**
 * Sign in with Google. Finds the user by Google subject; else links by an email Google says is verified;
 * else creates one. The browser comes back to the front-end with a one-time code, never a token in a URL.
 */
@Injectable()
export class GoogleAuthService {
  private readonly logger = new Logger('GoogleAuth');
  private readonly config: GoogleConfig;
  private readonly client?: GoogleOAuthClient;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly codes: OneTimeStore,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('google', { infer: true });
    if (this.config.enabled) this.client = new GoogleOAuthClient(this.config, codes);
  }

  get enabled(): boolean {
    return this.client !== undefined;
  }

  /** The Google authorization URL for a sign-in that ends on `redirectTo` (checked against the allow-list). */
  start(redirectTo?: string): Promise<string> {
    return this.oauth().authorizationUrl({ redirectTo: this.frontend(redirectTo) });
  }

  /** The Google authorization URL that links the Google account to `userId` when it comes back. */
  startLink(userId: string): Promise<string> {
    return this.oauth().authorizationUrl({ linkUserId: userId, redirectTo: this.config.frontendUrls[0] });
  }

  async callback(query: Record<string, unknown>): Promise<CallbackAnswer> {
    const oauth = this.oauth();
    if (query.error !== undefined) {
      const state = await oauth.takeState(query.state);
      const denied = query.error === 'access_denied';
      return this.failure(state, denied ? 'OAUTH_DENIED' : 'OAUTH_FAILED', denied ? 'Sign in with Google was declined' : 'Google refused the sign-in');
    }
    const outcome = await oauth.callback(query);
    switch (outcome.kind) {
      case 'bad-state':
        return this.failure(undefined, 'OAUTH_STATE_INVALID', 'The sign-in link is unknown, used or expired; start again');
      case 'denied':
        return this.failure(undefined, 'OAUTH_DENIED', 'Sign in with Google was declined');
      case 'error':
        this.logger.warn(`Google sign-in failed: ${outcome.error.message}`);
        return this.failure(undefined, 'OAUTH_FAILED', 'Google could not complete the sign-in; try again');
      case 'redirect':
        return this.failure(undefined, 'OAUTH_FAILED', 'Google did not send a code back');
      case 'profile':
        return this.complete(outcome.profile, outcome.state);
    }
  }

  async exchange(code: string): Promise<GoogleSignedInDto> {
    this.oauth();
    const raw = await this.codes.take(exchangeKey(code));
    if (!raw) throw new DomainError('EXCHANGE_CODE_INVALID', 'The exchange code is unknown, used or expired');
    const { userId, created } = JSON.parse(raw) as { userId: string; created: boolean };
    return this.signedIn(userId, created);
  }

  async unlink(userId: string): Promise<GoogleLinkedDto> {
    this.oauth();
    const user = await this.users.findById(userId);
    if (!user?.googleSub) throw new DomainError('ACCOUNT_NOT_FOUND', 'No Google account is linked');
    if (!user.email && !user.phone) {
      throw new DomainError('LAST_SIGN_IN_METHOD', 'Google is the only way to sign in to this account: add an email or phone first');
    }
    return { success: true, user: toUserResponse(await this.users.setGoogleSub(userId, null)) };
  }

  private async complete(profile: Profile, state: FlowState): Promise<CallbackAnswer> {
    try {
      if (state.linkUserId) {
        const owner = await this.users.findByGoogleSub(profile.id);
        if (owner && owner.id !== state.linkUserId) {
          throw new DomainError('ACCOUNT_LINK_CONFLICT', 'This Google account is linked to another account');
        }
        const user = await this.users.setGoogleSub(state.linkUserId, profile.id);
        const linked: GoogleLinkedDto = { success: true, user: toUserResponse(user) };
        return state.redirectTo ? { redirect: withQuery(state.redirectTo, { google: 'linked' }) } : { json: linked };
      }
      const { user, created } = await this.findOrCreate(profile);
      if (!user.isActive) throw new DomainError('ACCOUNT_DISABLED', 'This account is deactivated');
      if (!created) await this.users.recordLogin(user, false);
      if (!state.redirectTo) return { json: await this.signedIn(user.id, created) };
      const code = randomBytes(32).toString('base64url');
      await this.codes.put(exchangeKey(code), JSON.stringify({ userId: user.id, created }), this.config.exchangeCodeTtlSeconds * 1000);
      return { redirect: withQuery(state.redirectTo, { code }) };
    } catch (error) {
      if (error instanceof DomainError && error.code !== 'SERVICE_UNAVAILABLE') return this.failure(state, error.code, error.message);
      throw error;
    }
  }

  private async findOrCreate(profile: Profile): Promise<{ user: User; created: boolean }> {
    const bySub = await this.users.findByGoogleSub(profile.id);
    if (bySub) return { user: bySub, created: false };
    const email = profile.emails?.[0];
    const address = email?.value?.trim().toLowerCase();
    const verified = email?.verified === true || (email?.verified as unknown) === 'true';
    const byEmail = address ? await this.users.findByIdentifier(address) : null;
    if (byEmail) {
      if (!verified) {
        throw new DomainError('ACCOUNT_LINK_CONFLICT', 'An account uses this email, and Google has not verified it: sign in with a code instead');
      }
      return { user: await this.users.setGoogleSub(byEmail.id, profile.id), created: false };
    }
    const user = await this.users.createFromGoogle({
      sub: profile.id,
      email: verified && address ? address : null,
      firstName: profile.name?.givenName ?? null,
      lastName: profile.name?.familyName ?? null,
      picture: profile.photos?.[0]?.value ?? null,
    });
    return { user, created: true };
  }

  private async signedIn(userId: string, created: boolean): Promise<GoogleSignedInDto> {
    const user = await this.users.findById(userId);
    if (!user?.isActive) throw new DomainError('ACCOUNT_DISABLED', 'This account is deactivated');
    return { success: true, created, user: toUserResponse(user), tokens: await this.sessions.start(user) };
  }

  /** Ends the flow on the front-end with `?error=<code>` when there is one, else throws the error body. */
  private failure(state: FlowState | undefined, code: ErrorCode, message: string): CallbackAnswer {
    const frontend = state?.redirectTo ?? this.config.frontendUrls[0];
    if (frontend) return { redirect: withQuery(frontend, { error: code }) };
    throw new DomainError(code, message);
  }

  private frontend(redirectTo?: string): string | undefined {
    if (redirectTo === undefined) return this.config.frontendUrls[0];
    if (!this.config.frontendUrls.includes(redirectTo)) {
      throw new ValidationFailedError('redirect_to is not one of the allowed front-end URLs', [
        { field: 'redirect_to', message: 'redirect_to must be one of GOOGLE_FRONTEND_URLS' },
      ]);
    }
    return redirectTo;
  }

  private oauth(): GoogleOAuthClient {
    if (!this.client) throw new GoogleDisabledError();
    return this.client;
  }
}

function exchangeKey(code: string): string {
  return `google-exchange:${createHash('sha256').update(code).digest('base64url')}`;
}

function withQuery(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
