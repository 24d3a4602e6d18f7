/** The stable, machine-readable error codes of the API contract, with their HTTP status. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_IDENTIFIER: 400,
  OTP_INVALID: 400,
  OTP_EXPIRED: 400,
  OTP_ATTEMPTS_EXCEEDED: 429,
  VERIFICATION_TOKEN_INVALID: 400,
  IDENTIFIER_TAKEN: 409,
  USERNAME_TAKEN: 409,
  /** An admin tried to remove their own admin role or deactivate themselves. */
  SELF_LOCKOUT: 409,
  ACCOUNT_NOT_FOUND: 404,
  /** Sign in with Google: the state is unknown, used or expired. */
  OAUTH_STATE_INVALID: 400,
  /** Sign in with Google: the person declined. */
  OAUTH_DENIED: 400,
  /** Sign in with Google: Google answered with an error or could not be reached. */
  OAUTH_FAILED: 502,
  /** The Google account cannot be joined to this account (unverified email of an existing account, linked elsewhere). */
  ACCOUNT_LINK_CONFLICT: 409,
  /** Unlinking would leave the account with no way to sign in. */
  LAST_SIGN_IN_METHOD: 409,
  /** The one-time Google exchange code is unknown, used or expired. */
  EXCHANGE_CODE_INVALID: 400,
  ACCOUNT_DISABLED: 403,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  /** The request headers are larger than Node's HTTP parser accepts (16 KB by default). */
  HEADERS_TOO_LARGE: 431,
  /** The request (headers and body) did not arrive within REQUEST_TIMEOUT_MS; the connection is closed. */
  REQUEST_TIMEOUT: 408,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
