import { spawnSync } from 'node:child_process';
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
      publicUrl: 'http://localhost:3000',
      mail: { smtpUrl: null, from: 'no-reply@localhost', productName: 'User Management' },
      requireEmailVerification: false,
      dbLimits: { statementTimeoutMs: 5000, lockTimeoutMs: 3000, transactionTimeoutMs: 10_000, poolWaitMs: 5000, maxWaiting: 1000 },
      shutdownTimeoutMs: 10_000,
      erasureGraceDays: 30,
    });
    expect(loadConfig({ DATA_DIR: dir, ERASURE_GRACE_DAYS: '0' }).erasureGraceDays).toBe(0);
  });

  it('reads the database limits and the shutdown timeout as durations: a unit, or bare milliseconds', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      DB_STATEMENT_TIMEOUT: '2s',
      DB_LOCK_TIMEOUT: '750ms',
      DB_TRANSACTION_TIMEOUT: '1m',
      DB_POOL_WAIT: '1500',
      DB_MAX_WAITING: '50',
      SHUTDOWN_TIMEOUT: '30s',
    });
    expect(config.dbLimits).toEqual({
      statementTimeoutMs: 2000,
      lockTimeoutMs: 750,
      transactionTimeoutMs: 60_000,
      poolWaitMs: 1500,
      maxWaiting: 50,
    });
    expect(config.shutdownTimeoutMs).toBe(30_000);
  });

  it('generates the development encryption key once and keeps it in DATA_DIR', () => {
    const dir = dataDir();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.encryptionKey.length).toBe(32);
    expect(loadConfig({ DATA_DIR: dir }).encryptionKey.equals(first.encryptionKey)).toBe(true);
    expect(readFileSync(join(dir, 'encryption-key'), 'utf8').trim()).toBe(first.encryptionKey.toString('hex'));
  });

  it('reads the mail variables; PUBLIC_URL defaults to localhost on PORT', () => {
    const config = loadConfig({
      DATA_DIR: dataDir(),
      PORT: '8080',
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      MAIL_FROM: 'Acme Accounts <accounts@acme.example>',
      PRODUCT_NAME: 'Acme',
      REQUIRE_EMAIL_VERIFICATION: 'true',
      MAIL_RETRY_SCHEDULE: '500ms,10s,2m,1h',
      OUTBOX_LEASE_SECONDS: '5',
    });
    expect(config).toMatchObject({
      publicUrl: 'http://localhost:8080',
      mail: {
        smtpUrl: 'smtps://user:pass@mail.example.com:465',
        from: 'Acme Accounts <accounts@acme.example>',
        productName: 'Acme',
        retryScheduleMs: [500, 10_000, 120_000, 3_600_000],
      },
      requireEmailVerification: true,
      outbox: { leaseMs: 5000 },
    });
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://id.example.com/' }).publicUrl).toBe('https://id.example.com');
  });

  it('takes the WebAuthn relying party from PUBLIC_URL, or from WEBAUTHN_* when the RP ID fits every origin', () => {
    expect(loadConfig({ DATA_DIR: dataDir(), PORT: '8080' }).webauthn).toEqual({
      rpId: 'localhost',
      rpName: 'User Management',
      origins: ['http://localhost:8080'],
    });
    expect(loadConfig({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://id.example.com/base', PRODUCT_NAME: 'Acme' }).webauthn).toEqual({
      rpId: 'id.example.com',
      rpName: 'Acme',
      origins: ['https://id.example.com'],
    });
    const parent = loadConfig({
      DATA_DIR: dataDir(),
      WEBAUTHN_RP_ID: 'example.com',
      WEBAUTHN_RP_NAME: 'Example',
      WEBAUTHN_ORIGINS: 'https://example.com, https://app.example.com',
    }).webauthn;
    expect(parent).toEqual({ rpId: 'example.com', rpName: 'Example', origins: ['https://example.com', 'https://app.example.com'] });
    for (const env of [
      { WEBAUTHN_RP_ID: 'example.com' },
      { WEBAUTHN_RP_ID: 'example.com', WEBAUTHN_ORIGINS: 'https://example.com,https://badexample.com' },
      { WEBAUTHN_ORIGINS: 'not a url' },
      { WEBAUTHN_ORIGINS: 'https://example.com/path' },
    ]) {
      expect(() => loadConfig({ DATA_DIR: dataDir(), ...env }), JSON.stringify(env)).toThrow(ConfigError);
    }
  });

  it('an RP ID that does not fit the origins stops the start: one line naming the variable, exit code 1', () => {
    const started = spawnSync('npx', ['tsx', 'apps/server/src/main.ts'], {
      env: { ...process.env, DATA_DIR: dataDir(), PUBLIC_URL: 'http://localhost:3000', WEBAUTHN_RP_ID: 'example.com', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(started.status).toBe(1);
    const lines = started.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/WEBAUTHN_RP_ID "example.com" must be the host of every WEBAUTHN_ORIGINS origin/);
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
      ENCRYPTION_KEY: 'k'.repeat(32),
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
    [{ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) }, /ENCRYPTION_KEY is required in production/],
    [{ ENCRYPTION_KEY: 'too-short' }, /ENCRYPTION_KEY must be at least 32 bytes/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http/],
    [{ MAIL_FROM: 'nobody' }, /MAIL_FROM must be an address/],
    [{ REQUIRE_EMAIL_VERIFICATION: 'yes' }, /REQUIRE_EMAIL_VERIFICATION must be "true" or "false"/],
    [{ MAIL_RETRY_SCHEDULE: '10s,soon' }, /MAIL_RETRY_SCHEDULE must be durations/],
    [{ MAIL_RETRY_SCHEDULE: '10s,30' }, /MAIL_RETRY_SCHEDULE must be durations/],
    [{ DB_STATEMENT_TIMEOUT: 'soon' }, /DB_STATEMENT_TIMEOUT must be a duration like "5s" or "500ms" from 100 ms to 600 s \(got "soon"\)/],
    [{ DB_LOCK_TIMEOUT: '10ms' }, /DB_LOCK_TIMEOUT must be a duration/],
    [{ DB_TRANSACTION_TIMEOUT: '2h' }, /DB_TRANSACTION_TIMEOUT must be a duration/],
    [{ DB_POOL_WAIT: '-1s' }, /DB_POOL_WAIT must be a duration/],
    [{ DB_MAX_WAITING: '0' }, /DB_MAX_WAITING must be a whole number from 1 to 100000/],
    [{ SHUTDOWN_TIMEOUT: '10 seconds' }, /SHUTDOWN_TIMEOUT must be a duration/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short-but-not-32-bytes' }, /JWT_SECRET must be at least 32 bytes in production/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgresql:\/\//],
    [{ REGISTRATION: 'maybe' }, /REGISTRATION must be "open" or "closed"/],
    [{ RATE_LIMIT_AUTH: '-1' }, /RATE_LIMIT_AUTH must be a whole number/],
    [{ LOGIN_LOCKOUT: '0' }, /LOGIN_LOCKOUT must be a whole number/],
    [{ ERASURE_GRACE_DAYS: '-1' }, /ERASURE_GRACE_DAYS must be a whole number from 0 to 3650/],
    [{ ERASURE_GRACE_DAYS: '1.5' }, /ERASURE_GRACE_DAYS must be a whole number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ REDIS_URL: 'http://x' }, /REDIS_URL must start with redis:\/\//],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.example' }, /must be set together/],
    [{ BOOTSTRAP_ADMIN_EMAIL: 'a@b.example', BOOTSTRAP_ADMIN_PASSWORD: 'short' }, /12 to 128 characters/],
  ])('rejects %j with one clear message', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: dataDir(), ...env })).toThrow(message);
  });
});
