import { ZRevokeSessionInput, ZSessionList } from '@ums/contract';
import { z } from 'zod';
import { router } from '../../trpc/init.ts';
import { permissionProcedure } from '../../trpc/procedures.ts';
import { listSessions } from './list-sessions.ts';
import { revokeSession } from './revoke-session.ts';

const tags = ['me'];

/** `me.sessions`: the caller's own sessions. */
export const mySessionsRouter = router({
  list: permissionProcedure('user:read')
    .meta({ openapi: { method: 'GET', path: '/users/me/sessions', tags, summary: "The caller's live sessions" } })
    .input(z.void())
    .output(ZSessionList)
    .query(({ ctx }) => listSessions(ctx, { userId: ctx.auth.userId, currentSessionId: ctx.auth.sessionId })),
  revoke: permissionProcedure('user:update')
    .meta({
      openapi: { method: 'DELETE', path: '/users/me/sessions/{sessionId}', tags, summary: 'End one of your sessions' },
      successStatus: 204,
    })
    .input(ZRevokeSessionInput)
    .output(z.void())
    .mutation(({ ctx, input }) => revokeSession(ctx, { userId: ctx.auth.userId, sessionId: input.sessionId })),
});
