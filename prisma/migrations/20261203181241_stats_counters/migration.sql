-- CreateTable
CREATE TABLE "user_counters" (
    "shard" SMALLINT NOT NULL,
    "total" BIGINT NOT NULL DEFAULT 0,
    "active" BIGINT NOT NULL DEFAULT 0,
    "verified" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "user_counters_pkey" PRIMARY KEY ("shard")
);

-- CreateTable
CREATE TABLE "daily_sign_in_counters" (
    "day" DATE NOT NULL,
    "shard" SMALLINT NOT NULL,
    "sign_ups" BIGINT NOT NULL DEFAULT 0,
    "sign_ins" BIGINT NOT NULL DEFAULT 0,
    "failed_sign_ins" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "daily_sign_in_counters_pkey" PRIMARY KEY ("day","shard")
);

-- stats.overview reads these counters instead of counting 1,000,000 users and 10,000,000 audit events. They are kept
-- in the writing transaction by the triggers below, so they are exactly as committed as the rows they count. A write
-- adds its deltas to a random one of 16 shards (chosen once per statement, into a variable: `random()` in a WHERE
-- clause would be drawn per row), so concurrent sign-ins and registrations seldom wait on the same row; a read sums
-- the shards. Inserts and deletes are statement-level over transition tables, so a bulk load adds one delta per
-- statement rather than one per row. TRUNCATE bypasses them (nothing in the service truncates users; audit_events
-- refuses it).

-- users: total, active (is_active) and verified (email_verified_at set). Erasure deactivates, so erased users count
-- as deactivated.
CREATE FUNCTION user_counters_add(d_total bigint, d_active bigint, d_verified bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s smallint := floor(random() * 16)::smallint;
BEGIN
  IF d_total = 0 AND d_active = 0 AND d_verified = 0 THEN RETURN; END IF;
  UPDATE user_counters
     SET total = total + d_total, active = active + d_active, verified = verified + d_verified
   WHERE shard = s;
END;
$$;

CREATE FUNCTION user_counters_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM user_counters_add(count(*), count(*) FILTER (WHERE is_active), count(*) FILTER (WHERE email_verified_at IS NOT NULL))
     FROM inserted;
  RETURN NULL;
END;
$$;

CREATE FUNCTION user_counters_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM user_counters_add(-count(*), -count(*) FILTER (WHERE is_active), -count(*) FILTER (WHERE email_verified_at IS NOT NULL))
     FROM deleted;
  RETURN NULL;
END;
$$;

CREATE FUNCTION user_counters_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM user_counters_add(0,
    (NEW.is_active::int - OLD.is_active::int)::bigint,
    ((NEW.email_verified_at IS NOT NULL)::int - (OLD.email_verified_at IS NOT NULL)::int)::bigint);
  RETURN NULL;
END;
$$;

CREATE TRIGGER user_counters_insert AFTER INSERT ON "users"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION user_counters_on_insert();
CREATE TRIGGER user_counters_delete AFTER DELETE ON "users"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION user_counters_on_delete();
-- Row-level with a WHEN, so the many updates that change neither (sign-in counters, profiles) never run it.
CREATE TRIGGER user_counters_update AFTER UPDATE OF is_active, email_verified_at ON "users"
  FOR EACH ROW
  WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active
        OR (OLD.email_verified_at IS NULL) IS DISTINCT FROM (NEW.email_verified_at IS NULL))
  EXECUTE FUNCTION user_counters_on_update();

-- audit_events: per UTC day, sign-ups (auth.register), sign-ins (auth.login: every completed sign-in, whether by
-- password, password + second factor, or passkey) and failed sign-ins (auth.login_failed: a wrong second factor
-- records one too, beside its auth.mfa_failed).
CREATE FUNCTION daily_sign_in_counters_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := floor(random() * 16)::smallint;
BEGIN
  INSERT INTO daily_sign_in_counters AS c (day, shard, sign_ups, sign_ins, failed_sign_ins)
  SELECT (at AT TIME ZONE 'UTC')::date, s,
         count(*) FILTER (WHERE action = 'auth.register'),
         count(*) FILTER (WHERE action = 'auth.login'),
         count(*) FILTER (WHERE action = 'auth.login_failed')
    FROM inserted
   WHERE action IN ('auth.register', 'auth.login', 'auth.login_failed')
   GROUP BY 1
  ON CONFLICT (day, shard) DO UPDATE
    SET sign_ups = c.sign_ups + EXCLUDED.sign_ups,
        sign_ins = c.sign_ins + EXCLUDED.sign_ins,
        failed_sign_ins = c.failed_sign_ins + EXCLUDED.failed_sign_ins;
  RETURN NULL;
END;
$$;

CREATE TRIGGER daily_sign_in_counters_insert AFTER INSERT ON "audit_events"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION daily_sign_in_counters_on_insert();

-- Back-fill from the rows already there: shard 0 holds the history, the other 15 start at zero.
INSERT INTO user_counters (shard, total, active, verified)
SELECT 0, count(*), count(*) FILTER (WHERE is_active), count(*) FILTER (WHERE email_verified_at IS NOT NULL) FROM users;
INSERT INTO user_counters (shard) SELECT generate_series(1, 15);

INSERT INTO daily_sign_in_counters (day, shard, sign_ups, sign_ins, failed_sign_ins)
SELECT (at AT TIME ZONE 'UTC')::date, 0,
       count(*) FILTER (WHERE action = 'auth.register'),
       count(*) FILTER (WHERE action = 'auth.login'),
       count(*) FILTER (WHERE action = 'auth.login_failed')
  FROM audit_events
 WHERE action IN ('auth.register', 'auth.login', 'auth.login_failed')
 GROUP BY 1;
