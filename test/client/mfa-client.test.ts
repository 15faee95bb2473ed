import {
  completeSignIn,
  createClient,
  isMfaEnrolmentRequired,
  isReauthRequired,
  memoryTokenStore,
  reasonOf,
  signIn,
  withReauthentication,
} from '@ums/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { enableTotp } from '../support/mfa.ts';
import { awayFromStepEdge, totpCode } from '../support/totp.ts';
import { createSignedInUser } from '../support/users.ts';

let t: TestApp;
let trpcUrl: string;
beforeAll(async () => {
  t = await createTestApp();
  trpcUrl = `${await t.app.listen({ port: 0, host: '127.0.0.1' })}/trpc`;
});
afterAll(() => t.close());

describe('the shared client with MFA', () => {
  it('signIn answers the typed challenge and stores nothing; completeSignIn stores the session', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const { secret } = await enableTotp(t.app, user.headers);
    const tokens = memoryTokenStore();
    const client = createClient({ url: trpcUrl, tokens });

    const outcome = await signIn(client, tokens, { email: user.email, password: user.password });
    expect(outcome.status).toBe('mfaRequired');
    if (outcome.status !== 'mfaRequired') return;
    expect(outcome.challenge.methods).toEqual(['totp', 'recovery_code']);
    expect(tokens.get()).toBeNull();

    const wrong = await completeSignIn(client, tokens, { mfaToken: outcome.challenge.mfaToken, code: '000000' }).catch((error) => error);
    expect(reasonOf(wrong)).toBe('INVALID_CODE');
    await awayFromStepEdge();
    const session = await completeSignIn(client, tokens, { mfaToken: outcome.challenge.mfaToken, code: totpCode(secret) });
    expect(session.user.mfaEnabled).toBe(true);
    expect(tokens.get()?.accessToken).toBe(session.accessToken);
    expect((await client.me.get.query()).id).toBe(user.id);
  });

  it('signIn without MFA signs in at once', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    const tokens = memoryTokenStore();
    const outcome = await signIn(createClient({ url: trpcUrl, tokens }), tokens, { email: user.email, password: user.password });
    expect(outcome.status).toBe('signedIn');
    expect(tokens.get()).not.toBeNull();
  });

  it('withReauthentication proves a factor on REAUTH_REQUIRED and retries the call once', async () => {
    const user = await createSignedInUser(t.db.prisma, t.config);
    await t.db.prisma.userSession.update({ where: { id: user.sessionId }, data: { authenticatedAt: new Date(Date.now() - 3_600_000) } });
    const tokens = memoryTokenStore({ accessToken: user.accessToken, refreshToken: user.refreshToken });
    const client = createClient({ url: trpcUrl, tokens });

    const refused = await client.me.mfa.totp.setup.mutate().catch((error) => error);
    expect(isReauthRequired(refused)).toBe(true);

    let prompts = 0;
    const setup = await withReauthentication(
      client,
      () => client.me.mfa.totp.setup.mutate(),
      async () => {
        prompts++;
        return { password: user.password };
      },
    );
    expect(setup.secret).toMatch(/^[A-Z2-7]+$/);
    expect(prompts).toBe(1);

    // Giving up (null) rethrows the original refusal.
    await t.db.prisma.userSession.update({ where: { id: user.sessionId }, data: { authenticatedAt: new Date(Date.now() - 3_600_000) } });
    const gaveUp = await withReauthentication(
      client,
      () => client.me.mfa.totp.setup.mutate(),
      async () => null,
    ).catch((error) => error);
    expect(isReauthRequired(gaveUp)).toBe(true);
  });

  it('isMfaEnrolmentRequired tells a caller who must enrol', async () => {
    await t.db.prisma.role.create({ data: { name: 'client-mfa-role', requireMfa: true } });
    const user = await createSignedInUser(t.db.prisma, t.config, { roles: ['user', 'client-mfa-role'] });
    const tokens = memoryTokenStore({ accessToken: user.accessToken, refreshToken: user.refreshToken });
    const client = createClient({ url: trpcUrl, tokens });
    const refused = await client.me.preferences.get.query().catch((error) => error);
    expect(isMfaEnrolmentRequired(refused)).toBe(true);
    expect((await client.me.mfa.get.query()).required).toBe(true);
  });
});
