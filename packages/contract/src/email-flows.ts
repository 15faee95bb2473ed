import { z } from 'zod';
import { ZEmail, ZPassword } from './fields.ts';

/** A mailed link's secret, as the link's `token` query parameter carries it. */
export const ZLinkToken = z.string().trim().min(1, { message: 'is required' }).max(256, { message: 'must be at most 256 characters' });

/** The answer of a request that must not tell whether the address belongs to an account. */
export const ZAccepted = z.object({ message: z.string().describe('The same words whatever the address') }).meta({ id: 'Accepted' });
export type TAccepted = z.infer<typeof ZAccepted>;

export const ZEmailLinkRequestInput = z
  .strictObject({ email: ZEmail.describe('The address to mail the link to') })
  .meta({ id: 'EmailLinkRequestInput' });
export type TEmailLinkRequestInput = z.infer<typeof ZEmailLinkRequestInput>;

export const ZLinkTokenInput = z
  .strictObject({ token: ZLinkToken.describe('The `token` query parameter of the mailed link') })
  .meta({ id: 'LinkTokenInput' });
export type TLinkTokenInput = z.infer<typeof ZLinkTokenInput>;

export const ZResetPasswordInput = z
  .strictObject({
    token: ZLinkToken.describe('The `token` query parameter of the mailed link'),
    newPassword: ZPassword.describe('12–128 characters, not the email address'),
  })
  .meta({ id: 'ResetPasswordInput' });
export type TResetPasswordInput = z.infer<typeof ZResetPasswordInput>;

export const ZChangeEmailInput = z
  .strictObject({
    newEmail: ZEmail.describe('The address to move to'),
    currentPassword: z.string().min(1).max(128).describe('Your password, to prove it is you'),
  })
  .meta({ id: 'ChangeEmailInput' });
export type TChangeEmailInput = z.infer<typeof ZChangeEmailInput>;

/** The `reason` of errors these flows answer (REST top-level `reason`, tRPC `error.data.reason`). */
export const EMAIL_FLOW_REASONS = { invalidToken: 'INVALID_TOKEN', emailNotVerified: 'EMAIL_NOT_VERIFIED' } as const;
