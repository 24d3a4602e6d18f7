export type TokenType = 'access' | 'refresh';

/** The `typ` header of each kind (RFC 9068 names access tokens `at+jwt`), so neither passes for the other. */
export const TOKEN_HEADER_TYPE: Record<TokenType, string> = { access: 'at+jwt', refresh: 'refresh+jwt' };

export interface TokenClaims {
  /** Absent only on HS256 tokens issued before tokens carried an issuer. */
  iss?: string;
  aud?: string;
  sub: string;
  jti: string;
  typ: TokenType;
  /** The session (refresh-token family) the token belongs to; `operator` for the command line's tokens. */
  fam: string;
  iat: number;
  /** Issue time in ms: revocation cut-offs are compared at this precision. */
  iatms: number;
  exp: number;
  /** Access tokens: the user's roles when it was issued (RFC 9068 section 2.2.3.1). */
  roles?: string[];
}
