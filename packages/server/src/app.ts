import cors from '@fastify/cors';
import { createDb, type Db, WEBHOOK_KIND } from '@ums/db';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { Redis } from 'ioredis';
import { appRouter } from './app-router.ts';
import { type BackgroundTasks, createBackgroundTasks } from './background/background-tasks.ts';
import type { ServerConfig } from './config.ts';
import { createSecretBox } from './crypto/secret-box.ts';
import { registerAccessLog } from './http/access-log.ts';
import { registerAdminConsole } from './http/admin-console.ts';
import { createAuthRateLimiter } from './http/auth-rate-limiter.ts';
import { registerErrorHandlers } from './http/error-handler.ts';
import { registerHealth } from './http/health.ts';
import { registerJsonBodyParser } from './http/json-body.ts';
import { registerMetrics } from './http/metrics.ts';
import { registerRequestIdHeader, requestIdFor } from './http/request-id.ts';
import { REST_PREFIX, registerRestEndpoint } from './http/rest-endpoint.ts';
import { createRouteLabeler } from './http/route-label.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerTrpcEndpoint, TRPC_PREFIX } from './http/trpc-endpoint.ts';
import { registerHttpDrain } from './lifecycle/http-drain.ts';
import { createLifecycle, type Lifecycle } from './lifecycle/lifecycle.ts';
import { createTokenService } from './modules/auth/tokens.ts';
import { createErasureJob, ERASURE_KIND } from './modules/erasure/erasure-job.ts';
import { MAIL_KIND } from './modules/mail/enqueue-mail.ts';
import { createMailDelivery } from './modules/mail/mail-delivery.ts';
import { createMailTransport } from './modules/mail/mail-transport.ts';
import { createOutboxDispatcher } from './modules/outbox/outbox-dispatcher.ts';
import { createOutboxMetrics } from './modules/outbox/outbox-metrics.ts';
import { type ResolveHost, resolveWithSystemDns } from './modules/webhooks/target-guard.ts';
import { createWebhookDelivery } from './modules/webhooks/webhook-delivery.ts';
import { createWebhookWake } from './modules/webhooks/webhook-wake.ts';
import { createContextFactory } from './trpc/context.ts';

export interface BuildAppOptions {
  /** A database the caller owns (tests, main.ts after migrating). Without it the app opens config.databaseUrl and closes it. */
  db?: Db;
  /** Where log lines go (tests capture them; main.ts passes a non-blocking stdout); stdout by default. */
  logStream?: NodeJS.WritableStream | { write(line: string): void };
  /** Runs the work procedures do after answering; a caller that passes its own can wait for it (`drain`). */
  background?: BackgroundTasks;
  /** How webhook target host names are resolved (the SSRF guard checks every address); the system's DNS by default. */
  resolveHost?: ResolveHost;
  /** Draining or serving; main.ts passes its own to report what a timed-out shutdown left open. */
  lifecycle?: Lifecycle;
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
    // One access line per request instead (access-log.ts).
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    // httpBatchLink puts "a,b,c" in the path: the default 100 characters turns a batch of ~20 calls into a 414.
    routerOptions: { maxParamLength: 5000, ignoreTrailingSlash: true },
    // While draining, a request that arrives on a connection still open is served (with `Connection: close`,
    // http-drain.ts): the database is open until the last connection ends.
    return503OnClosing: false,
  });
  const lifecycle = options.lifecycle ?? createLifecycle();
  registerHttpDrain(app, lifecycle);

  const db =
    options.db ??
    (await createDb(config.databaseUrl, {
      poolSize: config.dbPoolSize,
      limits: config.dbLimits,
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

  // App-wide, in this order: the error handler and parser are inherited by the scopes registered after them.
  registerRequestIdHeader(app);
  registerJsonBodyParser(app);
  registerErrorHandlers(app);
  registerSecurityHeaders(app);
  await app.register(cors, {
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  const routeLabel = createRouteLabeler(appRouter, { trpcPrefix: TRPC_PREFIX, restPrefix: REST_PREFIX });
  const metrics = registerMetrics(app, routeLabel);
  registerAccessLog(app, routeLabel);
  registerHealth(app, db, lifecycle);

  // Deliveries: written to the outbox by the transaction of their change, sent after it commits by this
  // instance's dispatcher (or another's). Work answered before it is done (background) finishes before they stop.
  const secrets = createSecretBox(config.encryptionKey);
  const background =
    options.background ?? createBackgroundTasks((error, task) => app.log.error({ err: error, task }, 'background task failed'));
  const mailTransport = createMailTransport({ smtpUrl: config.mail.smtpUrl, dataDir: config.dataDir, log: app.log });
  if (!config.mail.smtpUrl && config.nodeEnv === 'production') {
    app.log.warn('SMTP_URL is not set: mail is written to files under DATA_DIR/mail and not delivered');
  }
  const resolveHost = options.resolveHost ?? resolveWithSystemDns;
  const outbox = createOutboxDispatcher({
    db,
    handlers: {
      [MAIL_KIND]: createMailDelivery({ config, secrets, transport: mailTransport }),
      [WEBHOOK_KIND]: createWebhookDelivery({ db, config, secrets, resolveHost }),
      [ERASURE_KIND]: createErasureJob({ db }),
    },
    pollMs: config.outbox.pollMs,
    leaseMs: config.outbox.leaseMs,
    log: app.log,
    metrics: createOutboxMetrics(metrics, db),
  });
  app.addHook('onReady', async () => outbox.start());
  lifecycle.trackOpenWork('backgroundTasks', background.pending);
  lifecycle.trackOpenWork('outboxDeliveriesInHand', outbox.inHand);
  // onClose hooks run last-registered first: this one before the database closes, after in-flight requests end.
  app.addHook('onClose', async () => {
    await background.drain();
    await outbox.stop();
    mailTransport.close();
  });

  // Each under its prefix: /trpc, /api/v1 (and /docs), /admin.
  const createContext = createContextFactory({
    db,
    config,
    tokens: createTokenService(config),
    secrets,
    outbox,
    background,
    webhooks: { resolveHost, wake: createWebhookWake(db, outbox) },
    authRateLimiter: await createAuthRateLimiter(app, { max: config.rateLimitAuth, redis }),
  });
  await registerTrpcEndpoint(app, appRouter, createContext);
  await registerRestEndpoint(app, appRouter, createContext, config.publicUrl);
  await registerAdminConsole(app);

  return app;
}
