import {
  ZLoginResult,
  ZMfaStatus,
  ZMfaVerifyInput,
  ZReauthenticateInput,
  ZRecoveryCodes,
  ZTotpConfirmInput,
  ZTotpDisableInput,
  ZTotpSetup,
  ZUserIdInput,
} from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import {
  permissionProcedure,
  rateLimitedAuthedProcedureWith,
  rateLimitedPermissionProcedure,
  rateLimitedPublicProcedure,
} from '../../trpc/procedures.ts';
import { confirmTotp } from './confirm-totp.ts';
import { disableTotp } from './disable-totp.ts';
import { getMfaStatus } from './get-mfa-status.ts';
import { reauthenticate } from './reauthenticate.ts';
import { regenerateRecoveryCodes } from './regenerate-recovery-codes.ts';
import { resetMfa } from './reset-mfa.ts';
import { setUpTotp } from './set-up-totp.ts';
import { verifyMfaChallenge } from './verify-mfa-challenge.ts';

const tags = ['me'];
// Every me.mfa procedure is open to a caller whose role requires MFA and who has no factor yet: it is how they enrol.
const enrolment = { duringMfaEnrolment: true } as const;
const recentEnrolment = { recent: true, duringMfaEnrolment: true } as const;

/** `me.mfa`: the caller's own factors. */
export const myMfaRouter = router({
  get: permissionProcedure('user:read', enrolment)
    .meta({ openapi: { method: 'GET', path: '/users/me/mfa', tags, summary: 'Your second factors, and whether a role requires one' } })
    .input(z.void())
    .output(ZMfaStatus)
    .query(({ ctx }) => getMfaStatus(ctx, { userId: ctx.auth.userId })),
  totp: router({
    setup: permissionProcedure('user:update', recentEnrolment)
      .meta({ openapi: { method: 'POST', path: '/users/me/mfa/totp/setup', tags, summary: 'Start setting up an authenticator app' } })
      .input(z.void())
      .output(ZTotpSetup)
      .mutation(({ ctx }) => setUpTotp(ctx, { userId: ctx.auth.userId, email: ctx.auth.user.email })),
    confirm: rateLimitedPermissionProcedure('user:update', enrolment)
      .meta({
        openapi: {
          method: 'POST',
          path: '/users/me/mfa/totp/confirm',
          tags,
          summary: 'Turn the app on with a first code; get recovery codes',
        },
      })
      .input(ZTotpConfirmInput)
      .output(ZRecoveryCodes)
      .mutation(({ ctx, input }) => confirmTotp(ctx, { userId: ctx.auth.userId, code: input.code })),
    disable: rateLimitedPermissionProcedure('user:update', recentEnrolment)
      .meta({
        openapi: { method: 'POST', path: '/users/me/mfa/totp/disable', tags, summary: 'Turn two-factor authentication off with a code' },
        successStatus: 204,
      })
      .input(ZTotpDisableInput)
      .output(z.void())
      .mutation(({ ctx, input }) => disableTotp(ctx, { userId: ctx.auth.userId, sessionId: ctx.auth.sessionId, code: input.code })),
  }),
  recoveryCodes: router({
    regenerate: permissionProcedure('user:update', recentEnrolment)
      .meta({
        openapi: { method: 'POST', path: '/users/me/mfa/recovery-codes', tags, summary: 'New recovery codes; the old ones stop working' },
      })
      .input(z.void())
      .output(ZRecoveryCodes)
      .mutation(({ ctx }) => regenerateRecoveryCodes(ctx, { userId: ctx.auth.userId })),
  }),
});

/** `auth.mfa`: the second sign-in step. */
export const authMfaRouter = router({
  verify: rateLimitedPublicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/mfa/verify',
        tags: ['auth'],
        summary: 'Second sign-in step: a code for the mfaToken',
        protect: false,
      },
    })
    .input(ZMfaVerifyInput)
    .output(ZLoginResult)
    .mutation(({ ctx, input }) => verifyMfaChallenge(ctx, input)),
});

// An impersonation session cannot step up: its impersonator must never pass for the user.
export const reauthenticateProcedure = rateLimitedAuthedProcedureWith({ ...enrolment, notDuringImpersonation: true })
  .meta({
    openapi: { method: 'POST', path: '/auth/reauthenticate', tags: ['auth'], summary: 'Prove a factor again: step-up for recent calls' },
    successStatus: 204,
  })
  .input(ZReauthenticateInput)
  .output(z.void())
  .mutation(({ ctx, input }) =>
    reauthenticate(ctx, { userId: ctx.auth.userId, sessionId: ctx.auth.sessionId, mfaEnabled: ctx.auth.user.mfaEnabled, input }),
  );

/** `users.mfa`: an administrator's reset of a user's factors. */
export const usersMfaRouter = router({
  reset: permissionProcedure('users:update', { recent: true })
    .meta({
      openapi: {
        method: 'POST',
        path: '/users/{id}/mfa/reset',
        tags: ['users'],
        summary: "Remove a user's factors and end their sessions",
      },
      successStatus: 204,
    })
    .input(ZUserIdInput)
    .output(z.void())
    .mutation(({ ctx, input }) => resetMfa(ctx, input)),
});
