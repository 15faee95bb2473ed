import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DbLimits } from '@ums/db';
import { z } from 'zod';

const ZLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const integer = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max} (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    });

const flag = (name: string) => z.enum(['true', 'false'], { message: `${name} must be "true" or "false"` }).default('false');

const DURATION_UNITS_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

const parseDuration = (text: string): number => {
  const match = /^\s*(\d+)(ms|s|m|h)?\s*$/.exec(text);
  return match ? Number(match[1]) * DURATION_UNITS_MS[(match[2] ?? 'ms') as keyof typeof DURATION_UNITS_MS] : Number.NaN;
};

/** "5s", "500ms", "2m" or bare milliseconds ("3000", as PostgreSQL reads its own timeouts), from `min` to `max` ms. */
const duration = (name: string, fallback: string, minMs: number, maxMs: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = parseDuration(raw === undefined || raw.trim() === '' ? fallback : raw);
      if (!(value >= minMs && value <= maxMs)) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a duration like "5s" or "500ms" from ${minMs} ms to ${maxMs / 1000} s (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    });

/** "30s,2m,1h" → milliseconds, each step 1 ms to 7 days. */
const durationList = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      // Each step names its unit: a bare number in a retry schedule is more likely a mistake than milliseconds.
      const values = raw.split(',').map((step) => (/^\s*\d+(ms|s|m|h)\s*$/.test(step) ? parseDuration(step) : Number.NaN));
      if (values.length === 0 || values.some((ms) => !(ms >= 1 && ms <= 7 * 86_400_000))) {
        ctx.addIssue({ code: 'custom', message: `${name} must be durations like "30s,2m,1h" (got "${raw}")` });
        return z.NEVER;
      }
      return values;
    });

/** "5,300,1800" → milliseconds: seconds (fractions allowed, for tests), each step up to 7 days. */
const secondsList = (name: string, fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw, ctx) => {
      const values = raw.split(',').map((step) => (/^\s*\d+(\.\d+)?\s*$/.test(step) ? Math.round(Number(step) * 1000) : Number.NaN));
      if (values.some((ms) => !(ms >= 1 && ms <= 7 * 86_400_000))) {
        ctx.addIssue({ code: 'custom', message: `${name} must be seconds separated by commas, like "5,300,1800" (got "${raw}")` });
        return z.NEVER;
      }
      return values;
    });

/** The environment of API.md ("Configuration"), plus a few operational knobs documented in the README. */
const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^postgres(ql)?:\/\//.test(url), { message: 'DATABASE_URL must start with postgresql://' }),
  DATA_DIR: z.string().min(1).default('./.data'),
  PORT: integer('PORT', 3000, 0, 65535),
  HOST: z.string().min(1).default('127.0.0.1'),
  JWT_SECRET: z.string().optional(),
  BOOTSTRAP_ADMIN_EMAIL: z.string().optional(),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  REGISTRATION: z.enum(['open', 'closed'], { message: 'REGISTRATION must be "open" or "closed"' }).default('open'),
  CORS_ORIGINS: z.string().default(''),
  RATE_LIMIT_AUTH: integer('RATE_LIMIT_AUTH', 30, 0, 1_000_000),
  LOGIN_LOCKOUT: integer('LOGIN_LOCKOUT', 5, 1, 1000),
  REDIS_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^rediss?:\/\//.test(url), { message: 'REDIS_URL must start with redis://' }),
  LOG_LEVEL: ZLogLevel.default('info'),
  ACCESS_TOKEN_TTL: integer('ACCESS_TOKEN_TTL', 900, 30, 86_400),
  BODY_LIMIT: integer('BODY_LIMIT', 262_144, 1024, 10_485_760),
  DB_POOL_SIZE: integer('DB_POOL_SIZE', 10, 1, 200),
  DB_STATEMENT_TIMEOUT: duration('DB_STATEMENT_TIMEOUT', '5s', 100, 600_000),
  DB_LOCK_TIMEOUT: duration('DB_LOCK_TIMEOUT', '3s', 100, 600_000),
  DB_TRANSACTION_TIMEOUT: duration('DB_TRANSACTION_TIMEOUT', '10s', 100, 600_000),
  DB_POOL_WAIT: duration('DB_POOL_WAIT', '5s', 100, 600_000),
  DB_MAX_WAITING: integer('DB_MAX_WAITING', 1000, 1, 100_000),
  SHUTDOWN_TIMEOUT: duration('SHUTDOWN_TIMEOUT', '10s', 100, 3_600_000),
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
  ENCRYPTION_KEY: z.string().optional(),
  PUBLIC_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(url), {
      message: 'PUBLIC_URL must be an http:// or https:// URL without query',
    }),
  SMTP_URL: z
    .string()
    .optional()
    .refine((url) => !url || /^smtps?:\/\/[^/]+/.test(url), { message: 'SMTP_URL must start with smtp:// or smtps://' }),
  MAIL_FROM: z
    .string()
    .default('no-reply@localhost')
    .refine((from) => /^([^<>@\n]*<)?[^\s<>@]+@[^\s<>@]+>?$/.test(from.trim()), {
      message: 'MAIL_FROM must be an address, or "Name <address>"',
    }),
  PRODUCT_NAME: z.string().trim().min(1).max(80).default('User Management'),
  REQUIRE_EMAIL_VERIFICATION: flag('REQUIRE_EMAIL_VERIFICATION'),
  MAIL_RETRY_SCHEDULE: durationList('MAIL_RETRY_SCHEDULE', '30s,2m,10m,30m,1h,2h,6h,12h'),
  OUTBOX_POLL_MS: integer('OUTBOX_POLL_MS', 2000, 50, 60_000),
  OUTBOX_LEASE_SECONDS: integer('OUTBOX_LEASE_SECONDS', 60, 1, 3600),
  WEBHOOK_RETRY_SCHEDULE: secondsList('WEBHOOK_RETRY_SCHEDULE', '5,300,1800,7200,18000,36000'),
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag('WEBHOOK_ALLOW_PRIVATE_NETWORKS'),
  REAUTH_MAX_AGE: integer('REAUTH_MAX_AGE', 600, 1, 86_400),
  ERASURE_GRACE_DAYS: integer('ERASURE_GRACE_DAYS', 30, 0, 3650),
  WEBAUTHN_RP_ID: z.string().trim().toLowerCase().optional(),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(80).optional(),
  WEBAUTHN_ORIGINS: z.string().optional(),
});

export interface ServerConfig {
  nodeEnv: 'development' | 'production' | 'test';
  /** `postgresql://…`, or `pglite:<dir>` / `pglite:memory` for the embedded database. */
  databaseUrl: string;
  dataDir: string;
  port: number;
  host: string;
  jwtSecret: Buffer;
  jwtIssuer: string;
  jwtAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  bootstrapAdmin: { email: string; password: string } | null;
  registration: 'open' | 'closed';
  corsOrigins: string[];
  /** Requests per minute per client address on the auth routes; 0 = off. */
  rateLimitAuth: number;
  /** Failed logins in a row before the account locks. */
  loginLockout: number;
  redisUrl: string | null;
  logLevel: z.infer<typeof ZLogLevel>;
  bodyLimit: number;
  dbPoolSize: number;
  /** Statement, lock and transaction timeouts, the pool wait and the bound on its queue: past each, a 503. */
  dbLimits: DbLimits;
  /** How long a SIGTERM/SIGINT drain may take before the process exits 1 naming what was still open. */
  shutdownTimeoutMs: number;
  trustProxy: boolean;
  /** Seals secrets kept at rest (a mailed link's token until it is sent; TOTP and webhook secrets). */
  encryptionKey: Buffer;
  /** The base of every link the service mails, without a trailing slash. */
  publicUrl: string;
  mail: {
    /** `smtp://…` / `smtps://…`; null = write each message as an .eml file under `DATA_DIR/mail/`. */
    smtpUrl: string | null;
    from: string;
    productName: string;
    /** Wait before each retry of a failed delivery; past the last, the message has failed for good. */
    retryScheduleMs: number[];
  };
  requireEmailVerification: boolean;
  webhooks: {
    /** Wait before each retry of a failed delivery; past the last, the delivery has failed for good. */
    retryScheduleMs: number[];
    /** Development and tests: `http:` targets and private, loopback and link-local addresses are allowed. */
    allowPrivateNetworks: boolean;
  };
  /** How long a proven factor counts as "recent" for step-up procedures, in seconds. */
  reauthMaxAgeSeconds: number;
  /** Days between `me.delete` (the account is deactivated at once) and its erasure. */
  erasureGraceDays: number;
  /** The WebAuthn relying party: passkeys are bound to `rpId` and accepted only from `origins`. */
  webauthn: WebAuthnConfig;
  outbox: {
    /** How often each instance looks for due deliveries (commits in this instance wake it at once). */
    pollMs: number;
    /** How long a claim holds a message: a claimant that dies lets it go after this. */
    leaseMs: number;
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads and validates the configuration once. Throws ConfigError with one line naming the bad variable.
 * In development the JWT secret is generated once and kept in DATA_DIR, so tokens survive a restart.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): ServerConfig {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'configuration';
    const message = issue?.message ?? 'invalid';
    throw new ConfigError(message.includes(name) ? message : `${name}: ${message}`);
  }
  const e = parsed.data;
  const dataDir = resolve(cwd, e.DATA_DIR);
  const production = e.NODE_ENV === 'production';

  let jwtSecret: Buffer;
  if (e.JWT_SECRET) {
    if (Buffer.byteLength(e.JWT_SECRET) < 32 && production) throw new ConfigError('JWT_SECRET must be at least 32 bytes in production');
    if (Buffer.byteLength(e.JWT_SECRET) < 16) throw new ConfigError('JWT_SECRET must be at least 16 bytes');
    jwtSecret = Buffer.from(e.JWT_SECRET);
  } else if (production) {
    throw new ConfigError('JWT_SECRET is required in production (at least 32 bytes)');
  } else {
    jwtSecret = developmentSecret(dataDir, 'jwt-secret', 48);
  }

  const encryptionKey = secretFromEnv(e.ENCRYPTION_KEY, 'ENCRYPTION_KEY', { production, dataDir, file: 'encryption-key', bytes: 32 });

  const email = e.BOOTSTRAP_ADMIN_EMAIL?.trim().toLowerCase();
  const password = e.BOOTSTRAP_ADMIN_PASSWORD;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  if (Boolean(email) !== Boolean(password)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD must be set together');
  }
  if (password && (password.length < 12 || password.length > 128)) {
    throw new ConfigError('BOOTSTRAP_ADMIN_PASSWORD must be 12 to 128 characters');
  }
  if (email && !z.email().safeParse(email).success) throw new ConfigError('BOOTSTRAP_ADMIN_EMAIL must be an email address');

  return {
    nodeEnv: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL || `pglite:${join(dataDir, 'db')}`,
    dataDir,
    port: e.PORT,
    host: e.HOST,
    jwtSecret,
    jwtIssuer: 'user-management-service',
    jwtAudience: 'user-management-api',
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: 30 * 24 * 3600,
    bootstrapAdmin: email && password ? { email, password } : null,
    registration: e.REGISTRATION,
    corsOrigins: e.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    rateLimitAuth: e.RATE_LIMIT_AUTH,
    loginLockout: e.LOGIN_LOCKOUT,
    redisUrl: e.REDIS_URL || null,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    dbPoolSize: e.DB_POOL_SIZE,
    dbLimits: {
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT,
      lockTimeoutMs: e.DB_LOCK_TIMEOUT,
      transactionTimeoutMs: e.DB_TRANSACTION_TIMEOUT,
      poolWaitMs: e.DB_POOL_WAIT,
      maxWaiting: e.DB_MAX_WAITING,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT,
    trustProxy: e.TRUST_PROXY === 'true',
    encryptionKey,
    publicUrl,
    mail: { smtpUrl: e.SMTP_URL || null, from: e.MAIL_FROM.trim(), productName: e.PRODUCT_NAME, retryScheduleMs: e.MAIL_RETRY_SCHEDULE },
    requireEmailVerification: e.REQUIRE_EMAIL_VERIFICATION === 'true',
    reauthMaxAgeSeconds: e.REAUTH_MAX_AGE,
    erasureGraceDays: e.ERASURE_GRACE_DAYS,
    webauthn: webauthnConfig(e, publicUrl),
    outbox: { pollMs: e.OUTBOX_POLL_MS, leaseMs: e.OUTBOX_LEASE_SECONDS * 1000 },
    webhooks: {
      retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE,
      allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true',
    },
  };
}

export interface WebAuthnConfig {
  rpId: string;
  rpName: string;
  origins: string[];
}

/**
 * The relying party: defaults from PUBLIC_URL (its host, its origin). A passkey made for an RP ID can only be used on
 * that host or its subdomains, so an RP ID that is not the host (or a parent domain) of every origin stops the start.
 */
function webauthnConfig(e: z.infer<typeof ZEnv>, publicUrl: string): WebAuthnConfig {
  const origins = (e.WEBAUTHN_ORIGINS ?? new URL(publicUrl).origin)
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean)
    .map((origin) => {
      const url = URL.canParse(origin) ? new URL(origin) : null;
      if (!url || !/^https?:$/.test(url.protocol) || url.origin !== origin.replace(/\/+$/, '')) {
        throw new ConfigError(`WEBAUTHN_ORIGINS must be comma-separated origins such as https://example.com (got "${origin}")`);
      }
      return url.origin;
    });
  if (origins.length === 0) throw new ConfigError('WEBAUTHN_ORIGINS must name at least one origin');
  const rpId = e.WEBAUTHN_RP_ID || new URL(publicUrl).hostname;
  for (const origin of origins) {
    const host = new URL(origin).hostname;
    if (host !== rpId && !host.endsWith(`.${rpId}`)) {
      throw new ConfigError(
        `WEBAUTHN_RP_ID "${rpId}" must be the host of every WEBAUTHN_ORIGINS origin or a parent domain of it (not of ${origin})`,
      );
    }
  }
  return { rpId, rpName: e.WEBAUTHN_RP_NAME ?? e.PRODUCT_NAME, origins };
}

/** A key from the environment; in development, generated once and kept in DATA_DIR when not set. */
function secretFromEnv(
  value: string | undefined,
  name: string,
  { production, dataDir, file, bytes }: { production: boolean; dataDir: string; file: string; bytes: number },
): Buffer {
  if (value) {
    if (Buffer.byteLength(value) < 32) throw new ConfigError(`${name} must be at least 32 bytes`);
    return Buffer.from(value);
  }
  if (production) throw new ConfigError(`${name} is required in production (at least 32 bytes)`);
  return developmentSecret(dataDir, file, bytes);
}

function developmentSecret(dataDir: string, name: string, bytes: number): Buffer {
  const file = join(dataDir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(bytes);
  // Written whole under a private name, then linked into place (link fails if the name exists): of several
  // instances starting at once on one DATA_DIR, the first one's key wins and the others read all of it.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, secret.toString('hex'), { mode: 0o600 });
  try {
    linkSync(draft, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  } finally {
    unlinkSync(draft);
  }
}
