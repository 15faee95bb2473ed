import {
  ZGetMySettingsInput,
  ZGetUserSettingsInput,
  ZPreferences,
  ZPublicProfile,
  ZSettingsCatalog,
  ZSettingsList,
  ZUpdateMySettingsInput,
  ZUpdatePreferencesInput,
  ZUpdateUserSettingsInput,
  ZUserIdInput,
} from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { authedProcedure, permissionProcedure } from '../../trpc/procedures.ts';
import { getPreferences } from './get-preferences.ts';
import { getPublicProfile } from './get-public-profile.ts';
import { getUserSettings } from './get-user-settings.ts';
import { listSettingsCatalog } from './list-settings-catalog.ts';
import { updatePreferences } from './update-preferences.ts';
import { updateUserSettings } from './update-user-settings.ts';

/** `settings`: the catalog. */
export const settingsRouter = router({
  catalog: authedProcedure
    .meta({
      openapi: { method: 'GET', path: '/settings/catalog', tags: ['settings'], summary: 'Every known setting: type, default, rules' },
    })
    .input(z.void())
    .output(ZSettingsCatalog)
    .query(() => listSettingsCatalog()),
});

/** `me.settings`: the caller's own settings. */
export const mySettingsRouter = router({
  get: permissionProcedure('user:read')
    .meta({
      openapi: {
        method: 'GET',
        path: '/users/me/settings',
        tags: ['me'],
        summary: 'Your settings: every catalog key, yours or the default',
      },
    })
    .input(ZGetMySettingsInput)
    .output(ZSettingsList)
    .query(({ ctx, input }) => getUserSettings(ctx, { userId: ctx.auth.userId, category: input?.category })),
  update: permissionProcedure('user:update')
    .meta({
      openapi: {
        method: 'PUT',
        path: '/users/me/settings',
        tags: ['me'],
        summary: 'Change several of your settings at once, all or nothing',
      },
    })
    .input(ZUpdateMySettingsInput)
    .output(ZSettingsList)
    .mutation(({ ctx, input }) => updateUserSettings(ctx, { userId: ctx.auth.userId, ...input })),
});

/** `me.preferences`: a typed view of the caller's settings. */
export const myPreferencesRouter = router({
  get: permissionProcedure('user:read')
    .meta({
      openapi: { method: 'GET', path: '/users/me/preferences', tags: ['me'], summary: 'Your preferences, a typed view of your settings' },
    })
    .input(z.void())
    .output(ZPreferences)
    .query(({ ctx }) => getPreferences(ctx, { userId: ctx.auth.userId })),
  update: permissionProcedure('user:update')
    .meta({
      openapi: { method: 'PUT', path: '/users/me/preferences', tags: ['me'], summary: 'Change some of your preferences (deep-merged)' },
    })
    .input(ZUpdatePreferencesInput)
    .output(ZPreferences)
    .mutation(({ ctx, input }) => updatePreferences(ctx, { userId: ctx.auth.userId, input })),
});

/** `users.settings`: another user's settings. */
export const userSettingsRouter = router({
  get: permissionProcedure('users:read')
    .meta({ openapi: { method: 'GET', path: '/users/{id}/settings', tags: ['users'], summary: "A user's settings, as me.settings.get" } })
    .input(ZGetUserSettingsInput)
    .output(ZSettingsList)
    .query(({ ctx, input }) => getUserSettings(ctx, { userId: input.id, category: input.category })),
  update: permissionProcedure('users:update')
    .meta({
      openapi: { method: 'PUT', path: '/users/{id}/settings', tags: ['users'], summary: "Change a user's settings, all or nothing" },
    })
    .input(ZUpdateUserSettingsInput)
    .output(ZSettingsList)
    .mutation(({ ctx, input: { id, ...batch } }) => updateUserSettings(ctx, { userId: id, ...batch })),
});

/** `users.publicProfile`. */
export const publicProfileProcedure = authedProcedure
  .meta({ openapi: { method: 'GET', path: '/users/{id}/public', tags: ['users'], summary: "A user's public profile and public settings" } })
  .input(ZUserIdInput)
  .output(ZPublicProfile)
  .query(({ ctx, input }) => getPublicProfile(ctx, input));
