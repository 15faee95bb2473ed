import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { rest, trpc } from '../support/client.ts';
import { awayFromStepEdge, currentStep, totpCode } from '../support/totp.ts';
import { createSignedInUser } from '../support/users.ts';

// The MFA side of no-secrets.test.ts: every MFA flow at trace level, then a scan of the responses, the log lines
// and the audit trail for the TOTP secret, the recovery codes and the mfaTokens (and their stored forms).

let t: TestApp;
const responses: { label: string; res: LightMyRequestResponse }[] = [];
const secrets = { totp: [] as string[], otpauthUrls: [] as string[], recoveryCodes: [] as string[], mfaTokens: [] as string[] };

async function call(label: string, send: () => Promise<LightMyRequestResponse>) {
  const res = await send();
  responses.push({ label, res });
  const body = JSON.parse(res.body || 'null');
  const data = body?.result?.data ?? body;
  if (typeof data?.secret === 'string') secrets.totp.push(data.secret);
  if (typeof data?.otpauthUrl === 'string') secrets.otpauthUrls.push(data.otpauthUrl);
  if (Array.isArray(data?.recoveryCodes)) secrets.recoveryCodes.push(...data.recoveryCodes);
  if (typeof data?.mfaToken === 'string') secrets.mfaTokens.push(data.mfaToken);
  return { res, data };
}

/** The forms a recovery code might be written in: as shown, without dashes, upper case. */
const recoveryForms = () => secrets.recoveryCodes.flatMap((code) => [code, code.replace(/-/g, ''), code.toUpperCase()]);

beforeAll(async () => {
  t = await createTestApp({ LOG_LEVEL: 'trace' });
  const user = await createSignedInUser(t.db.prisma, t.config);
  const headers = user.headers;
  const login = { email: user.email, password: user.password };

  const setup = await call('setup', () => rest(t.app, 'POST', '/users/me/mfa/totp/setup', { headers }));
  const secret: string = setup.data.secret;
  await call('confirm wrong', () => rest(t.app, 'POST', '/users/me/mfa/totp/confirm', { headers, body: { code: '000000' } }));
  await awayFromStepEdge();
  await call('confirm', () =>
    trpc(t.app, 'mutation', 'me.mfa.totp.confirm', { headers, input: { code: totpCode(secret, currentStep() - 1) } }),
  );
  const first = await call('login', () => rest(t.app, 'POST', '/auth/login', { body: login }));
  await call('verify wrong', () => rest(t.app, 'POST', '/auth/mfa/verify', { body: { mfaToken: first.data.mfaToken, code: '000000' } }));
  await call('verify', () =>
    trpc(t.app, 'mutation', 'auth.mfa.verify', { input: { mfaToken: first.data.mfaToken, code: totpCode(secret) } }),
  );
  const second = await call('login tRPC', () => trpc(t.app, 'mutation', 'auth.login', { input: login }));
  await call('verify recovery', () =>
    rest(t.app, 'POST', '/auth/mfa/verify', { body: { mfaToken: second.data.mfaToken, recoveryCode: secrets.recoveryCodes[0] } }),
  );
  await call('verify used token', () =>
    rest(t.app, 'POST', '/auth/mfa/verify', { body: { mfaToken: second.data.mfaToken, recoveryCode: secrets.recoveryCodes[1] } }),
  );
  await call('reauthenticate', () =>
    rest(t.app, 'POST', '/auth/reauthenticate', { headers, body: { recoveryCode: secrets.recoveryCodes[2] } }),
  );
  await call('reauthenticate wrong', () =>
    rest(t.app, 'POST', '/auth/reauthenticate', { headers, body: { recoveryCode: 'wrong-code-1234' } }),
  );
  await call('regenerate', () => rest(t.app, 'POST', '/users/me/mfa/recovery-codes', { headers }));
  await call('status', () => rest(t.app, 'GET', '/users/me/mfa', { headers }));
  await call('me', () => rest(t.app, 'GET', '/users/me', { headers }));
  await call('disable', () => rest(t.app, 'POST', '/users/me/mfa/totp/disable', { headers, body: { code: secrets.recoveryCodes.at(-1) } }));
  await t.settled();
});
afterAll(() => t?.close());

describe('no TOTP secret, recovery code or mfaToken where it does not belong', () => {
  it('ran the scenario with the expected outcomes', () => {
    expect(responses.map(({ label, res }) => `${label} ${res.statusCode}`)).toEqual([
      'setup 200',
      'confirm wrong 400',
      'confirm 200',
      'login 200',
      'verify wrong 401',
      'verify 200',
      'login tRPC 200',
      'verify recovery 200',
      'verify used token 401',
      'reauthenticate 204',
      'reauthenticate wrong 400',
      'regenerate 200',
      'status 200',
      'me 200',
      'disable 204',
    ]);
    expect(secrets.totp).toHaveLength(1);
    expect(secrets.recoveryCodes).toHaveLength(20);
    expect(secrets.mfaTokens).toHaveLength(2);
    expect(t.logs.length).toBeGreaterThan(15);
  });

  it('log lines carry none of them', () => {
    const logs = t.logs.join('\n');
    for (const secret of [...secrets.totp, ...secrets.otpauthUrls, ...recoveryForms(), ...secrets.mfaTokens]) {
      expect(logs.includes(secret), 'a log line leaks an MFA secret').toBe(false);
    }
  });

  it('each appears only in the response that issued it', () => {
    for (const secret of [...secrets.totp, ...secrets.recoveryCodes, ...secrets.mfaTokens]) {
      const carriers = responses.filter(({ res }) => res.body.includes(secret)).map(({ label }) => label);
      expect(carriers.length, `${carriers.join(', ')} carry one secret`).toBe(1);
    }
  });

  it('the audit trail and the outbox record none of them, nor the sealed secret', async () => {
    const events = JSON.stringify(await t.db.prisma.auditEvent.findMany());
    const outbox = JSON.stringify(await t.db.prisma.outboxMessage.findMany({ select: { payload: true } }));
    // The challenges went with the factor (disable); their stored form is the tokens' SHA-256.
    const hashes = secrets.mfaTokens.map((token) => createHash('sha256').update(token).digest('hex'));
    for (const secret of [...secrets.totp, ...recoveryForms(), ...secrets.mfaTokens, ...hashes]) {
      expect(events.includes(secret)).toBe(false);
      expect(outbox.includes(secret)).toBe(false);
    }
    for (const action of ['mfa.totp_enabled', 'auth.mfa_failed', 'mfa.recovery_code_used', 'auth.reauthenticated', 'mfa.totp_disabled']) {
      expect(events).toContain(action);
    }
  });
});
