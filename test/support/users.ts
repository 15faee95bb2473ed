import { randomUUID } from 'node:crypto';
import { insertSession, type PrismaClient, prismaHandle } from '@ums/db';
import type { ServerConfig } from '@ums/server';
import { hashPassword } from '@ums/server/src/modules/auth/passwords.ts';
import { createTokenService, hashRefreshToken, newRefreshToken } from '@ums/server/src/modules/auth/tokens.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

// Hashing is deliberately slow: hash the shared test password once per file.
let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/** A user row with the given roles (default `user`), made directly in the database. */
export async function createUser(
  db: PrismaClient,
  {
    email = `user-${randomUUID()}@example.com`,
    roles = ['user'],
    fullName = null,
    isActive = true,
  }: { email?: string; roles?: string[]; fullName?: string | null; isActive?: boolean } = {},
): Promise<TestUser> {
  const roleRows = await db.role.findMany({ where: { name: { in: roles } }, select: { id: true } });
  if (roleRows.length !== roles.length) throw new Error(`unknown role in ${roles.join(', ')}`);
  const user = await db.user.create({
    data: {
      email,
      fullName,
      isActive,
      passwordHash: await testPasswordHash(),
      roles: { create: roleRows.map((role) => ({ roleId: role.id })) },
    },
    select: { id: true, email: true },
  });
  return { ...user, password: TEST_PASSWORD };
}

export interface SignedIn extends TestUser {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  /** `{ authorization: 'Bearer …' }` for app.inject. */
  headers: { authorization: string };
}

/** A live session for the user, as a sign-in would make it. */
export async function signIn(db: PrismaClient, config: ServerConfig, user: TestUser): Promise<SignedIn> {
  const refreshToken = newRefreshToken();
  const sessionId = await insertSession(prismaHandle(db), {
    userId: user.id,
    ip: '127.0.0.1',
    userAgent: 'vitest',
    expiresAt: new Date(Date.now() + config.refreshTokenTtlSeconds * 1000),
    refreshTokenHash: hashRefreshToken(refreshToken),
    methods: ['password'],
  });
  const accessToken = createTokenService(config).signAccessToken({ userId: user.id, sessionId });
  return { ...user, sessionId, accessToken, refreshToken, headers: { authorization: `Bearer ${accessToken}` } };
}

/** createUser + signIn. */
export async function createSignedInUser(
  db: PrismaClient,
  config: ServerConfig,
  options: Parameters<typeof createUser>[1] = {},
): Promise<SignedIn> {
  return signIn(db, config, await createUser(db, options));
}
