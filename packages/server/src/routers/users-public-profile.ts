import { ZPublicProfile, ZUserIdInput } from '@ums/contract';
import { getPublicProfile } from '../services/settings/public-profile.ts';
import { authedProcedure } from '../trpc/procedures.ts';

/** `users.publicProfile`: registered in the users router. */
export const publicProfileProcedure = authedProcedure
  .meta({ openapi: { method: 'GET', path: '/users/{id}/public', tags: ['users'], summary: "A user's public profile and public settings" } })
  .input(ZUserIdInput)
  .output(ZPublicProfile)
  .query(({ ctx, input }) => getPublicProfile(ctx.db, input));
