// The reference point of every figure: the same work as GET /api/v1/users/me — verify the JWT, one session ⋈ user
// query, JSON out — with Fastify and node-postgres and nothing else (no tRPC, zod, Prisma, hooks or plugins).
// Also the floor of users.list (the same session check and page query the service sends, for the default order)
// and of the settings PUT (baseline-settings-put.ts).
import { createSecretKey } from 'node:crypto';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { registerSettingsPut } from './baseline-settings-put.ts';

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

/** The verified claims of the bearer token, or null: the same checks as the service's. */
function verifiedClaims(authorization: string | undefined): { sub: string; sid: string } | null {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  if (!token) return null;
  try {
    const claims = jwt.verify(token, key, verifyOptions);
    if (typeof claims === 'string' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return null;
    return { sub: claims.sub, sid: claims.sid };
  } catch {
    return null;
  }
}

app.get('/health', async () => {
  await pool.query('SELECT 1');
  return { status: 'ok', db: 'ok' };
});

app.get('/api/v1/users/me', async (request, reply) => {
  const claims = verifiedClaims(request.headers.authorization);
  if (!claims) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  // Named, like every statement the service sends: parsed and planned once per connection, not per request.
  const { rows } = await pool.query<MeRow>({ name: 'me', text: ME_SQL, values: [claims.sid, claims.sub] });
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

// The statements users.list sends for `GET /api/v1/users?limit=20[&search=…][&cursor=…]` in the default order
// (created_at, id descending), written out by hand: the session with its permissions, then one page query.
const LIST_AUTH_SQL = `
  SELECT u.id, ARRAY(SELECT DISTINCT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id
                      WHERE ur.user_id = u.id) AS permissions
    FROM sessions s JOIN users u ON u.id = s.user_id AND u.is_active
   WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()`;
const iso = (column: string, name: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${name}"`;
const PAGE = 20;
const ORDER = 'u.created_at DESC, u.id DESC';
// As the service's SEARCH_WALK_ROWS (packages/db/src/queries/user-list.ts).
const SEARCH_WALK_ROWS = 5000;
// The page's ids (one row more than the page: it only tells whether there is a next page), then those rows in full.
const pageSql = (pageIds: string) => `
  SELECT u.id, u.email, u.full_name AS "fullName", u.phone_number AS "phoneNumber", u.timezone, u.locale,
         u.avatar_url AS "avatarUrl", u.bio, u.is_active AS "isActive", ${iso('u.created_at', 'createdAt')},
         ${iso('u.updated_at', 'updatedAt')}, ${iso('u.last_login_at', 'lastLoginAt')},
         ${iso('u.deactivated_at', 'deactivatedAt')}, u.version,
         ARRAY(SELECT r.name FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id ORDER BY r.name) AS roles
    FROM (${pageIds}) page
    JOIN users u ON u.id = page.id
   ORDER BY ${ORDER}`;
const where = (conditions: string[]) => ['TRUE', ...conditions].join(' AND ');
const plainPageSql = (conditions: string[]) =>
  pageSql(`SELECT u.id FROM users u WHERE ${where(conditions)} ORDER BY ${ORDER} LIMIT ${PAGE + 1}`);
// A search as the service sends it: the newest SEARCH_WALK_ROWS rows tested first, every match (trigram) if too few.
const walkedPageSql = (conditions: string[], search: string) =>
  pageSql(`SELECT u.id FROM (SELECT u.id, u.created_at, u.search_text FROM users u WHERE ${where(conditions)}
                              ORDER BY ${ORDER} LIMIT ${SEARCH_WALK_ROWS}) u
            WHERE ${search} ORDER BY ${ORDER} LIMIT ${PAGE + 1}`);
const matchedPageSql = (conditions: string[], search: string) => `
  WITH matches AS MATERIALIZED (SELECT u.id, u.created_at FROM users u WHERE ${where([...conditions, search])})
  ${pageSql(`SELECT u.id FROM matches u ORDER BY ${ORDER} LIMIT ${PAGE + 1}`)}`;

interface ListQuery {
  limit?: string;
  search?: string;
  cursor?: string;
}

app.get<{ Querystring: ListQuery }>('/api/v1/users', async (request, reply) => {
  const claims = verifiedClaims(request.headers.authorization);
  if (!claims) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  const { rows: auth } = await pool.query<{ id: string; permissions: string[] }>({
    name: 'list_auth',
    text: LIST_AUTH_SQL,
    values: [claims.sid],
  });
  if (auth[0]?.id !== claims.sub.toLowerCase()) return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Not signed in' });
  if (!auth[0].permissions.includes('users:read')) return reply.code(403).send({ code: 'FORBIDDEN', message: 'Missing permission' });

  const { search, cursor } = request.query;
  if (request.query.limit !== String(PAGE)) return reply.code(400).send({ code: 'BAD_REQUEST', message: `only limit=${PAGE}` });
  const conditions: string[] = [];
  const values: string[] = [];
  let searchCondition: string | null = null;
  if (search) {
    values.push(`%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    searchCondition = `u.search_text LIKE lower($${values.length})`;
  }
  if (cursor) {
    const after = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s: string; o: string; v: string; i: string };
    if (after.s !== 'createdAt' || after.o !== 'desc') return reply.code(400).send({ code: 'BAD_REQUEST', message: 'default order only' });
    values.push(after.v, after.i);
    conditions.push(`(u.created_at, u.id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
  }
  // Like the service: a pattern match is planned for its pattern (unnamed), the rest is prepared once per connection.
  let rows: Array<{ id: string; createdAt: string }>;
  if (searchCondition) {
    ({ rows } = await pool.query({ text: walkedPageSql(conditions, searchCondition), values }));
    if (rows.length < PAGE + 1) ({ rows } = await pool.query({ text: matchedPageSql(conditions, searchCondition), values }));
  } else {
    ({ rows } = await pool.query({ name: cursor ? 'list_after' : 'list_first', text: plainPageSql(conditions), values }));
  }
  const items = rows.slice(0, PAGE);
  const last = items.at(-1);
  const nextCursor =
    rows.length > PAGE && last
      ? Buffer.from(JSON.stringify({ s: 'createdAt', o: 'desc', v: last.createdAt, i: last.id })).toString('base64url')
      : null;
  return { items, nextCursor };
});

registerSettingsPut(app, pool, verifiedClaims);

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ port: Number(PORT), host: '127.0.0.1' });
