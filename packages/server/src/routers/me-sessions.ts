import { ZRevokeSessionInput, ZSessionList } from '@ums/contract';
import { z } from 'zod';
import { listSessions } from '../services/users/list-sessions.ts';
import { revokeSession } from '../services/users/revoke-session.ts';
import { router } from '../trpc/init.ts';
import { permissionProcedure } from '../trpc/procedures.ts';

const tags = ['me'];

export const meSessionsRouter = router({
  list: permissionProcedure('user:read')
    .meta({ openapi: { method: 'GET', path: '/users/me/sessions', tags, summary: "The caller's live sessions" } })
    .input(z.void())
    .output(ZSessionList)
    .query(({ ctx }) => listSessions(ctx.db, { userId: ctx.auth.userId, currentSessionId: ctx.auth.sessionId })),
  revoke: permissionProcedure('user:update')
    .meta({
      openapi: { method: 'DELETE', path: '/users/me/sessions/{sessionId}', tags, summary: 'End one of your sessions' },
      successStatus: 204,
    })
    .input(ZRevokeSessionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => revokeSession(ctx.db, ctx.actor, { userId: ctx.auth.userId, sessionId: input.sessionId })),
});
