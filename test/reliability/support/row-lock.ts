import pg from 'pg';

export interface HeldLock {
  /** Ends the holding transaction (ROLLBACK), which lets every waiter through. */
  release(): Promise<void>;
}

/**
 * A transaction of another session that holds a lock until released, as a psql user running `SELECT … FOR UPDATE`
 * or `LOCK TABLE` would: `statement` takes the lock, with `params`.
 */
export async function holdLock(url: string, statement: string, params: unknown[] = []): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(statement, params);
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** A user's row, locked FOR UPDATE. */
export const holdUserRow = (url: string, userId: string) => holdLock(url, 'SELECT id FROM users WHERE id = $1 FOR UPDATE', [userId]);
