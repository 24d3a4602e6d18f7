/** What a code is for. Part of its Redis key: `otp:<PURPOSE>:<identifier>`. */
export enum OtpPurpose {
  REGISTER = 'REGISTER',
  LOGIN = 'LOGIN',
}

export const OTP_PURPOSES = Object.values(OtpPurpose);
