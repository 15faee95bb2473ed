import { z } from 'zod';
import { ZEmail, ZFullName, ZPassword } from './fields.ts';
import { ZMfaChallenge } from './mfa.ts';
import { ZUser } from './users.ts';

const notTheEmail = <T extends { email: string; password: string }>(value: T, ctx: z.RefinementCtx) => {
  if (value.password.trim().toLowerCase() === value.email) {
    ctx.addIssue({ code: 'custom', path: ['password'], message: 'must not be the email address' });
  }
};

export const ZRegisterInput = z
  .strictObject({ email: ZEmail, password: ZPassword, fullName: ZFullName.optional() })
  .superRefine(notTheEmail)
  .meta({ id: 'RegisterInput' });
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

// Login takes any string of sane length: rules that changed since sign-up must not lock anyone out.
export const ZLoginInput = z
  .strictObject({ email: z.string().trim().toLowerCase().min(1).max(254), password: z.string().min(1).max(128) })
  .meta({ id: 'LoginInput' });
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZTokens = z.object({ accessToken: z.string(), refreshToken: z.string(), expiresIn: z.number().int() }).meta({ id: 'Tokens' });
export type TTokens = z.infer<typeof ZTokens>;

export const ZRegisterResult = ZTokens.extend({ user: ZUser }).meta({ id: 'RegisterResult' });
export type TRegisterResult = z.infer<typeof ZRegisterResult>;
/** A signed-in session: what `auth.login` answers without MFA, and `auth.mfa.verify` after the second step. */
export const ZLoginResult = ZTokens.extend({ user: ZUser, tokenType: z.literal('Bearer') }).meta({ id: 'LoginResult' });
export type TLoginResult = z.infer<typeof ZLoginResult>;

/** `auth.login`: a session, or, for an account with a second factor, the challenge its second step answers. */
export const ZLoginOutcome = z.union([ZLoginResult, ZMfaChallenge]).meta({ id: 'LoginOutcome' });
export type TLoginOutcome = z.infer<typeof ZLoginOutcome>;

export const ZRefreshInput = z.strictObject({ refreshToken: z.string().min(1).max(512) }).meta({ id: 'RefreshInput' });
export type TRefreshInput = z.infer<typeof ZRefreshInput>;

export const ZChangePasswordInput = z
  .strictObject({ currentPassword: z.string().min(1).max(128), newPassword: ZPassword })
  .meta({ id: 'ChangePasswordInput' });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;
