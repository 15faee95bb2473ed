import { randomBytes } from 'node:crypto';
import { productionLaunch } from '../../apps/server/scripts/production-launch.ts';
import { freePort } from '../../test/support/free-port.ts';
import { repoRoot } from './environment.ts';
import { type ChildServer, startServer } from './server-process.ts';

export interface ShippedServerOptions {
  databaseUrl: string;
  jwtSecret: string;
  /** Added to (or overriding) the shipped environment: pool size, lockout, public URL… */
  env?: Record<string, string>;
  /** Node flags before the shipped ones (e.g. `--cpu-prof`). */
  nodeFlags?: string[];
}

/**
 * The real server as `pnpm start` runs it (the compiled entry with bin/start's Node flags and environment settings,
 * read from it by productionLaunch), in production with a fresh ENCRYPTION_KEY and the default LOG_LEVEL: one
 * access line per request, as shipped. The auth rate limit is off: every bench caller comes from 127.0.0.1.
 */
export async function startShippedServer({ databaseUrl, jwtSecret, env = {}, nodeFlags = [] }: ShippedServerOptions): Promise<ChildServer> {
  const launch = productionLaunch();
  return startServer({
    name: 'server',
    cwd: repoRoot,
    args: [...nodeFlags, ...launch.args],
    port: await freePort(),
    env: {
      ...launch.env,
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      // Production refuses to start without a key for the secrets it keeps at rest (the outbox's sealed links).
      ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      NODE_ENV: 'production',
      RATE_LIMIT_AUTH: '0',
      ...env,
    },
  });
}
