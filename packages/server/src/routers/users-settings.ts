import { router } from '../trpc/init.ts';

export const usersSettingsRouter = router({});
