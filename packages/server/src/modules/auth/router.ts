import { ZChangePasswordInput, ZLoginInput, ZLoginResult, ZRefreshInput, ZRegisterInput, ZRegisterResult, ZTokens } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { rateLimitedAuthedProcedure, rateLimitedPublicProcedure } from '../../trpc/procedures.ts';
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
    .meta({ openapi: { method: 'POST', path: '/auth/login', tags, summary: 'Sign in with email and password', protect: false } })
    .input(ZLoginInput)
    .output(ZLoginResult)
    .mutation(({ ctx, input }) => logIn(ctx, input)),
  refresh: rateLimitedPublicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/refresh', tags, summary: 'Trade a refresh token for new tokens', protect: false } })
    .input(ZRefreshInput)
    .output(ZTokens)
    .mutation(({ ctx, input }) => refreshSession(ctx, input)),
  logout: rateLimitedAuthedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags, summary: 'End the current session' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOut(ctx, { sessionId: ctx.auth.sessionId })),
  logoutAll: rateLimitedAuthedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout-all', tags, summary: 'End every session of the caller' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOutAll(ctx, { userId: ctx.auth.userId })),
  changePassword: rateLimitedAuthedProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/change-password', tags, summary: 'Change your password; other sessions end' },
      successStatus: 204,
    })
    .input(ZChangePasswordInput)
    .output(z.void())
    .mutation(({ ctx, input }) => changePassword(ctx, { ...input, userId: ctx.auth.userId, sessionId: ctx.auth.sessionId })),
});
