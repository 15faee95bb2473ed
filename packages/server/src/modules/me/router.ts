import { ZAccepted, ZChangeEmailInput, ZMe, ZUpdateMeInput, ZUser } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure, rateLimitedPermissionProcedure } from '../../trpc/procedures.ts';
import { requestEmailChange } from '../email/request-email-change.ts';
import { myExportProcedure } from '../export/export-procedures.ts';
import { myMfaRouter } from '../mfa/router.ts';
import { myPasskeysRouter } from '../passkeys/router.ts';
import { mySessionsRouter } from '../sessions/router.ts';
import { myPreferencesRouter, mySettingsRouter } from '../settings/router.ts';
import { getMe } from './get-me.ts';
import { updateMe } from './update-me.ts';

export const meRouter = router({
  get: permissionProcedure('user:read', { duringMfaEnrolment: true })
    .meta({ openapi: { method: 'GET', path: '/users/me', tags: ['me'], summary: "The caller's profile and permissions" } })
    .input(z.void())
    .output(ZMe)
    .query(({ ctx }) => getMe(ctx)),
  update: permissionProcedure('user:update')
    .meta({ openapi: { method: 'PUT', path: '/users/me', tags: ['me'], summary: 'Change your own profile fields' } })
    .input(ZUpdateMeInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => updateMe(ctx, { userId: ctx.auth.userId, input })),
  email: router({
    change: rateLimitedPermissionProcedure('user:update', { recent: true })
      .meta({
        openapi: { method: 'POST', path: '/users/me/email', tags: ['me'], summary: 'Ask to move your account to a new address' },
        successStatus: 202,
      })
      .input(ZChangeEmailInput)
      .output(ZAccepted)
      .mutation(({ ctx, input }) => requestEmailChange(ctx, { ...input, userId: ctx.auth.userId })),
  }),
  export: myExportProcedure,
  mfa: myMfaRouter,
  passkeys: myPasskeysRouter,
  sessions: mySessionsRouter,
  settings: mySettingsRouter,
  preferences: myPreferencesRouter,
});
