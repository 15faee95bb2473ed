import {
  ZLoginResult,
  ZPasskey,
  ZPasskeyIdInput,
  ZPasskeyList,
  ZPasskeyProof,
  ZPasskeyRegisterInput,
  ZPasskeyRenameInput,
  ZPasskeySignInOptions,
  ZPasskeySignInOptionsInput,
  ZWebAuthnOptions,
} from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure, rateLimitedPublicProcedure } from '../../trpc/procedures.ts';
import { deletePasskey } from './delete-passkey.ts';
import { listPasskeys } from './list-passkeys.ts';
import { passkeySignInOptions } from './passkey-sign-in-options.ts';
import { registerPasskey } from './register-passkey.ts';
import { renamePasskey } from './rename-passkey.ts';
import { signInWithPasskey } from './sign-in-with-passkey.ts';
import { startPasskeyRegistration } from './start-passkey-registration.ts';

const tags = ['me'];
// Every me.passkeys procedure is open during MFA enrolment (a passkey is a factor); every change is "recent".
const enrolment = { duringMfaEnrolment: true } as const;
const recentEnrolment = { recent: true, duringMfaEnrolment: true } as const;

/** `me.passkeys`: the caller's own passkeys. */
export const myPasskeysRouter = router({
  list: permissionProcedure('user:read', enrolment)
    .meta({ openapi: { method: 'GET', path: '/users/me/passkeys', tags, summary: 'Your passkeys' } })
    .input(z.void())
    .output(ZPasskeyList)
    .query(({ ctx }) => listPasskeys(ctx, { userId: ctx.auth.userId })),
  registrationOptions: permissionProcedure('user:update', recentEnrolment)
    .meta({ openapi: { method: 'POST', path: '/users/me/passkeys/options', tags, summary: 'Options to create a new passkey' } })
    .input(z.void())
    .output(ZWebAuthnOptions)
    .mutation(({ ctx }) => startPasskeyRegistration(ctx, { userId: ctx.auth.userId, sessionId: ctx.auth.sessionId })),
  register: permissionProcedure('user:update', recentEnrolment)
    .meta({
      openapi: { method: 'POST', path: '/users/me/passkeys', tags, summary: 'Register the passkey the browser created' },
      successStatus: 201,
    })
    .input(ZPasskeyRegisterInput)
    .output(ZPasskey)
    .mutation(({ ctx, input }) => registerPasskey(ctx, { userId: ctx.auth.userId, sessionId: ctx.auth.sessionId, ...input })),
  rename: permissionProcedure('user:update', enrolment)
    .meta({ openapi: { method: 'PUT', path: '/users/me/passkeys/{id}', tags, summary: 'Rename one of your passkeys' } })
    .input(ZPasskeyRenameInput)
    .output(ZPasskey)
    .mutation(({ ctx, input }) => renamePasskey(ctx, { userId: ctx.auth.userId, ...input })),
  delete: permissionProcedure('user:update', recentEnrolment)
    .meta({
      openapi: { method: 'DELETE', path: '/users/me/passkeys/{id}', tags, summary: 'Remove one of your passkeys' },
      successStatus: 204,
    })
    .input(ZPasskeyIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => deletePasskey(ctx, { userId: ctx.auth.userId, id: input.id })),
});

/** `auth.passkey`: signing in with a passkey. */
export const authPasskeyRouter = router({
  options: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/passkey/options', tags: ['auth'], summary: 'Start a sign-in with a passkey', protect: false },
    })
    .input(ZPasskeySignInOptionsInput)
    .output(ZPasskeySignInOptions)
    .mutation(({ ctx, input }) => passkeySignInOptions(ctx, input)),
  login: rateLimitedPublicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/passkey/login', tags: ['auth'], summary: 'Sign in with a passkey', protect: false } })
    .input(ZPasskeyProof)
    .output(ZLoginResult)
    .mutation(({ ctx, input }) => signInWithPasskey(ctx, input)),
});
