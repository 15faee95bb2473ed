import { ZMe, ZUpdateMeInput, ZUser } from '@ums/contract';
import { z } from 'zod';
import { getMe } from '../services/me.ts';
import { updateMe } from '../services/users/update-me.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';
import { mePreferencesRouter } from './me-preferences.ts';
import { meSessionsRouter } from './me-sessions.ts';
import { meSettingsRouter } from './me-settings.ts';

export const meRouter = router({
  get: permissionProcedure('user:read')
    .meta({ openapi: { method: 'GET', path: '/users/me', tags: ['me'], summary: "The caller's profile and permissions" } })
    .input(z.void())
    .output(ZMe)
    .query(({ ctx }) => getMe(ctx.auth)),
  update: permissionProcedure('user:update')
    .meta({ openapi: { method: 'PUT', path: '/users/me', tags: ['me'], summary: 'Change your own profile fields' } })
    .input(ZUpdateMeInput)
    .output(ZUser)
    .mutation(({ ctx, input }) => updateMe(ctx.db, ctx.actor, { userId: ctx.auth.userId, input })),
  sessions: meSessionsRouter,
  settings: meSettingsRouter,
  preferences: mePreferencesRouter,
});
