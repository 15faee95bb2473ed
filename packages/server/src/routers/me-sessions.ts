import { router } from '../trpc/init.ts';

export const meSessionsRouter = router({});
