// The reference point of every figure: the same work as GET /api/v1/users/me — verify the JWT, one session ⋈ user
// query, JSON out — with Fastify and node-postgres and nothing else (no tRPC, zod, Prisma, hooks or plugins).
import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';

const { DATABASE_URL, JWT_SECRET, PORT = '3100', DB_POOL_SIZE = '10' } = process.env;
if (!DATABASE_URL || !JWT_SECRET) throw new Error('baseline: DATABASE_URL and JWT_SECRET are required');

const key = createSecretKey(Buffer.from(JWT_SECRET));
const verifyOptions = { algorithms: ['HS256' as const], issuer: 'user-management-service', audience: 'user-management-api' };
const pool = new pg.Pool({ connectionString: DATABASE_URL, max: Number(DB_POOL_SIZE) });

const ME_SQL = `
  SELECT u.id, u.email, u.full_name, u.phone_number, u.timezone, u.locale, u.avatar_url, u.bio, u.is_active,
         u.created_at, u.updated_at, u.last_login_at, u.deactivated_at, u.version
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.is_active
   WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now()`;

interface MeRow {
  id: string;
  email: string;
  full_name: string | null;
  phone_number: string | null;
  timezone: string | null;
  locale: string | null;
  avatar_url: string | null;
  bio: string | null;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
  deactivated_at: Date | null;
  version: number;
}

const app = Fastify({ logger: false });

app.get('/health', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok', db: 'ok' };
});

app.get('/api/v1/users/me', async (request, reply) => {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  let claims: jwt.JwtPayload | string;
  try {
    if (!token) throw new Error('no token');
    claims = jwt.verify(token, key, verifyOptions);
  } catch {
    return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  }
  if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
    return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  }
  const { rows } = await pool.query<MeRow>(ME_SQL, [claims.sid, claims.sub]);
  const row = rows[0];
  if (!row) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    phoneNumber: row.phone_number,
    timezone: row.timezone,
    locale: row.locale,
    avatarUrl: row.avatar_url,
    bio: row.bio,
    isActive: row.is_active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
    version: row.version,
  };
});

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ port: Number(PORT), host: '127.0.0.1' });
