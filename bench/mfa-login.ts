// `pnpm bench:mfa`: sign-in with MFA (both steps: password, then a TOTP code) beside plain sign-in, against the
// compiled server on a fresh PostgreSQL database. A closed loop of CONNECTIONS workers per run; each TOTP code is
// computed here as a phone would, and each user's time step is used once (the server refuses a replay), so the MFA
// users are many and each signs in at most twice per 30-second step.
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { createBenchDatabase } from './lib/database.ts';
import { startShippedServer } from './lib/shipped-server.ts';

const CONNECTIONS = Number(process.env.BENCH_MFA_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_MFA_SECONDS ?? 10);
const MFA_USERS = Number(process.env.BENCH_MFA_USERS ?? 240);
const PASSWORD = 'bench-password-do-not-use';

const step = () => Math.floor(Date.now() / 30_000);
const code = (secret: string, at: number) =>
  new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({ timestamp: at * 30_000 + 1 });

async function post(baseUrl: string, path: string, body: unknown, token?: string) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

interface MfaUser {
  email: string;
  secret: string;
  /** The last step used for this user: the next sign-in needs a later one. */
  lastStep: number;
}

/** Runs `iteration` in a closed loop on CONNECTIONS workers for SECONDS; latencies of the successful ones. */
async function closedLoop(iteration: () => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  const until = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        if (await iteration()) latencies.push(performance.now() - started);
        else failures++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { perSecond: latencies.length / SECONDS, p50: at(0.5), p95: at(0.95), done: latencies.length, failures };
}

async function main() {
  const database = await createBenchDatabase();
  const app = await startShippedServer({
    databaseUrl: database.url,
    jwtSecret: randomBytes(32).toString('hex'),
    env: { LOGIN_LOCKOUT: '1000', PUBLIC_URL: 'http://127.0.0.1' },
  });
  try {
    const base = app.baseUrl;
    const register = async (email: string) => {
      const res = await post(base, '/auth/register', { email, password: PASSWORD });
      if (res.status !== 201) throw new Error(`register ${email}: ${res.status}`);
      return res.body.accessToken as string;
    };
    const plain = Array.from({ length: 20 }, (_, i) => `plain.${i}@bench.example`);
    for (const email of plain) await register(email);
    const users: MfaUser[] = [];
    for (let i = 0; i < MFA_USERS; i++) {
      const email = `mfa.${i}@bench.example`;
      const token = await register(email);
      const setup = await post(base, '/users/me/mfa/totp/setup', undefined, token);
      const confirmStep = step() - 1;
      const confirmed = await post(base, '/users/me/mfa/totp/confirm', { code: code(setup.body.secret, confirmStep) }, token);
      if (confirmed.status !== 200) throw new Error(`confirm ${email}: ${confirmed.status}`);
      users.push({ email, secret: setup.body.secret, lastStep: confirmStep });
    }
    console.log(`seeded ${plain.length} plain and ${users.length} MFA users; ${CONNECTIONS} workers, ${SECONDS} s per run`);

    let p = 0;
    const plainRun = await closedLoop(async () => {
      const res = await post(base, '/auth/login', { email: plain[p++ % plain.length], password: PASSWORD });
      return res.status === 200 && typeof res.body.accessToken === 'string';
    });

    let next = 0;
    const stepTimes: number[] = [];
    const mfaRun = await closedLoop(async () => {
      // The next user with a step still free inside the server's window (now or the next step).
      for (let tries = 0; tries < users.length; tries++) {
        const user = users[next++ % users.length] as MfaUser;
        const use = Math.max(step(), user.lastStep + 1);
        if (use > step() + 1) continue;
        user.lastStep = use;
        const first = await post(base, '/auth/login', { email: user.email, password: PASSWORD });
        const started = performance.now();
        const second = await post(base, '/auth/mfa/verify', { mfaToken: first.body?.mfaToken, code: code(user.secret, use) });
        stepTimes.push(performance.now() - started);
        return first.status === 200 && second.status === 200 && typeof second.body.accessToken === 'string';
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      return false;
    });
    stepTimes.sort((a, b) => a - b);
    const verifyP50 = stepTimes[Math.floor(stepTimes.length / 2)] ?? Number.NaN;

    const row = (name: string, r: Awaited<ReturnType<typeof closedLoop>>) =>
      `| ${name} | ${r.perSecond.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.done} | ${r.failures} |`;
    console.log('| sign-in | per second | P50 ms | P95 ms | done | failed |');
    console.log('|---|---|---|---|---|---|');
    console.log(row('password only (auth.login)', plainRun));
    console.log(row('password + TOTP (auth.login, auth.mfa.verify)', mfaRun));
    console.log(`auth.mfa.verify alone: P50 ${verifyP50.toFixed(1)} ms over ${stepTimes.length} calls`);
  } finally {
    await app.stop();
    await database.drop();
  }
}

await main();
