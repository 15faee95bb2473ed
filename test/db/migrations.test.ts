import { diffMigrationsToSchema } from '@ums/db';
import { describe, expect, it } from 'vitest';
import { createTestDb } from '../support/db.ts';

describe('migrations', () => {
  // The WebAssembly schema engine replays every migration into a scratch database: seconds alone, and 25-30 s
  // when the machine is shared with other test runs.
  it('produce exactly prisma/schema.prisma (no drift)', { timeout: 120_000 }, async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('make the audit trail append-only at the database', async () => {
    const db = await createTestDb();
    try {
      await db.prisma.auditEvent.create({ data: { action: 'test.event' } });
      await expect(db.prisma.$executeRaw`UPDATE audit_events SET action = 'tampered'`).rejects.toThrow(/append-only/);
      await expect(db.prisma.$executeRaw`DELETE FROM audit_events`).rejects.toThrow(/append-only/);
      expect(await db.prisma.auditEvent.count({ where: { action: 'test.event' } })).toBe(1);
    } finally {
      await db.close();
    }
  });
});
