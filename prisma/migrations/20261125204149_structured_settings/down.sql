-- Reverses the structured_settings migration: user_settings goes back to the simple (id, user_id, key, value TEXT)
-- shape, keeping every row and its id. Values go back to text: a string as itself, anything else as its JSON
-- text (true → 'true', 42 → '42', a json value → its JSON). Time zones the migration moved into users.timezone
-- come back as `timezone` rows, holding the profile's current zone. Run it by hand (psql -f), in one transaction;
-- it also forgets the migration in _prisma_migrations, so `pnpm db:migrate` can apply it again later.

ALTER TABLE "user_settings" ADD COLUMN "legacy_value" TEXT;

UPDATE "user_settings"
   SET "legacy_value" = CASE WHEN jsonb_typeof("value") = 'string' THEN "value" #>> '{}' ELSE "value"::TEXT END;

DO $restore$
BEGIN
  IF to_regclass('migration_reports.structured_settings') IS NOT NULL THEN
    INSERT INTO "user_settings" ("id", "user_id", "key", "legacy_value", "value", "setting_type", "category")
    SELECT r."setting_id", r."user_id", r."key", COALESCE(u."timezone", r."original_value"), 'null', 'string', ''
      FROM "migration_reports"."structured_settings" r
      JOIN "users" u ON u."id" = r."user_id"
     WHERE r."outcome" = 'moved_to_profile'
    ON CONFLICT DO NOTHING;
    DROP TABLE "migration_reports"."structured_settings";
  END IF;
  -- The schema may hold other migrations' reports; it goes only when empty.
  IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'migration_reports') THEN
    DROP SCHEMA IF EXISTS "migration_reports";
  END IF;
END;
$restore$;

ALTER TABLE "user_settings" DROP COLUMN "value",
DROP COLUMN "setting_type",
DROP COLUMN "category",
DROP COLUMN "description",
DROP COLUMN "is_public",
DROP COLUMN "validation_rules",
DROP COLUMN "created_at",
DROP COLUMN "updated_at",
ALTER COLUMN "id" DROP DEFAULT;

ALTER TABLE "user_settings" RENAME COLUMN "legacy_value" TO "value";
ALTER TABLE "user_settings" ALTER COLUMN "value" SET NOT NULL;

DROP TABLE "settings_catalog";
DROP TYPE "setting_type";

DELETE FROM "_prisma_migrations" WHERE "migration_name" LIKE '%\_structured\_settings';
