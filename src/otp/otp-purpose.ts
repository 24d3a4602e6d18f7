/** What a code is for. Part of its Redis key: `otp:<PURPOSE>:<identifier>`. */
export enum OtpPurpose {
  REGISTER = 'REGISTER',
  LOGIN = 'LOGIN',
  /** Proving a new email or phone before it replaces the account's current one. */
  CHANGE_IDENTIFIER = 'CHANGE_IDENTIFIER',
  /**
   * Flow 2 (phone sign-in): one code that signs in or creates the account. Its own purpose, not LOGIN or
   * REGISTER picked by whether the account exists, so that no counter or pending code of flow 1 can be
   * played against it to learn that.
   */
  PHONE_SIGN_IN = 'PHONE_SIGN_IN',
}

/**
 * Purposes whose codes also count against (and obey the locks of) other purposes' budgets for the same
 * identifier: a flow 2 code signs in or registers, an identifier-change code attaches the identifier to an
 * account, so neither may buy guesses or messages beyond what LOGIN and REGISTER allow.
 */
export const SHARES_LIMITS_WITH: Partial<Record<OtpPurpose, readonly OtpPurpose[]>> = {
  [OtpPurpose.PHONE_SIGN_IN]: [OtpPurpose.LOGIN, OtpPurpose.REGISTER],
  [OtpPurpose.CHANGE_IDENTIFIER]: [OtpPurpose.LOGIN, OtpPurpose.REGISTER],
};

/** The purposes a client may name in flow 1 (`POST /api/auth/otp/request`). */
export const OTP_PURPOSES = [OtpPurpose.REGISTER, OtpPurpose.LOGIN] as const;
export type SignInPurpose = (typeof OTP_PURPOSES)[number];
