import { router } from '../trpc/init.ts';

export const meSettingsRouter = router({});
