import { ZGetUserSettingsInput, ZSettingsList, ZUpdateUserSettingsInput } from '@ums/contract';
import { getUserSettings, updateUserSettings } from '../services/settings/user-settings.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';

const tags = ['users'];

export const usersSettingsRouter = router({
  get: permissionProcedure('users:read')
    .meta({ openapi: { method: 'GET', path: '/users/{id}/settings', tags, summary: "A user's settings, as me.settings.get" } })
    .input(ZGetUserSettingsInput)
    .output(ZSettingsList)
    .query(({ ctx, input }) => getUserSettings(ctx.sql, { userId: input.id, category: input.category })),
  update: permissionProcedure('users:update')
    .meta({ openapi: { method: 'PUT', path: '/users/{id}/settings', tags, summary: "Change a user's settings, all or nothing" } })
    .input(ZUpdateUserSettingsInput)
    .output(ZSettingsList)
    .mutation(({ ctx, input: { id, ...batch } }) => updateUserSettings(ctx.db, ctx.sql, ctx.actor, { userId: id, ...batch })),
});
