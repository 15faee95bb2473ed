import { PASSKEY_REASONS } from '@ums/contract';
import { defineError } from '../../define-error.ts';

// One answer for every failed ceremony (wrong origin or RP ID, no user verification, bad signature, unknown, used or
// expired challenge, another account's credential): the contract makes each a 400, and the details stay in the log.
export const passkeyInvalid = defineError(
  {
    code: 'BAD_REQUEST',
    reason: PASSKEY_REASONS.passkeyInvalid,
    description:
      "The WebAuthn response does not verify: wrong origin or RP ID, no user verification, a bad signature, another account's " +
      'credential, or a challenge that is unknown, used or expired (`reason: PASSKEY_INVALID`)',
  },
  () => ({ message: 'The passkey could not be verified; start again' }),
);

export const passkeyCounterRegression = defineError(
  {
    code: 'BAD_REQUEST',
    reason: PASSKEY_REASONS.counterRegression,
    description: 'The signature counter went backwards: the credential may have been cloned (`reason: PASSKEY_COUNTER_REGRESSION`)',
  },
  () => ({ message: 'This passkey was refused: its signature counter went backwards' }),
);

export const passkeyAlreadyRegistered = defineError({ code: 'CONFLICT', description: 'This credential is already registered' }, () => ({
  message: 'This passkey is already registered',
}));

export const passkeyNotFound = defineError({ code: 'NOT_FOUND', description: 'No passkey of yours has this id' }, () => ({
  message: 'Passkey not found',
}));
