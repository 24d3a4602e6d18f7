/** What a code is for. Part of its Redis key: `otp:<PURPOSE>:<identifier>`. */
export enum OtpPurpose {
  REGISTER = 'REGISTER',
  LOGIN = 'LOGIN',
  /** Proving a new email or phone before it replaces the account's current one. */
  CHANGE_IDENTIFIER = 'CHANGE_IDENTIFIER',
}

/** The purposes a client may name in flow 1 (`POST /api/auth/otp/request`). */
export const OTP_PURPOSES = [OtpPurpose.REGISTER, OtpPurpose.LOGIN] as const;
export type SignInPurpose = (typeof OTP_PURPOSES)[number];
