import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type pg from 'pg';
import { ORDINAL_SQL } from './seed.ts';

// The claims the server checks (packages/server/src/auth/tokens.ts).
const ISSUER = 'user-management-service';
const AUDIENCE = 'user-management-api';
// Longer than the server's default 15 min so a full run never sees an expired token; the server checks only `exp`.
const TOKEN_TTL_SECONDS = 3600;

export interface BenchIdentity {
  userId: string;
  sessionId: string;
  email: string;
  /** `Bearer <jwt>`, ready for the Authorization header. */
  authorization: string;
}

export interface BenchIdentities {
  /** 1,000 active users holding only the `user` role, spread over the table. */
  users: BenchIdentity[];
  /** Every seeded admin. */
  admins: BenchIdentity[];
  /** Two more users whose settings become the template copied to everyone (see seed-settings.ts). */
  templates: [BenchIdentity, BenchIdentity];
}

export function createJwtSecret(): string {
  return randomBytes(48).toString('hex');
}

/** Signs access tokens as the server would after a sign-in, with the same secret (HS256, sub = user, sid = session). */
export function createTokenMinter(secret: string) {
  const key: KeyObject = createSecretKey(Buffer.from(secret));
  return (userId: string, sessionId: string) =>
    jwt.sign({ sid: sessionId }, key, {
      algorithm: 'HS256',
      subject: userId,
      issuer: ISSUER,
      audience: AUDIENCE,
      expiresIn: TOKEN_TTL_SECONDS,
    });
}

export async function loadIdentities(
  client: pg.Client,
  mint: ReturnType<typeof createTokenMinter>,
  count = 1000,
): Promise<BenchIdentities> {
  const pick = async (where: string, limit: number) => {
    const { rows } = await client.query<{ user_id: string; session_id: string; email: string }>(
      `SELECT u.id AS user_id, s.id AS session_id, u.email
         FROM users u JOIN sessions s ON s.user_id = u.id
        WHERE u.is_active AND ${where}
        ORDER BY ${ORDINAL_SQL}
        LIMIT ${limit}`,
    );
    return rows.map((row) => ({
      userId: row.user_id,
      sessionId: row.session_id,
      email: row.email,
      authorization: `Bearer ${mint(row.user_id, row.session_id)}`,
    }));
  };
  const users = await pick(`${ORDINAL_SQL} % 100 = 3`, count);
  const admins = await pick(`${ORDINAL_SQL} % 1000 = 0`, count);
  const [first, second] = await pick(`${ORDINAL_SQL} IN (1, 2)`, 2);
  if (users.length < count || admins.length === 0 || !first || !second) {
    throw new Error(`seeded identities missing: ${users.length} users, ${admins.length} admins`);
  }
  return { users, admins, templates: [first, second] };
}
