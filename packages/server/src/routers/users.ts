import { router } from '../trpc/init.ts';
import { usersSettingsRouter } from './users-settings.ts';

export const usersRouter = router({
  settings: usersSettingsRouter,
});
