import { z } from 'zod';
import { ZTimestamp } from './fields.ts';

/**
 * How a session proved who is calling (sessions' `methods`). A second factor is any but `password` and
 * `email_link`; passkeys (issue 20) add `passkey` as a sign-in method and a second step.
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
    mfaRequired: z.literal(true),
    /** Opaque, single-use, bound to the account; answers `auth.mfa.verify` within `expiresIn` seconds. */
    mfaToken: z.string(),
    methods: z.array(ZSecondStepMethod),
    expiresIn: z.number().int(),
  })
  .meta({ id: 'MfaChallenge' });
export type TMfaChallenge = z.infer<typeof ZMfaChallenge>;

const ZMfaToken = z.string().trim().min(1, { message: 'is required' }).max(256, { message: 'must be at most 256 characters' });

/** Exactly one of `code` (TOTP) and `recoveryCode` with the mfaToken. */
export const ZMfaVerifyInput = z
  .strictObject({ mfaToken: ZMfaToken, code: ZTotpCode.optional(), recoveryCode: ZRecoveryCode.optional() })
  .superRefine(exactlyOneProof(['code', 'recoveryCode']))
  .meta({ id: 'MfaVerifyInput' });
export type TMfaVerifyInput = z.infer<typeof ZMfaVerifyInput>;

/** Exactly one of `password`, `code` and `recoveryCode`. */
export const ZReauthenticateInput = z
  .strictObject({
    password: z.string().min(1, { message: 'is required' }).max(128).optional(),
    code: ZTotpCode.optional(),
    recoveryCode: ZRecoveryCode.optional(),
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
    totp: z.object({ enabled: z.boolean(), confirmedAt: ZTimestamp.nullable() }),
    recoveryCodesLeft: z.number().int(),
    passkeys: z.number().int(),
    /** A role of the user requires MFA. */
    required: z.boolean(),
  })
  .meta({ id: 'MfaStatus' });
export type TMfaStatus = z.infer<typeof ZMfaStatus>;

export const ZTotpSetup = z.object({ secret: z.string(), otpauthUrl: z.string(), qrCodeSvg: z.string() }).meta({ id: 'TotpSetup' });
export type TTotpSetup = z.infer<typeof ZTotpSetup>;

export const ZTotpConfirmInput = z.strictObject({ code: ZTotpCode }).meta({ id: 'TotpConfirmInput' });
export const ZTotpDisableInput = z.strictObject({ code: ZCodeOrRecoveryCode }).meta({ id: 'TotpDisableInput' });

export const ZRecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).meta({ id: 'RecoveryCodes' });
export type TRecoveryCodes = z.infer<typeof ZRecoveryCodes>;
