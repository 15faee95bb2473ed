import { router } from '../trpc/init.ts';

export const mePreferencesRouter = router({});
