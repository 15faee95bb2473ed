import {
  ZAccepted,
  ZChangePasswordInput,
  ZEmailLinkRequestInput,
  ZLinkTokenInput,
  ZLoginInput,
  ZLoginOutcome,
  ZRefreshInput,
  ZRegisterInput,
  ZRegisterResult,
  ZResetPasswordInput,
  ZTokens,
  ZUser,
} from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { rateLimitedAuthedProcedure, rateLimitedAuthedProcedureWith, rateLimitedPublicProcedure } from '../../trpc/procedures.ts';
import { confirmEmailChange } from '../email/confirm-email-change.ts';
import { requestEmailVerification } from '../email/request-email-verification.ts';
import { requestPasswordReset } from '../email/request-password-reset.ts';
import { resetPassword } from '../email/reset-password.ts';
import { verifyEmail } from '../email/verify-email.ts';
import { authMfaRouter, reauthenticateProcedure } from '../mfa/router.ts';
import { changePassword } from './change-password.ts';
import { logIn } from './log-in.ts';
import { logOut } from './log-out.ts';
import { logOutAll } from './log-out-all.ts';
import { refreshSession } from './refresh-session.ts';
import { registerUser } from './register-user.ts';

const tags = ['auth'];

export const authRouter = router({
  register: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/register', tags, summary: 'Create an account and sign in', protect: false },
      successStatus: 201,
    })
    .input(ZRegisterInput)
    .output(ZRegisterResult)
    .mutation(({ ctx, input }) => registerUser(ctx, input)),
  login: rateLimitedPublicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/login',
        tags,
        summary: 'Sign in with email and password (with MFA on: the first step)',
        protect: false,
      },
    })
    .input(ZLoginInput)
    .output(ZLoginOutcome)
    .mutation(({ ctx, input }) => logIn(ctx, input)),
  refresh: rateLimitedPublicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/refresh', tags, summary: 'Trade a refresh token for new tokens', protect: false } })
    .input(ZRefreshInput)
    .output(ZTokens)
    .mutation(({ ctx, input }) => refreshSession(ctx, input)),
  mfa: authMfaRouter,
  reauthenticate: reauthenticateProcedure,
  logout: rateLimitedAuthedProcedureWith({ duringMfaEnrolment: true })
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags, summary: 'End the current session' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOut(ctx, { sessionId: ctx.auth.sessionId })),
  logoutAll: rateLimitedAuthedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout-all', tags, summary: 'End every session of the caller' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOutAll(ctx, { userId: ctx.auth.userId })),
  changePassword: rateLimitedAuthedProcedureWith({ recent: true })
    .meta({
      openapi: { method: 'POST', path: '/auth/change-password', tags, summary: 'Change your password; other sessions end' },
      successStatus: 204,
    })
    .input(ZChangePasswordInput)
    .output(z.void())
    .mutation(({ ctx, input }) => changePassword(ctx, { ...input, userId: ctx.auth.userId, sessionId: ctx.auth.sessionId })),
  requestEmailVerification: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/verify-email/request', tags, summary: 'Mail a link that proves an address', protect: false },
      successStatus: 202,
    })
    .input(ZEmailLinkRequestInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => requestEmailVerification(ctx, input)),
  verifyEmail: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/verify-email', tags, summary: 'Prove an address with its mailed link', protect: false },
    })
    .input(ZLinkTokenInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => verifyEmail(ctx, input)),
  requestPasswordReset: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/password-reset/request', tags, summary: 'Mail a password reset link', protect: false },
      successStatus: 202,
    })
    .input(ZEmailLinkRequestInput)
    .output(ZAccepted)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx, input)),
  resetPassword: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/password-reset', tags, summary: 'Set a new password with a reset link', protect: false },
      successStatus: 204,
    })
    .input(ZResetPasswordInput)
    .output(z.void())
    .mutation(({ ctx, input }) => resetPassword(ctx, input)),
  confirmEmailChange: rateLimitedPublicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/auth/email-change/confirm',
        tags,
        summary: 'Confirm a new address with its mailed link',
        protect: false,
      },
    })
    .input(ZLinkTokenInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => confirmEmailChange(ctx, input)),
});
