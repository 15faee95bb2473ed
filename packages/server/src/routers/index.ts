import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { router } from '../trpc/init.ts';
import { meRouter } from './me.ts';

// `me` comes before `users`: REST matches paths in this order, and /users/me… must win over /users/{id}.
export const appRouter = router({
  me: meRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
