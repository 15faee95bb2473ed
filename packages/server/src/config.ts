import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
  TRUST_PROXY: z.enum(['true', 'false']).default('false'),
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
  trustProxy: boolean;
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
    jwtSecret = developmentSecret(dataDir);
  }

  const email = e.BOOTSTRAP_ADMIN_EMAIL?.trim().toLowerCase();
  const password = e.BOOTSTRAP_ADMIN_PASSWORD;
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
    trustProxy: e.TRUST_PROXY === 'true',
  };
}

function developmentSecret(dataDir: string): Buffer {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48);
  writeFileSync(file, secret.toString('hex'), { mode: 0o600 });
  return secret;
}
