import { ZPreferences, ZUpdatePreferencesInput } from '@ums/contract';
import { z } from 'zod';
import { getPreferences, updatePreferences } from '../services/settings/preferences.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';

const tags = ['me'];

export const mePreferencesRouter = router({
  get: permissionProcedure('user:read')
    .meta({ openapi: { method: 'GET', path: '/users/me/preferences', tags, summary: 'Your preferences, a typed view of your settings' } })
    .input(z.void())
    .output(ZPreferences)
    .query(({ ctx }) => getPreferences(ctx.sql, { userId: ctx.auth.userId })),
  update: permissionProcedure('user:update')
    .meta({ openapi: { method: 'PUT', path: '/users/me/preferences', tags, summary: 'Change some of your preferences (deep-merged)' } })
    .input(ZUpdatePreferencesInput)
    .output(ZPreferences)
    .mutation(({ ctx, input }) => updatePreferences(ctx.db, ctx.sql, ctx.actor, { userId: ctx.auth.userId, input })),
});
