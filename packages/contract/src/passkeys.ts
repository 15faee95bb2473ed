import { z } from 'zod';
import { ZEmail, ZTimestamp } from './fields.ts';

/** The `reason` of passkey errors (REST top-level `reason`, tRPC `error.data.reason`). */
export const PASSKEY_REASONS = {
  /** The WebAuthn response failed: wrong origin or RP ID, no user verification, bad signature, reused or expired challenge. */
  passkeyInvalid: 'PASSKEY_INVALID',
  /** The authenticator's signature counter went backwards: the credential may have been cloned. */
  counterRegression: 'PASSKEY_COUNTER_REGRESSION',
} as const;

const base64url = (max: number) =>
  z
    .string()
    .min(1, { message: 'is required' })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: 'must be base64url' });

const transports = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;
export const ZPasskeyTransport = z.enum(transports);

const credentialFields = {
  id: base64url(1024).describe('The credential id, base64url'),
  rawId: base64url(1024).describe('The credential id, base64url'),
  type: z.literal('public-key').describe('Always `public-key`'),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}).describe('The extension outputs the browser reports'),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional().describe('Built into the device, or a separate key'),
};

/** The browser's answer to `navigator.credentials.create()` in its JSON form (RegistrationResponseJSON). */
export const ZRegistrationResponse = z
  .object({
    ...credentialFields,
    response: z
      .object({
        clientDataJSON: base64url(8192),
        attestationObject: base64url(65536),
        transports: z.array(ZPasskeyTransport).max(8).optional(),
        authenticatorData: base64url(65536).optional(),
        publicKey: base64url(8192).optional(),
        publicKeyAlgorithm: z.number().int().optional(),
      })
      .describe('The attestation the authenticator made'),
  })
  .meta({ id: 'RegistrationResponse' });
export type TRegistrationResponse = z.infer<typeof ZRegistrationResponse>;

/** The browser's answer to `navigator.credentials.get()` in its JSON form (AuthenticationResponseJSON). */
export const ZAuthenticationResponse = z
  .object({
    ...credentialFields,
    response: z
      .object({
        clientDataJSON: base64url(8192),
        authenticatorData: base64url(65536),
        signature: base64url(8192),
        userHandle: base64url(1024).optional(),
      })
      .describe('The assertion the authenticator signed'),
  })
  .meta({ id: 'AuthenticationResponse' });
export type TAuthenticationResponse = z.infer<typeof ZAuthenticationResponse>;

export const ZPasskeyName = z.string().trim().min(1, { message: 'is required' }).max(100, { message: 'must be at most 100 characters' });

export const ZPasskey = z
  .object({
    id: z.uuid().describe("The passkey's id in this service (not the credential id)"),
    name: z.string().describe('The name the user gave it'),
    createdAt: ZTimestamp.describe('When it was registered'),
    lastUsedAt: ZTimestamp.nullable().describe('Its last sign-in; null before the first'),
    backedUp: z.boolean().describe('The authenticator says the credential is synced (a multi-device passkey)'),
    transports: z.array(z.string()).describe('How the browser can reach the authenticator'),
  })
  .meta({ id: 'Passkey' });
export type TPasskey = z.infer<typeof ZPasskey>;

export const ZPasskeyList = z.object({ items: z.array(ZPasskey).describe('Oldest first') }).meta({ id: 'PasskeyList' });

/** WebAuthn options as the browser takes them (PublicKeyCredentialCreationOptionsJSON / …RequestOptionsJSON). */
export const ZWebAuthnOptions = z
  .looseObject({ challenge: z.string().describe('base64url, single-use, valid 5 minutes') })
  .describe('Pass to @simplewebauthn/browser (startRegistration / startAuthentication)')
  .meta({ id: 'WebAuthnOptions' });
export type TWebAuthnOptions = z.infer<typeof ZWebAuthnOptions>;

export const ZPasskeyRegisterInput = z
  .strictObject({ name: ZPasskeyName.describe('A name to tell it apart'), response: ZRegistrationResponse })
  .meta({ id: 'PasskeyRegisterInput' });
export const ZPasskeyRenameInput = z
  .strictObject({ id: z.uuid().describe('The passkey'), name: ZPasskeyName.describe('Its new name') })
  .meta({ id: 'PasskeyRenameInput' });
export const ZPasskeyIdInput = z.strictObject({ id: z.uuid().describe('The passkey') });

const ZMfaTokenField = z.string().trim().min(1, { message: 'is required' }).max(256, { message: 'must be at most 256 characters' });

/** `{}` (discoverable credentials), `{ email }` (that account's passkeys) or `{ mfaToken }` (the second step). */
export const ZPasskeySignInOptionsInput = z
  .strictObject({
    email: ZEmail.describe("Offer that account's passkeys").optional(),
    mfaToken: ZMfaTokenField.describe('The mfaToken of auth.login: a passkey as the second step').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.email !== undefined && value.mfaToken !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['mfaToken'], message: 'give at most one of email, mfaToken' });
    }
  })
  .default({})
  .meta({ id: 'PasskeySignInOptionsInput' });
export type TPasskeySignInOptionsInput = z.infer<typeof ZPasskeySignInOptionsInput>;

export const ZPasskeySignInOptions = z
  .object({ attemptId: z.uuid().describe('Send back with the response'), options: ZWebAuthnOptions })
  .meta({ id: 'PasskeySignInOptions' });
export type TPasskeySignInOptions = z.infer<typeof ZPasskeySignInOptions>;

export const ZPasskeyProof = z
  .strictObject({ attemptId: z.uuid().describe('From auth.passkey.options'), response: ZAuthenticationResponse })
  .meta({ id: 'PasskeyProof' });
export type TPasskeyProof = z.infer<typeof ZPasskeyProof>;
