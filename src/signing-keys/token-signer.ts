import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AuthConfig } from '../config/auth.config.js';
import type { Configuration } from '../config/configuration.js';
import { encodeSegment, signJws } from './jws.js';
import { KeyRing } from './key-ring.js';
import { TOKEN_HEADER_TYPE, type TokenClaims, type TokenType } from './token-claims.js';

export type UnsignedClaims = Omit<TokenClaims, 'iss' | 'aud' | 'typ'>;

/**
 * Signs tokens with the key ring's active key: header `{alg, kid, typ}`, then `iss`, `aud` (when
 * configured) and the given claims. Deterministic up to the signature and kid: the same claims always give
 * the same payload, so a refresh token's identity is the hash of its payload, which a re-signed copy shares.
 */
@Injectable()
export class TokenSigner {
  private readonly config: AuthConfig;
  private readonly headers = new Map<string, string>();

  constructor(
    private readonly ring: KeyRing,
    config: ConfigService<Configuration, true>,
  ) {
    this.config = config.getOrThrow('auth', { infer: true });
  }

  async sign(kind: TokenType, claims: UnsignedClaims): Promise<string> {
    return this.draft(kind, claims).sign();
  }

  /**
   * The header and payload of a token, to sign later: what identifies a refresh token (its payload) is known
   * before the signature is made, so the session store can be asked while the signature is computed.
   */
  draft(kind: TokenType, claims: UnsignedClaims): { signingInput: string; sign(): Promise<string> } {
    const key = this.ring.signingKey();
    const header = this.header(key.algorithm, key.kid, kind);
    const { sub, iat, exp, jti, ...rest } = claims;
    const payload = encodeSegment({ iss: this.config.issuer, aud: this.config.audience, sub, iat, exp, jti, typ: kind, ...rest });
    const signingInput = `${header}.${payload}`;
    return { signingInput, sign: async () => `${signingInput}.${await signJws(key.algorithm, key.key, signingInput)}` };
  }

  private header(alg: string, kid: string, kind: TokenType): string {
    const id = `${kid}:${kind}`;
    let header = this.headers.get(id);
    if (!header) {
      header = encodeSegment({ alg, kid, typ: TOKEN_HEADER_TYPE[kind] });
      this.headers.set(id, header);
    }
    return header;
  }
}
