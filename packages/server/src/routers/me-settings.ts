import { ZGetMySettingsInput, ZSettingsList, ZUpdateMySettingsInput } from '@ums/contract';
import { getUserSettings, updateUserSettings } from '../services/settings/user-settings.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';

const tags = ['me'];

export const meSettingsRouter = router({
  get: permissionProcedure('user:read')
    .meta({
      openapi: { method: 'GET', path: '/users/me/settings', tags, summary: 'Your settings: every catalog key, yours or the default' },
    })
    .input(ZGetMySettingsInput)
    .output(ZSettingsList)
    .query(({ ctx, input }) => getUserSettings(ctx.sql, { userId: ctx.auth.userId, category: input?.category })),
  update: permissionProcedure('user:update')
    .meta({
      openapi: { method: 'PUT', path: '/users/me/settings', tags, summary: 'Change several of your settings at once, all or nothing' },
    })
    .input(ZUpdateMySettingsInput)
    .output(ZSettingsList)
    .mutation(({ ctx, input }) => updateUserSettings(ctx.db, ctx.sql, ctx.actor, { userId: ctx.auth.userId, ...input })),
});
