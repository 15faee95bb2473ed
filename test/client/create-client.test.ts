import { createClient, errorCodeOf, memoryTokenStore, type TokenStore } from '@ums/shared';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from '../support/app.ts';
import { createSignedInUser, type SignedIn } from '../support/users.ts';

let t: TestApp;
let trpcUrl: string;

beforeAll(async () => {
  t = await createTestApp();
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  trpcUrl = `${address}/trpc`;
});
afterAll(() => t.close());

/** Every HTTP request the client sends, with the procedures it carried and the token it presented. */
interface Sent {
  procedures: string[];
  authorization: string | null;
}
let sent: Sent[];
/** Lets a test delay a response on its way back to the client. */
let hold: ((request: Sent, response: Response) => Promise<Response>) | undefined;
const countingFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const request: Sent = {
    procedures: decodeURIComponent(url.pathname.replace(/^\/trpc\//, '')).split(','),
    authorization: new Headers(init?.headers).get('authorization'),
  };
  sent.push(request);
  const response = await fetch(input, init);
  return hold ? hold(request, response) : response;
};
const refreshRequests = () => sent.filter((request) => request.procedures.includes('auth.refresh'));

/** An access token for a live session that expired a minute ago. */
function expiredAccessToken(user: SignedIn) {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sid: user.sessionId, iat: now - 1000, exp: now - 60 }, TEST_JWT_SECRET, {
    algorithm: 'HS256',
    subject: user.id,
    issuer: t.config.jwtIssuer,
    audience: t.config.jwtAudience,
  });
}

interface Harness {
  user: SignedIn;
  tokens: TokenStore;
  signedOut: number;
  client: ReturnType<typeof createClient>;
}

async function harness({ expired }: { expired: boolean }): Promise<Harness> {
  const user = await createSignedInUser(t.db.prisma, t.config, { fullName: 'Client Tester' });
  const tokens = memoryTokenStore({ accessToken: expired ? expiredAccessToken(user) : user.accessToken, refreshToken: user.refreshToken });
  const h: Harness = {
    user,
    tokens,
    signedOut: 0,
    client: createClient({ url: trpcUrl, tokens, fetch: countingFetch, onSignedOut: () => h.signedOut++ }),
  };
  return h;
}

beforeEach(() => {
  sent = [];
  hold = undefined;
});

describe('createClient', () => {
  it('sends the access token and batches calls made together', async () => {
    const { client, user } = await harness({ expired: false });
    const [me, sessions] = await Promise.all([client.me.get.query(), client.me.sessions.list.query()]);
    expect(me).toMatchObject({ id: user.id, email: user.email, fullName: 'Client Tester' });
    expect(sessions.items).toHaveLength(1);
    expect(sent).toEqual([{ procedures: ['me.get', 'me.sessions.list'], authorization: `Bearer ${user.accessToken}` }]);
  });

  it('refreshes once for 10 calls that fail together on an expired token, then retries each of them once', async () => {
    const { client, tokens, user } = await harness({ expired: true });
    const stale = tokens.get();

    const results = await Promise.all(Array.from({ length: 10 }, () => client.me.get.query()));

    expect(results.map((me) => me.id)).toEqual(Array(10).fill(user.id));
    expect(refreshRequests()).toHaveLength(1);
    const fresh = tokens.get();
    expect(fresh?.accessToken).not.toBe(stale?.accessToken);
    expect(fresh?.refreshToken).not.toBe(stale?.refreshToken);
    // The retries went out with the new token; nothing was sent more than twice (first try + one retry).
    const meCalls = sent.filter((request) => request.procedures.includes('me.get'));
    expect(meCalls.flatMap((request) => request.procedures)).toHaveLength(20);
    expect(meCalls.at(-1)?.authorization).toBe(`Bearer ${fresh?.accessToken}`);
    // The server rotated the token exactly once: the session is still live, and the old refresh token is spent.
    expect(await client.me.sessions.list.query()).toMatchObject({ items: [{ id: user.sessionId, current: true }] });
  });

  it('shares the refresh between calls sent in separate requests', async () => {
    const { client, tokens, user } = await harness({ expired: true });
    const expired = `Bearer ${tokens.get()?.accessToken}`;
    const sentExpired = () => sent.filter((request) => request.authorization === expired).length;
    // Every 401 waits until five requests have gone out with the expired token, so their failures overlap.
    hold = async (request, response) => {
      while (request.authorization === expired && sentExpired() < 5) await new Promise((resolve) => setTimeout(resolve, 2));
      return response;
    };

    // Each call starts once the one before it is on the wire, so none of them share a batch.
    const calls: Promise<{ id: string }>[] = [];
    for (let i = 1; i <= 5; i++) {
      calls.push(client.me.get.query());
      while (sentExpired() < i) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const results = await Promise.all(calls);

    expect(results.every((me) => me.id === user.id)).toBe(true);
    expect(sentExpired()).toBe(5);
    expect(refreshRequests()).toHaveLength(1);
    const session = await t.db.prisma.userSession.findUniqueOrThrow({ where: { id: user.sessionId }, select: { revokedAt: true } });
    expect(session.revokedAt).toBeNull();
  });

  it('retries a call that failed after the refresh finished with the new token, without refreshing again', async () => {
    const { client, tokens, user } = await harness({ expired: true });
    const expired = `Bearer ${tokens.get()?.accessToken}`;
    // Two requests go out with the expired token. The first one's 401 waits until the second is on its way;
    // the second one's 401 waits until the refresh the first one started has finished.
    const signal = () => {
      let fire!: () => void;
      const fired = new Promise<void>((resolve) => {
        fire = resolve;
      });
      return { fire, fired };
    };
    const secondSent = signal();
    const refreshed = signal();
    let expiredRequests = 0;
    hold = async (request, response) => {
      if (request.procedures.includes('auth.refresh')) {
        await response.clone().text();
        setTimeout(refreshed.fire, 20);
      } else if (request.authorization === expired) {
        const nth = ++expiredRequests;
        if (nth === 1) await secondSent.fired;
        if (nth === 2) {
          secondSent.fire();
          await refreshed.fired;
        }
      }
      return response;
    };

    const first = client.me.get.query();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const late = client.me.get.query();

    expect((await first).id).toBe(user.id);
    expect((await late).id).toBe(user.id);
    expect(expiredRequests).toBe(2);
    expect(refreshRequests()).toHaveLength(1);
  });

  it('signs out once when the refresh is refused, and fails the waiting calls with UNAUTHORIZED', async () => {
    const { client, tokens, user } = await harness({ expired: true });
    await t.db.prisma.userSession.update({ where: { id: user.sessionId }, data: { revokedAt: new Date() } });

    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => client.me.get.query()));

    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(5).fill('rejected'));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(errorCodeOf(outcome.reason)).toBe('UNAUTHORIZED');
    }
    expect(refreshRequests()).toHaveLength(1);
    expect(tokens.get()).toBeNull();
    expect(await harnessSignedOut(client)).toBe('UNAUTHORIZED');
  });

  it('calls onSignedOut exactly once however many calls were waiting', async () => {
    const h = await harness({ expired: true });
    await t.db.prisma.userSession.update({ where: { id: h.user.sessionId }, data: { revokedAt: new Date() } });
    await Promise.allSettled(Array.from({ length: 8 }, () => h.client.me.get.query()));
    expect(h.signedOut).toBe(1);
    // Later calls have no token: they fail without another refresh or sign-out.
    sent = [];
    await expect(h.client.me.get.query()).rejects.toThrow();
    expect(refreshRequests()).toHaveLength(0);
    expect(h.signedOut).toBe(1);
  });

  it('does not refresh when a sign-in is refused: a wrong password is an answer, not an expired token', async () => {
    const h = await harness({ expired: false });
    const error = await h.client.auth.login.mutate({ email: h.user.email, password: 'not the password at all' }).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe('UNAUTHORIZED');
    expect(refreshRequests()).toHaveLength(0);
    expect(h.tokens.get()?.accessToken).toBe(h.user.accessToken);
    expect(h.signedOut).toBe(0);
  });

  it('leaves errors other than 401 alone', async () => {
    const h = await harness({ expired: false });
    const error = await h.client.users.list.query({}).catch((e: unknown) => e);
    expect(errorCodeOf(error)).toBe('FORBIDDEN');
    expect(refreshRequests()).toHaveLength(0);
    expect(h.tokens.get()).not.toBeNull();
  });
});

async function harnessSignedOut(client: ReturnType<typeof createClient>) {
  return errorCodeOf(await client.me.get.query().catch((e: unknown) => e));
}
