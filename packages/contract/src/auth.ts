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
  .strictObject({
    email: ZEmail.describe('Sign-in address'),
    password: ZPassword.describe('12–128 characters, not the email address'),
    fullName: ZFullName.optional().describe('Name shown to others'),
  })
  .superRefine(notTheEmail)
  .meta({ id: 'RegisterInput' });
export type TRegisterInput = z.infer<typeof ZRegisterInput>;

// Login takes any string of sane length: rules that changed since sign-up must not lock anyone out.
export const ZLoginInput = z
  .strictObject({
    email: z.string().trim().toLowerCase().min(1).max(254).meta({ format: 'email', description: 'Sign-in address' }),
    password: z.string().min(1).max(128).describe('The password'),
  })
  .meta({ id: 'LoginInput' });
export type TLoginInput = z.infer<typeof ZLoginInput>;

export const ZTokens = z
  .object({
    accessToken: z.string().describe('Send as `Authorization: Bearer …`'),
    refreshToken: z.string().describe('Trade it at `POST /auth/refresh` for a new pair; works once'),
    expiresIn: z.number().int().describe('Seconds the access token lives'),
  })
  .meta({ id: 'Tokens' });
export type TTokens = z.infer<typeof ZTokens>;

export const ZRegisterResult = ZTokens.extend({ user: ZUser }).meta({ id: 'RegisterResult' });
export type TRegisterResult = z.infer<typeof ZRegisterResult>;
export const ZLoginResult = ZTokens.extend({ user: ZUser, tokenType: z.literal('Bearer').describe('How to send the access token') }).meta({
  id: 'LoginResult',
});
export type TLoginResult = z.infer<typeof ZLoginResult>;

/** `auth.login`: a session, or, for an account with a second factor, the challenge its second step answers. */
export const ZLoginOutcome = z.union([ZLoginResult, ZMfaChallenge]).meta({ id: 'LoginOutcome' });
export type TLoginOutcome = z.infer<typeof ZLoginOutcome>;

export const ZRefreshInput = z
  .strictObject({ refreshToken: z.string().min(1).max(512).describe('The newest refresh token of the session') })
  .meta({ id: 'RefreshInput' });
export type TRefreshInput = z.infer<typeof ZRefreshInput>;

export const ZChangePasswordInput = z
  .strictObject({
    currentPassword: z.string().min(1).max(128).describe('The password now'),
    newPassword: ZPassword.describe('12–128 characters, not the current password nor the email address'),
  })
  .meta({ id: 'ChangePasswordInput' });
export type TChangePasswordInput = z.infer<typeof ZChangePasswordInput>;
