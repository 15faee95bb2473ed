import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../support/db.ts';

// On PostgreSQL the hot queries are named statements, prepared once per connection (PGlite has no pool and no
// network round trip to save; this runs in the PostgreSQL run of the suite).

let db: TestDb;
beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db?.close();
});

describe.runIf(process.env.TEST_DATABASE_URL)('prepared statements on PostgreSQL', () => {
  it('prepares a query once on a connection and reuses it', async () => {
    const lookUp = (email: string) => db.prisma.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE email = ${email}`;
    // Inside one transaction: every statement runs on the same connection, whose prepared statements we can see.
    const prepared = await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM users WHERE email = ${'nobody@example.com'}`;
      await tx.$queryRaw`SELECT id FROM users WHERE email = ${'someone@example.com'}`;
      return tx.$queryRaw<{ name: string; statement: string }[]>`
        SELECT name, statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT id FROM users WHERE email = %'`;
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]?.name).toMatch(/^ums_[A-Za-z0-9_-]{32}$/);
    expect(await lookUp('nobody@example.com')).toEqual([]);
  });

  it('leaves pattern matches unprepared, so each search is planned for its own term', async () => {
    const prepared = await db.prisma.$transaction(async (tx) => {
      for (const term of ['%a%', '%b%']) await tx.$queryRaw`SELECT id FROM users WHERE email ILIKE ${term}`;
      return tx.$queryRaw<{ name: string }[]>`SELECT name FROM pg_prepared_statements WHERE statement LIKE '%ILIKE%'`;
    });
    expect(prepared).toEqual([]);
  });
});
