import { ZChangePasswordInput, ZLoginInput, ZLoginResult, ZRefreshInput, ZRegisterInput, ZRegisterResult, ZTokens } from '@ums/contract';
import { z } from 'zod';
import type { AuditActor } from '../services/audit.ts';
import { changePassword } from '../services/auth/change-password.ts';
import { logIn } from '../services/auth/log-in.ts';
import { logOut } from '../services/auth/log-out.ts';
import { logOutAll } from '../services/auth/log-out-all.ts';
import { refreshSession } from '../services/auth/refresh-session.ts';
import { registerUser } from '../services/auth/register-user.ts';
import type { Context } from '../trpc/context.ts';
import { router } from '../trpc/init.ts';
import { rateLimitedAuthedProcedure, rateLimitedPublicProcedure } from '../trpc/procedures.ts';

const tags = ['auth'];

/** Who is calling a public procedure: nobody yet, from this address. */
const anonymousActor = ({ request }: Context): AuditActor => ({
  actorId: null,
  ip: request.ip,
  userAgent: request.userAgent,
  requestId: request.id,
});

export const authRouter = router({
  register: rateLimitedPublicProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/register', tags, summary: 'Create an account and sign in', protect: false },
      successStatus: 201,
    })
    .input(ZRegisterInput)
    .output(ZRegisterResult)
    .mutation(({ ctx, input }) =>
      registerUser(ctx.db, {
        ...input,
        actor: anonymousActor(ctx),
        tokens: ctx.tokens,
        refreshTtlSeconds: ctx.config.refreshTokenTtlSeconds,
        registration: ctx.config.registration,
      }),
    ),
  login: rateLimitedPublicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/login', tags, summary: 'Sign in with email and password', protect: false } })
    .input(ZLoginInput)
    .output(ZLoginResult)
    .mutation(({ ctx, input }) =>
      logIn(ctx.db, {
        ...input,
        actor: anonymousActor(ctx),
        tokens: ctx.tokens,
        refreshTtlSeconds: ctx.config.refreshTokenTtlSeconds,
        lockoutThreshold: ctx.config.loginLockout,
      }),
    ),
  refresh: rateLimitedPublicProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/refresh', tags, summary: 'Trade a refresh token for new tokens', protect: false } })
    .input(ZRefreshInput)
    .output(ZTokens)
    .mutation(({ ctx, input }) =>
      refreshSession(ctx.db, {
        refreshToken: input.refreshToken,
        actor: anonymousActor(ctx),
        tokens: ctx.tokens,
        refreshTtlSeconds: ctx.config.refreshTokenTtlSeconds,
      }),
    ),
  logout: rateLimitedAuthedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout', tags, summary: 'End the current session' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOut(ctx.db, { sessionId: ctx.auth.sessionId, actor: ctx.actor })),
  logoutAll: rateLimitedAuthedProcedure
    .meta({ openapi: { method: 'POST', path: '/auth/logout-all', tags, summary: 'End every session of the caller' }, successStatus: 204 })
    .input(z.void())
    .output(z.void())
    .mutation(({ ctx }) => logOutAll(ctx.db, { userId: ctx.auth.userId, actor: ctx.actor })),
  changePassword: rateLimitedAuthedProcedure
    .meta({
      openapi: { method: 'POST', path: '/auth/change-password', tags, summary: 'Change your password; other sessions end' },
      successStatus: 204,
    })
    .input(ZChangePasswordInput)
    .output(z.void())
    .mutation(({ ctx, input }) =>
      changePassword(ctx.db, { ...input, userId: ctx.auth.userId, sessionId: ctx.auth.sessionId, actor: ctx.actor }),
    ),
});
