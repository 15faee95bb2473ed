import { router } from '../trpc/init.ts';

export const rbacRouter = router({});
