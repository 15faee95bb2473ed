import { Readable } from 'node:stream';
import type { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server/unstable-core-do-not-import';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { exportDocumentChunks } from '../modules/export/export-document.ts';
import { exportStartRouter } from '../modules/export/export-procedures.ts';
import type { ExportHead } from '../modules/export/start-user-export.ts';
import type { Context } from '../trpc/context.ts';
import { createRestResponseMeta } from '../trpc/response-meta.ts';

interface ExportRouteOptions {
  createContext: (opts: { req: FastifyRequest }) => Context;
  /** What the REST endpoint does with every procedure error (logs a fault, warns of an undocumented status). */
  reportError: (request: FastifyRequest, path: string, error: TRPCError) => void;
}

type ExportPath = 'me.export' | 'users.export';

const restMeta = createRestResponseMeta(exportStartRouter);

/**
 * GET /users/me/export and GET /users/{id}/export, streamed: Fastify prefers these exact routes to the REST
 * adapter's wildcard, so the procedures of the same name serve tRPC only (the REST document still describes these
 * routes from them). Before the first byte, the export's start procedure runs with the same guards, input parsing and
 * error mapping as every procedure, and its errors are answered in the body the REST adapter gives every other
 * error. Then the document is written as it is read, so memory stays flat whatever the person's history.
 */
export function registerExportRoutes(scope: FastifyInstance, { createContext, reportError }: ExportRouteOptions) {
  // No HEAD twin: a HEAD would record an export that sends nothing.
  scope.get('/users/me/export', { exposeHeadRoute: false }, (request, reply) =>
    streamExport(request, reply, 'me.export', undefined, (ctx) => exportStartRouter.createCaller(ctx).me()),
  );
  scope.get('/users/:id/export', { exposeHeadRoute: false }, (request, reply) => {
    // As the REST adapter reads a GET's input: the query string, one value per key unless repeated, then the path.
    const input = { ...queryOf(request), ...(request.params as Record<string, string>) };
    return streamExport(request, reply, 'users.export', input, (ctx) =>
      // The start procedure parses it (ZUserIdInput): whatever was sent, only a valid `{ id }` gets through.
      exportStartRouter.createCaller(ctx).user(input as { id: string }),
    );
  });

  async function streamExport(
    request: FastifyRequest,
    reply: FastifyReply,
    path: ExportPath,
    input: unknown,
    start: (ctx: Context) => Promise<ExportHead>,
  ) {
    const ctx = createContext({ req: request });
    let head: ExportHead;
    try {
      head = await start(ctx);
    } catch (cause) {
      return sendError(request, reply, path, input, ctx, getTRPCErrorFromUnknown(cause));
    }
    return (
      reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${exportFileName(head)}"`)
        .header('cache-control', 'no-store')
        // One batch read ahead at most: the next page is read only once the connection has taken the last one.
        .send(Readable.from(loggedChunks(request, exportDocumentChunks(ctx, head)), { highWaterMark: 1 }))
    );
  }

  /** The REST adapter's error answer (trpc-to-openapi's node-http core), field for field. */
  function sendError(request: FastifyRequest, reply: FastifyReply, path: ExportPath, input: unknown, ctx: Context, error: TRPCError) {
    reportError(request, path, error);
    const status = getHTTPStatusCodeFromError(error);
    const shape = getErrorShape({ config: exportStartRouter._def._config, error, type: 'query', path, input, ctx });
    const isInputValidationError = error.code === 'BAD_REQUEST' && error.cause instanceof Error && error.cause.name === 'ZodError';
    const { headers } = restMeta({ ctx, paths: [path], errors: [error] });
    return reply
      .code(status)
      .headers(headers)
      .header('content-type', 'application/json')
      .send({
        ...shape,
        message: isInputValidationError ? 'Input validation failed' : shape.message,
        code: error.code,
        issues: isInputValidationError ? (error.cause as Error & { issues?: unknown }).issues : undefined,
      });
  }
}

/** `user-export-<id>-<yyyy-mm-dd>.json`: what the file is, whose, and when, in characters every system accepts. */
const exportFileName = (head: ExportHead) => `user-export-${head.user.id}-${head.exportedAt.slice(0, 10)}.json`;

function queryOf(request: FastifyRequest): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (value) query[key] = Array.isArray(value) && value.length === 1 ? value[0] : value;
  }
  return query;
}

/**
 * Once the first byte is out the status cannot change: a failure cuts the body short (the client sees a broken
 * response, never a complete-looking document) and is logged here with the request's id.
 */
async function* loggedChunks(request: FastifyRequest, chunks: AsyncGenerator<string>): AsyncGenerator<string> {
  try {
    yield* chunks;
  } catch (error) {
    request.log.error({ err: error }, 'export failed after the answer started');
    throw error;
  }
}
