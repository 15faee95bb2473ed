import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { auditRouter } from './modules/audit/router.ts';
import { authRouter } from './modules/auth/router.ts';
import { meRouter } from './modules/me/router.ts';
import { rbacRouter } from './modules/rbac/router.ts';
import { settingsRouter } from './modules/settings/router.ts';
import { statsRouter } from './modules/stats/router.ts';
import { usersRouter } from './modules/users/router.ts';
import { webhooksRouter } from './modules/webhooks/router.ts';
import { router } from './trpc/init.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  me: meRouter,
  rbac: rbacRouter,
  settings: settingsRouter,
  audit: auditRouter,
  webhooks: webhooksRouter,
  stats: statsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
