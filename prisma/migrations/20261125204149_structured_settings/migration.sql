-- Structured settings. The first schema kept user_settings as untyped text pairs (id, user_id, key, value TEXT);
-- this migration gives every row the design's columns and types each existing value from the settings catalog,
-- without dropping a row:
--   * a value that fits its key (type and validation rules) is stored typed: 'true' → true, '42' → 42, ...;
--   * a value that does not fit its key, or a key the catalog does not know, is kept as a `string` setting holding
--     the original text, with the reason in `description`, and reported;
--   * `timezone` is the profile's users.timezone (one value, three views): a valid zone moves there when the
--     profile has none (or the same one) and is reported as moved; otherwise the row is kept as above.
-- The report is the table migration_reports.structured_settings (outside the application schema, so the schema
-- stays exactly schema.prisma), summed up by a NOTICE at the end. down.sql, beside this file, reverses it.

-- CreateEnum
CREATE TYPE "setting_type" AS ENUM ('string', 'integer', 'number', 'boolean', 'json');

-- CreateTable
CREATE TABLE "settings_catalog" (
    "key" TEXT NOT NULL,
    "setting_type" "setting_type" NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "default_value" JSONB NOT NULL,
    "validation_rules" JSONB NOT NULL DEFAULT '{}',
    "is_public" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "settings_catalog_pkey" PRIMARY KEY ("key")
);

-- The catalog as of this migration (packages/contract/src/settings.ts): the rows below are typed from it.
-- The seed keeps the table equal to the code afterwards.
INSERT INTO "settings_catalog" ("key", "setting_type", "category", "description", "default_value", "validation_rules", "is_public", "position") VALUES
  ('theme', 'string', 'ui_preferences', 'Colour theme of the interface', '"auto"', '{"allowed_values":["light","dark","auto"]}', false, 0),
  ('language', 'string', 'localization', 'Interface language, a BCP 47 tag such as en or pt-BR', '"en"', '{"min_length":2,"max_length":35,"pattern":"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}', false, 1),
  ('timezone', 'string', 'localization', 'IANA time zone; the same value as the profile timezone', '"UTC"', '{"max_length":64,"pattern":"^[A-Za-z][A-Za-z0-9_+/-]*$"}', false, 2),
  ('date_format', 'string', 'localization', 'How dates are written', '"YYYY-MM-DD"', '{"allowed_values":["YYYY-MM-DD","DD/MM/YYYY","MM/DD/YYYY","DD.MM.YYYY"]}', false, 3),
  ('notifications.email', 'boolean', 'notifications', 'Receive notifications by email', 'true', '{}', false, 4),
  ('notifications.sms', 'boolean', 'notifications', 'Receive notifications by SMS', 'false', '{}', false, 5),
  ('notifications.push', 'boolean', 'notifications', 'Receive push notifications', 'true', '{}', false, 6),
  ('ui.density', 'string', 'interface', 'Spacing of lists and tables', '"comfortable"', '{"allowed_values":["comfortable","compact"]}', false, 7),
  ('ui.sidebar_collapsed', 'boolean', 'interface', 'Start with the sidebar collapsed', 'false', '{}', false, 8),
  ('ui.page_size', 'integer', 'interface', 'Rows per page in lists', '20', '{"min":10,"max":100}', false, 9),
  ('ui.font_scale', 'number', 'interface', 'Text size relative to the default', '1', '{"min":0.75,"max":2}', false, 10),
  ('ui.accent_color', 'string', 'interface', 'Accent colour as #rrggbb', '"#2563eb"', '{"pattern":"^#[0-9A-Fa-f]{6}$"}', false, 11),
  ('ui.time_format', 'string', 'interface', 'Clock style', '"24h"', '{"allowed_values":["12h","24h"]}', false, 12),
  ('ui.week_start', 'integer', 'interface', 'First day of the week (0 Sunday, 1 Monday, 6 Saturday)', '1', '{"allowed_values":[0,1,6]}', false, 13),
  ('ui.dashboard_widgets', 'json', 'interface', 'Widgets on the dashboard, in order', '["activity","security"]', '{"min_length":1,"max_length":12}', false, 14),
  ('profile.visibility', 'string', 'profile', 'Who can find the profile', '"members"', '{"allowed_values":["public","members","private"]}', false, 15),
  ('profile.show_email', 'boolean', 'profile', 'Show the email address on the profile', 'false', '{}', false, 16),
  ('profile.pronouns', 'string', 'profile', 'Pronouns shown on the profile', '""', '{"max_length":40}', true, 17),
  ('profile.headline', 'string', 'profile', 'One line under the name on the profile', '""', '{"max_length":120}', true, 18),
  ('profile.location', 'string', 'profile', 'Where the user is based', '""', '{"max_length":100}', true, 19),
  ('profile.website', 'string', 'profile', 'Personal website, an https URL', '""', '{"max_length":200,"pattern":"^(https://\\S+)?$"}', true, 20),
  ('privacy.analytics', 'boolean', 'privacy', 'Share anonymous usage analytics', 'true', '{}', false, 21),
  ('privacy.show_online_status', 'boolean', 'privacy', 'Let others see when the user is online', 'true', '{}', false, 22),
  ('security.session_timeout_minutes', 'integer', 'security', 'Sign out after this many idle minutes', '60', '{"min":5,"max":1440}', false, 23),
  ('security.login_alerts', 'boolean', 'security', 'Email an alert on sign-in from a new device', 'true', '{}', false, 24),
  ('communication.digest_frequency', 'string', 'communication', 'How often to send the activity digest', '"weekly"', '{"allowed_values":["never","daily","weekly"]}', false, 25),
  ('communication.marketing_emails', 'boolean', 'communication', 'Receive product news by email', 'false', '{}', false, 26),
  ('communication.quiet_hours', 'json', 'communication', 'Hours without notifications', '{"enabled":false,"start":"22:00","end":"07:00"}', '{"max_length":3}', false, 27),
  ('accessibility.reduced_motion', 'boolean', 'accessibility', 'Reduce animations', 'false', '{}', false, 28),
  ('accessibility.high_contrast', 'boolean', 'accessibility', 'Use high-contrast colours', 'false', '{}', false, 29);

-- AlterTable: the new columns, nullable until every row is typed.
ALTER TABLE "user_settings" RENAME COLUMN "value" TO "legacy_value";
ALTER TABLE "user_settings" ADD COLUMN     "category" TEXT,
ADD COLUMN     "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "description" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "is_public" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "setting_type" "setting_type",
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "validation_rules" JSONB NOT NULL DEFAULT '{}',
ALTER COLUMN "id" SET DEFAULT gen_random_uuid(),
ADD COLUMN     "value" JSONB;

-- The report: one row per setting that was not stored as its catalog type.
CREATE SCHEMA IF NOT EXISTS "migration_reports";
CREATE TABLE "migration_reports"."structured_settings" (
    "setting_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "original_value" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "structured_settings_pkey" PRIMARY KEY ("setting_id")
);

-- One text value typed as a catalog setting: `typed` when it fits the type and every rule, else `problem`.
-- Mirrors the service's checks (packages/server/src/services/settings/check-setting-value.ts); lenient only in
-- the spellings it accepts ('TRUE', ' 42 ', 'yes'), which it stores in their canonical form.
CREATE FUNCTION "structured_settings_type_value"(raw TEXT, kind "setting_type", rules JSONB, OUT typed JSONB, OUT problem TEXT)
LANGUAGE plpgsql AS $fn$
DECLARE
  trimmed TEXT := btrim(raw);
  items INTEGER;
BEGIN
  IF kind IS NULL THEN
    problem := 'unknown key';
    RETURN;
  END IF;
  CASE kind
    WHEN 'string' THEN
      typed := to_jsonb(raw);
    WHEN 'boolean' THEN
      IF lower(trimmed) IN ('true', 't', 'yes', 'on', '1') THEN
        typed := 'true';
      ELSIF lower(trimmed) IN ('false', 'f', 'no', 'off', '0') THEN
        typed := 'false';
      END IF;
    WHEN 'integer' THEN
      -- Up to 15 digits: every such integer is exact in a JavaScript number.
      IF trimmed ~ '^[+-]?[0-9]{1,15}$' THEN
        typed := to_jsonb(trimmed::BIGINT);
      END IF;
    WHEN 'number' THEN
      IF trimmed ~ '^[+-]?([0-9]{1,20}(\.[0-9]{0,20})?|\.[0-9]{1,20})([eE][+-]?[0-9]{1,3})?$' THEN
        IF abs(trimmed::NUMERIC) < 1e300 THEN
          typed := to_jsonb(trimmed::NUMERIC);
        END IF;
      END IF;
    WHEN 'json' THEN
      BEGIN
        typed := trimmed::JSONB;
      EXCEPTION WHEN invalid_text_representation THEN
        typed := NULL;
      END;
      IF typed = 'null'::JSONB THEN
        typed := NULL;
      END IF;
  END CASE;
  IF typed IS NULL THEN
    problem := 'not ' || CASE kind WHEN 'integer' THEN 'an integer' WHEN 'json' THEN 'a JSON value' ELSE 'a ' || kind::TEXT END;
    RETURN;
  END IF;

  IF rules ? 'allowed_values' AND NOT (rules -> 'allowed_values') @> jsonb_build_array(typed) THEN
    problem := 'not one of the allowed values';
  ELSIF kind IN ('integer', 'number') AND rules ? 'min' AND typed::TEXT::NUMERIC < (rules ->> 'min')::NUMERIC THEN
    problem := 'below the minimum ' || (rules ->> 'min');
  ELSIF kind IN ('integer', 'number') AND rules ? 'max' AND typed::TEXT::NUMERIC > (rules ->> 'max')::NUMERIC THEN
    problem := 'above the maximum ' || (rules ->> 'max');
  ELSIF kind = 'string' AND rules ? 'min_length' AND char_length(raw) < (rules ->> 'min_length')::INTEGER THEN
    problem := 'shorter than ' || (rules ->> 'min_length') || ' characters';
  ELSIF kind = 'string' AND rules ? 'max_length' AND char_length(raw) > (rules ->> 'max_length')::INTEGER THEN
    problem := 'longer than ' || (rules ->> 'max_length') || ' characters';
  ELSIF kind = 'string' AND rules ? 'pattern' AND raw !~ (rules ->> 'pattern') THEN
    problem := 'does not match the pattern ' || (rules ->> 'pattern');
  ELSIF kind = 'json' AND (rules ? 'min_length' OR rules ? 'max_length') THEN
    items := CASE jsonb_typeof(typed)
      WHEN 'array' THEN jsonb_array_length(typed)
      WHEN 'object' THEN (SELECT count(*)::INTEGER FROM jsonb_object_keys(typed))
    END;
    IF items IS NULL THEN
      problem := 'not an array or object';
    ELSIF rules ? 'min_length' AND items < (rules ->> 'min_length')::INTEGER THEN
      problem := 'fewer than ' || (rules ->> 'min_length') || ' items';
    ELSIF rules ? 'max_length' AND items > (rules ->> 'max_length')::INTEGER THEN
      problem := 'more than ' || (rules ->> 'max_length') || ' items';
    END IF;
  END IF;
  IF problem IS NOT NULL THEN
    typed := NULL;
  END IF;
END;
$fn$;

-- Time zones the server knows, read once (pg_timezone_names is costly per call).
CREATE TEMPORARY TABLE "structured_settings_zones" AS SELECT "name" FROM pg_timezone_names;

-- timezone → users.timezone, when the profile has none or already the same zone.
INSERT INTO "migration_reports"."structured_settings" ("setting_id", "user_id", "key", "original_value", "outcome", "reason")
SELECT s."id", s."user_id", s."key", s."legacy_value", 'moved_to_profile',
       CASE WHEN u."timezone" IS NULL THEN 'now users.timezone' ELSE 'users.timezone already held this zone' END
  FROM "user_settings" s
  JOIN "users" u ON u."id" = s."user_id"
  JOIN "structured_settings_zones" z ON z."name" = s."legacy_value"
  JOIN "settings_catalog" c ON c."key" = s."key"
 WHERE s."key" = 'timezone'
   AND (u."timezone" IS NULL OR u."timezone" = s."legacy_value")
   AND ("structured_settings_type_value"(s."legacy_value", c."setting_type", c."validation_rules")).problem IS NULL;

-- The profile changed: its version moves, so an edit based on the old profile is refused.
UPDATE "users" u SET "timezone" = r."original_value", "version" = u."version" + 1, "updated_at" = CURRENT_TIMESTAMP
  FROM "migration_reports"."structured_settings" r
 WHERE r."user_id" = u."id" AND r."outcome" = 'moved_to_profile' AND u."timezone" IS NULL;

DELETE FROM "user_settings" s
 USING "migration_reports"."structured_settings" r
 WHERE r."setting_id" = s."id" AND r."outcome" = 'moved_to_profile';

-- Every other row: typed from the catalog, or kept as a string setting and reported.
WITH typing AS (
  SELECT s."id", s."user_id", s."key", s."legacy_value", c."key" IS NOT NULL AS known, c."setting_type", c."category",
         c."description", c."validation_rules", c."is_public", t.typed,
         CASE
           WHEN s."key" = 'timezone' AND t.problem IS NULL THEN
             CASE WHEN EXISTS (SELECT 1 FROM "structured_settings_zones" z WHERE z."name" = s."legacy_value")
                  THEN 'users.timezone already holds another zone' ELSE 'not an IANA time zone' END
           ELSE t.problem
         END AS problem
    FROM "user_settings" s
    LEFT JOIN "settings_catalog" c ON c."key" = s."key"
   CROSS JOIN LATERAL "structured_settings_type_value"(s."legacy_value", c."setting_type", c."validation_rules") t
), reported AS (
  INSERT INTO "migration_reports"."structured_settings" ("setting_id", "user_id", "key", "original_value", "outcome", "reason")
  SELECT "id", "user_id", "key", "legacy_value", 'kept_as_string', problem FROM typing WHERE problem IS NOT NULL
)
UPDATE "user_settings" s
   SET "value" = CASE WHEN typing.problem IS NULL THEN typing.typed ELSE to_jsonb(typing."legacy_value") END,
       "setting_type" = CASE WHEN typing.problem IS NULL THEN typing."setting_type" ELSE 'string' END,
       "category" = COALESCE(typing."category", 'uncategorized'),
       "description" = CASE WHEN typing.problem IS NULL THEN typing."description"
                            ELSE 'Kept as text by the structured_settings migration: ' || typing.problem END,
       "validation_rules" = CASE WHEN typing.problem IS NULL THEN typing."validation_rules" ELSE '{}' END,
       -- A value that did not fit is never shown on a public profile.
       "is_public" = typing.problem IS NULL AND typing."is_public"
  FROM typing
 WHERE typing."id" = s."id";

ALTER TABLE "user_settings" DROP COLUMN "legacy_value",
ALTER COLUMN "value" SET NOT NULL,
ALTER COLUMN "setting_type" SET NOT NULL,
ALTER COLUMN "category" SET NOT NULL;

DROP FUNCTION "structured_settings_type_value"(TEXT, "setting_type", JSONB);
DROP TABLE "structured_settings_zones";

DO $report$
DECLARE
  kept BIGINT;
  moved BIGINT;
  typed BIGINT;
BEGIN
  SELECT count(*) FILTER (WHERE "outcome" = 'kept_as_string'), count(*) FILTER (WHERE "outcome" = 'moved_to_profile')
    INTO kept, moved
    FROM "migration_reports"."structured_settings";
  SELECT count(*) - kept INTO typed FROM "user_settings";
  RAISE NOTICE 'structured_settings: % values typed from the catalog, % kept as string (see migration_reports.structured_settings), % time zones moved to users.timezone',
    typed, kept, moved;
END;
$report$;
