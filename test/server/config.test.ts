import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@ums/server';
import { describe, expect, it } from 'vitest';

const dataDir = () => mkdtempSync(join(tmpdir(), 'ums-config-'));

describe('configuration', () => {
  it('applies the defaults of the contract', () => {
    const dir = dataDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config).toMatchObject({
      databaseUrl: `pglite:${join(dir, 'db')}`,
      port: 3000,
      host: '127.0.0.1',
      registration: 'open',
      corsOrigins: [],
      rateLimitAuth: 30,
      loginLockout: 5,
      redisUrl: null,
      logLevel: 'info',
      accessTokenTtlSeconds: 900,
      bootstrapAdmin: null,
    });
  });

  it('generates the development JWT secret once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.jwtSecret.equals(first.jwtSecret)).toBe(true);
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8').trim()).toBe(first.jwtSecret.toString('hex'));
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@db:5432/app',
      PORT: '8080',
      HOST: '0.0.0.0',
      JWT_SECRET: 's'.repeat(32),
      BOOTSTRAP_ADMIN_EMAIL: ' Admin@Example.com ',
      BOOTSTRAP_ADMIN_PASSWORD: 'a-long-enough-password',
      REGISTRATION: 'closed',
      CORS_ORIGINS: 'https://a.example, https://b.example',
      RATE_LIMIT_AUTH: '0',
      LOGIN_LOCKOUT: '3',
      REDIS_URL: 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'debug',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgresql://u@db:5432/app',
      port: 8080,
      host: '0.0.0.0',
      bootstrapAdmin: { email: 'admin@example.com', password: 'a-long-enough-password' },
      registration: 'closed',
      corsOrigins: ['https://a.example', 'https://b.example'],
      rateLimitAuth: 0,
      loginLockout: 3,
      redisUrl: 'redis://127.0.0.1:6379',
      logLevel: 'debug',
    });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET is required in production/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short-but-not-32-bytes' }, /JWT_SECRET must be at least 32 bytes in production/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgresql:\/\//],
    [{ REGISTRATION: 'maybe' }, /REGISTRATION must be "open" or "closed"/],
    [{ RATE_LIMIT_AUTH: '-1' }, /RATE_LIMIT_AUTH must be a whole number/],
    [{ LOGIN_LOCKOUT: '0' }, /LOGIN_LOCKOUT must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must start with redis:\/\//],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.example' }, /must be set together/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.example', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /12 to 128 characters/],
  ])('rejects %j with one clear message', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });
});
