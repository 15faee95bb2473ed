import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { router } from '../trpc/init.ts';
import { auditRouter } from './audit.ts';
import { authRouter } from './auth.ts';
import { meRouter } from './me.ts';
import { rbacRouter } from './rbac.ts';
import { settingsRouter } from './settings.ts';
import { usersRouter } from './users.ts';

// `me` comes before `users`: REST matches paths in this order, and /users/me… must win over /users/{id}.
export const appRouter = router({
  auth: authRouter,
  me: meRouter,
  users: usersRouter,
  rbac: rbacRouter,
  audit: auditRouter,
  settings: settingsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
