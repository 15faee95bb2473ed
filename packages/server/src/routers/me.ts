import { ZMe } from '@ums/contract';
import { z } from 'zod';
import { getMe } from '../services/me.ts';
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
    .query(({ ctx }) => getMe(ctx.db, ctx.auth)),
  sessions: meSessionsRouter,
  settings: meSettingsRouter,
  preferences: mePreferencesRouter,
});
