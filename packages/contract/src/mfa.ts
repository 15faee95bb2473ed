import { z } from 'zod';
import { ZTimestamp } from './fields.ts';
import { ZPasskeyProof } from './passkeys.ts';

/**
 * How a session proved who is calling (sessions' `methods`). A second factor is any but `password` and
 * `email_link`; `passkey` is both a sign-in method and a second step.
 */
export const authMethods = ['password', 'totp', 'recovery_code', 'passkey', 'email_link'] as const;
export const ZAuthMethod = z.enum(authMethods);
export type TAuthMethod = z.infer<typeof ZAuthMethod>;

/** The ways the second sign-in step (`auth.mfa.verify`) can be answered. */
export const secondStepMethods = ['totp', 'recovery_code', 'passkey'] as const;
export const ZSecondStepMethod = z.enum(secondStepMethods);

/** The `reason` of MFA errors (REST top-level `reason`, tRPC `error.data.reason`). */
export const MFA_REASONS = {
  /** A "recent" procedure, and the session proved no factor within REAUTH_MAX_AGE: call auth.reauthenticate. */
  reauthRequired: 'REAUTH_REQUIRED',
  /** A role of the caller requires MFA and they have no factor: only enrolment is allowed. */
  mfaEnrolmentRequired: 'MFA_ENROLMENT_REQUIRED',
  /** The mfaToken is unknown, used, expired or voided by too many wrong codes: sign in again. */
  mfaTokenInvalid: 'MFA_TOKEN_INVALID',
  /** The code (TOTP or recovery code) is wrong, or was already used. */
  invalidCode: 'INVALID_CODE',
} as const;

/** A TOTP code: 6 digits (spaces a user types are dropped). */
export const ZTotpCode = z
  .string()
  .transform((code) => code.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, { message: 'must be the 6-digit code from your authenticator app' }));

/** A recovery code as the user types it (case, spaces and dashes do not matter). */
export const ZRecoveryCode = z.string().trim().min(1, { message: 'is required' }).max(64, { message: 'must be at most 64 characters' });

/** A TOTP code or a recovery code, in one field (`me.mfa.totp.disable`). */
export const ZCodeOrRecoveryCode = z
  .string()
  .trim()
  .min(1, { message: 'is required' })
  .max(64, { message: 'must be at most 64 characters' });

/** The answer of `auth.login` when the account has a second factor: no session exists yet. */
export const ZMfaChallenge = z
  .object({
    mfaRequired: z.literal(true).describe('The account has a second factor: no session exists yet'),
    mfaToken: z.string().describe('Opaque, single-use, bound to the account: send it to auth.mfa.verify within `expiresIn` seconds'),
    methods: z.array(ZSecondStepMethod).describe('The ways the second step can be answered'),
    expiresIn: z.number().int().describe('Seconds the mfaToken stays valid'),
  })
  .meta({ id: 'MfaChallenge' });
export type TMfaChallenge = z.infer<typeof ZMfaChallenge>;

const ZMfaToken = z.string().trim().min(1, { message: 'is required' }).max(256, { message: 'must be at most 256 characters' });

/** Exactly one of `code` (TOTP), `recoveryCode` and `passkey` with the mfaToken. */
export const ZMfaVerifyInput = z
  .strictObject({
    mfaToken: ZMfaToken.describe('The mfaToken auth.login answered'),
    code: ZTotpCode.describe('The 6-digit code from the authenticator app').optional(),
    recoveryCode: ZRecoveryCode.describe('One of the recovery codes').optional(),
    passkey: ZPasskeyProof.describe('A passkey: the attempt of auth.passkey.options with { mfaToken } and its response').optional(),
  })
  .superRefine(exactlyOneProof(['code', 'recoveryCode', 'passkey']))
  .meta({ id: 'MfaVerifyInput' });
export type TMfaVerifyInput = z.infer<typeof ZMfaVerifyInput>;

/** Exactly one of `password`, `code` and `recoveryCode`. */
export const ZReauthenticateInput = z
  .strictObject({
    password: z.string().min(1, { message: 'is required' }).max(128).describe('Your password (only while MFA is off)').optional(),
    code: ZTotpCode.describe('The 6-digit code from the authenticator app').optional(),
    recoveryCode: ZRecoveryCode.describe('One of the recovery codes').optional(),
  })
  .superRefine(exactlyOneProof(['password', 'code', 'recoveryCode']))
  .meta({ id: 'ReauthenticateInput' });
export type TReauthenticateInput = z.infer<typeof ZReauthenticateInput>;

function exactlyOneProof<K extends string>(keys: readonly K[]) {
  return (value: Partial<Record<K, unknown>>, ctx: z.RefinementCtx) => {
    const given = keys.filter((key) => value[key] !== undefined);
    if (given.length === 1) return;
    const path = given.length === 0 ? [keys[0] as string] : [given[1] as string];
    ctx.addIssue({ code: 'custom', path, message: `give exactly one of ${keys.join(', ')}` });
  };
}

export const ZMfaStatus = z
  .object({
    totp: z
      .object({
        enabled: z.boolean().describe('An authenticator app is set up and confirmed'),
        confirmedAt: ZTimestamp.nullable().describe('When it was confirmed; null while off'),
      })
      .describe('The authenticator app (TOTP)'),
    recoveryCodesLeft: z.number().int().describe('Unused recovery codes'),
    passkeys: z.number().int().describe('Registered passkeys'),
    required: z.boolean().describe('A role of the user requires a second factor'),
  })
  .meta({ id: 'MfaStatus' });
export type TMfaStatus = z.infer<typeof ZMfaStatus>;

export const ZTotpSetup = z
  .object({
    secret: z.string().describe('The TOTP secret, base32, to type into an authenticator app'),
    otpauthUrl: z.string().describe('The otpauth:// URL the QR code holds'),
    qrCodeSvg: z.string().describe('The QR code as an SVG document'),
  })
  .meta({ id: 'TotpSetup' });
export type TTotpSetup = z.infer<typeof ZTotpSetup>;

export const ZTotpConfirmInput = z
  .strictObject({ code: ZTotpCode.describe('The 6-digit code the app shows now') })
  .meta({ id: 'TotpConfirmInput' });
export const ZTotpDisableInput = z
  .strictObject({ code: ZCodeOrRecoveryCode.describe('A current code from the app, or a recovery code') })
  .meta({ id: 'TotpDisableInput' });

export const ZRecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()).describe('Ten one-time codes, shown only now') })
  .meta({ id: 'RecoveryCodes' });
export type TRecoveryCodes = z.infer<typeof ZRecoveryCodes>;
