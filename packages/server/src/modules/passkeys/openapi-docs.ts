import type { TAuthenticationResponse, TPasskey, TRegistrationResponse } from '@ums/contract';
import { exampleTokens, exampleUser } from '../../openapi/examples.ts';
import type { OperationDocs } from '../../openapi/operation-doc.ts';
import { accountLocked, emailNotVerified, invalidCredentials, sessionEnded } from '../auth/auth-errors.ts';
import { mfaRequiredByRole, mfaTokenInvalid } from '../mfa/mfa-errors.ts';
import { passkeyAlreadyRegistered, passkeyCounterRegression, passkeyInvalid, passkeyNotFound } from './passkey-errors.ts';

const passkey: TPasskey = {
  id: '0b6f2f3e-7c1a-4f7e-9a51-2f7d6c1b9e40',
  name: 'Laptop',
  createdAt: '2026-01-05T09:30:00.000Z',
  lastUsedAt: '2026-01-06T08:00:00.000Z',
  backedUp: true,
  transports: ['internal', 'hybrid'],
};
const credentialId = 'x2Vq3b3m0sH8bXo1jK2cZg';
const registration: TRegistrationResponse = {
  id: credentialId,
  rawId: credentialId,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0', attestationObject: 'o2NmbXRkbm9uZQ', transports: ['internal'] },
};
const assertion: TAuthenticationResponse = {
  id: credentialId,
  rawId: credentialId,
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'eyJ0eXBlIjoid2ViYXV0aG4uZ2V0In0', authenticatorData: 'SZYN5YgOjGh0NBcPZHZgW4', signature: 'MEUCIQ' },
};
const attemptId = '5d0c2a8e-1f43-4c55-8d2b-7e9a0c6b1f22';
const requestOptions = {
  challenge: 'c1Nw0pQ2b5hZ8mV4tR7yXw',
  rpId: 'example.com',
  timeout: 300000,
  userVerification: 'required',
  allowCredentials: [],
};

/** The REST document's words on the passkey procedures (see openapi/operation-doc.ts). */
export const passkeysDocs = {
  'me.passkeys.list': {
    description: "The caller's passkeys: name, when made and last used, whether synced, transports. Never a key or credential id.",
    throws: [],
    example: { response: { items: [passkey] } },
  },
  'me.passkeys.registrationOptions': {
    description:
      'WebAuthn creation options (`PublicKeyCredentialCreationOptionsJSON`) for a new passkey: a discoverable credential preferred, ' +
      "user verification required, the caller's passkeys excluded. The challenge is bound to this session, single-use, 5 minutes. Step-up: recent.",
    throws: [sessionEnded],
    example: {
      response: {
        challenge: 'c1Nw0pQ2b5hZ8mV4tR7yXw',
        rp: { name: 'User Management', id: 'example.com' },
        user: { id: 'MGI2ZjJmM2U', name: 'ada@example.com', displayName: 'Ada Lovelace' },
        pubKeyCredParams: [{ alg: -7, type: 'public-key' }],
        timeout: 300000,
        attestation: 'none',
        excludeCredentials: [],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required', requireResidentKey: false },
      },
    },
  },
  'me.passkeys.register': {
    description:
      "Registers the browser's answer (`RegistrationResponseJSON`) to a challenge of this session, with a name. A wrong origin or RP ID, " +
      'no user verification, or an unknown, used or expired challenge is a 400; a credential already registered is a 409. A notice is mailed. Step-up: recent.',
    throws: [passkeyInvalid, passkeyAlreadyRegistered, sessionEnded],
    example: { request: { name: 'Laptop', response: registration }, response: { ...passkey, lastUsedAt: null } },
  },
  'me.passkeys.rename': {
    description: "Renames one of your passkeys; another user's is a 404 like a missing one.",
    throws: [passkeyNotFound],
    example: { request: { id: passkey.id, name: 'Work laptop' }, response: { ...passkey, name: 'Work laptop' } },
  },
  'me.passkeys.delete': {
    description:
      "Removes one of your passkeys (another user's is a 404). Refused (409) when it is your last factor and a role requires one. " +
      'A notice is mailed. Step-up: recent.',
    throws: [passkeyNotFound, mfaRequiredByRole, sessionEnded],
    example: { request: { id: passkey.id } },
  },
  'auth.passkey.options': {
    description:
      "Starts a sign-in with a passkey: `{}` lets any discoverable passkey answer, `{ email }` only that account's (an unknown address " +
      'gets options too), `{ mfaToken }` makes it the second step, answered through auth.mfa.verify. Answers the attempt id and the ' +
      '`PublicKeyCredentialRequestOptionsJSON`; the challenge is single-use, 5 minutes.',
    throws: [mfaTokenInvalid],
    example: { request: { email: 'ada@example.com' }, response: { attemptId, options: requestOptions } },
  },
  'auth.passkey.login': {
    description:
      "Signs in with the browser's answer (`AuthenticationResponseJSON`) to an attempt: the auth.login body, the session's methods " +
      '`["passkey"]` (possession and user verification: two factors). A response that does not verify, another account\'s passkey, or ' +
      'a used or expired attempt is a 400; a signature counter that went backwards is a 400 and is audited.',
    throws: [passkeyInvalid, passkeyCounterRegression, invalidCredentials, accountLocked, emailNotVerified],
    example: {
      request: { attemptId, response: assertion },
      response: { ...exampleTokens, tokenType: 'Bearer', user: { ...exampleUser, mfaEnabled: true } },
    },
  },
} satisfies OperationDocs<
  | 'me.passkeys.list'
  | 'me.passkeys.registrationOptions'
  | 'me.passkeys.register'
  | 'me.passkeys.rename'
  | 'me.passkeys.delete'
  | 'auth.passkey.options'
  | 'auth.passkey.login'
>;
