import { ZStatsOverview } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { getStatsOverview } from './get-stats-overview.ts';

export const statsRouter = router({
  overview: permissionProcedure('users:read')
    .meta({
      openapi: {
        method: 'GET',
        path: '/stats/overview',
        tags: ['stats'],
        summary: 'User totals and sign-ups, sign-ins and failed sign-ins per day for the last 30 days',
      },
    })
    .input(z.void())
    .output(ZStatsOverview)
    .query(({ ctx }) => getStatsOverview(ctx)),
});
