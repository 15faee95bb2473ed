import { PrismaPg } from '@prisma/adapter-pg';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * PrismaPg runs a script by splitting it on every ';', which breaks dollar-quoted function bodies (the audit
 * trail's append-only trigger) and string literals. This sends a migration script whole, as one simple-protocol
 * query — which PostgreSQL also runs as one implicit transaction, so a failing migration leaves nothing behind.
 */
export class PrismaPgWholeScripts extends PrismaPg {
  override async connect(): Promise<PgAdapter> {
    const adapter = await super.connect();
    const driver = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await driver.query(script);
      } catch (error) {
        // The adapter's own error mapping, so the migration engine reports the database's message.
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      }
    };
    return adapter;
  }
}
