import { ZSettingsCatalog } from '@ums/contract';
import { z } from 'zod';
import { listSettingsCatalog } from '../services/settings/settings-catalog.ts';
import { router } from '../trpc/init.ts';
import { authedProcedure } from '../trpc/procedures.ts';

export const settingsRouter = router({
  catalog: authedProcedure
    .meta({
      openapi: { method: 'GET', path: '/settings/catalog', tags: ['settings'], summary: 'Every known setting: type, default, rules' },
    })
    .input(z.void())
    .output(ZSettingsCatalog)
    .query(() => listSettingsCatalog()),
});
