import cors from '@fastify/cors';
import { createDb, type Db } from '@ums/db';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { appRouter } from './app-router.ts';
import type { ServerConfig } from './config.ts';
import { registerAdminConsole } from './http/admin-console.ts';
import { registerErrorHandlers } from './http/errors.ts';
import { registerHealth } from './http/health.ts';
import { registerMetrics } from './http/metrics.ts';
import { REST_PREFIX, registerRest } from './http/openapi.ts';
import { registerAuthRateLimit } from './http/rate-limit.ts';
import { requestIdFor } from './http/request-id.ts';
import { createRouteLabeler } from './http/route-label.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerTrpc } from './http/trpc.ts';
import { createTokenService } from './modules/auth/tokens.ts';
import { createContextFactory } from './trpc/context.ts';
import { findUnsafeInput } from './trpc/input-guard.ts';

export interface BuildAppOptions {
  /** A database the caller owns (tests, main.ts after migrating). Without it the app opens config.databaseUrl and closes it. */
  db?: Db;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
}

// Never logged, whatever a log line carries.
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.refreshToken',
  '*.accessToken',
  '*.tokenHash',
];

/** Builds the whole HTTP service; never listens (main.ts does). Everything it opens closes in onClose. */
export async function buildApp(config: ServerConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Only the path of a URL is logged: a query string can carry input (even a password sent to the wrong verb).
      serializers: {
        req: (request: FastifyRequest) => ({ method: request.method, url: request.url.split('?')[0], remoteAddress: request.ip }),
      },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // httpBatchLink puts "a,b,c" in the path: the default 100 characters turns a batch of ~20 calls into a 414.
    routerOptions: { maxParamLength: 5000, ignoreTrailingSlash: true },
    return503OnClosing: true,
  });

  const db =
    options.db ??
    (await createDb(config.databaseUrl, {
      poolSize: config.dbPoolSize,
      onPoolError: (error) => app.log.warn({ err: error }, 'database connection error'),
    }));
  if (!options.db) app.addHook('onClose', () => db.close());

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: false })
    : null;
  if (redis) {
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis error'));
    app.addHook('onClose', async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
  }

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  // An empty JSON body means "no input" (REST procedures without one); anything else goes through Fastify's
  // parser, which rejects __proto__ and constructor.prototype keys.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, (error, body) => {
      if (error) return done(error, undefined);
      // Checked here as well as in the procedures: the REST adapter re-serialises bodies before they get there.
      const problem = findUnsafeInput(body);
      if (problem) return done(Object.assign(new Error('Input validation failed'), { statusCode: 400, issues: [problem] }), undefined);
      return done(null, body);
    });
  });

  registerErrorHandlers(app);
  registerSecurityHeaders(app);
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });

  registerMetrics(app, createRouteLabeler(appRouter, REST_PREFIX));
  registerHealth(app, db);

  const createContext = createContextFactory({ db, config, tokens: createTokenService(config) });
  await registerAuthRateLimit(app, { max: config.rateLimitAuth, redis });
  await registerTrpc(app, appRouter, createContext);
  await registerRest(app, appRouter, createContext);
  await registerAdminConsole(app);

  return app;
}
