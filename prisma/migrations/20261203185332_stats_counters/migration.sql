-- CreateTable
CREATE TABLE "user_counters" (
    "shard" SMALLINT NOT NULL,
    "total" BIGINT NOT NULL DEFAULT 0,
    "active" BIGINT NOT NULL DEFAULT 0,
    "verified" BIGINT NOT NULL DEFAULT 0,
    "mfa" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "user_counters_pkey" PRIMARY KEY ("shard")
);

-- CreateTable
CREATE TABLE "mfa_users" (
    "user_id" UUID NOT NULL,

    CONSTRAINT "mfa_users_pkey" PRIMARY KEY ("user_id")
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

-- MFA users (User.mfaEnabled: a confirmed TOTP factor or at least one passkey). After any statement on either factor
-- table, the people it touched are compared with mfa_users: those who now have a factor and are not in it are added,
-- those in it who have none any more are removed, and the counter moves by the difference. Comparing states rather
-- than summing per-row deltas counts a person once however many factors a statement adds or deletes (a cascade that
-- deletes a user's three passkeys is one person); mfa_users' primary key makes two transactions adding the first
-- factor of one person wait for each other, so the second adds nothing.
CREATE FUNCTION mfa_users_sync(affected uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s smallint := floor(random() * 16)::smallint;
  added bigint;
  removed bigint;
BEGIN
  WITH now_mfa AS (
    SELECT u.id FROM unnest(affected) AS u(id)
     WHERE EXISTS (SELECT 1 FROM mfa_totp_factors t WHERE t.user_id = u.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id)
  ), ins AS (
    INSERT INTO mfa_users (user_id) SELECT id FROM now_mfa ON CONFLICT DO NOTHING RETURNING 1
  )
  SELECT count(*) INTO added FROM ins;
  WITH del AS (
    DELETE FROM mfa_users m
     WHERE m.user_id = ANY(affected)
       AND NOT EXISTS (SELECT 1 FROM mfa_totp_factors t WHERE t.user_id = m.user_id AND t.confirmed_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = m.user_id)
    RETURNING 1
  )
  SELECT count(*) INTO removed FROM del;
  IF added <> removed THEN
    UPDATE user_counters SET mfa = mfa + added - removed WHERE shard = s;
  END IF;
END;
$$;

CREATE FUNCTION mfa_users_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mfa_users_sync(array_agg(DISTINCT user_id)) FROM inserted HAVING count(*) > 0;
  RETURN NULL;
END;
$$;

CREATE FUNCTION mfa_users_on_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mfa_users_sync(array_agg(DISTINCT user_id)) FROM deleted HAVING count(*) > 0;
  RETURN NULL;
END;
$$;

CREATE FUNCTION mfa_users_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM mfa_users_sync(ARRAY[OLD.user_id, NEW.user_id]);
  RETURN NULL;
END;
$$;

CREATE TRIGGER mfa_users_passkeys_insert AFTER INSERT ON "passkeys"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION mfa_users_on_insert();
CREATE TRIGGER mfa_users_passkeys_delete AFTER DELETE ON "passkeys"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION mfa_users_on_delete();
CREATE TRIGGER mfa_users_totp_insert AFTER INSERT ON "mfa_totp_factors"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION mfa_users_on_insert();
CREATE TRIGGER mfa_users_totp_delete AFTER DELETE ON "mfa_totp_factors"
  REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION mfa_users_on_delete();
-- Only a change of whether it is confirmed (or of its owner) matters, not every accepted code (last_used_step).
CREATE TRIGGER mfa_users_totp_update AFTER UPDATE OF confirmed_at, user_id ON "mfa_totp_factors"
  FOR EACH ROW
  WHEN ((OLD.confirmed_at IS NULL) IS DISTINCT FROM (NEW.confirmed_at IS NULL) OR OLD.user_id IS DISTINCT FROM NEW.user_id)
  EXECUTE FUNCTION mfa_users_on_update();

-- Back-fill from the rows already there: shard 0 holds the history, the other 15 start at zero.
INSERT INTO mfa_users (user_id)
SELECT user_id FROM mfa_totp_factors WHERE confirmed_at IS NOT NULL UNION SELECT user_id FROM passkeys;
INSERT INTO user_counters (shard, total, active, verified, mfa)
SELECT 0, count(*), count(*) FILTER (WHERE is_active), count(*) FILTER (WHERE email_verified_at IS NOT NULL),
       (SELECT count(*) FROM mfa_users)
  FROM users;
INSERT INTO user_counters (shard) SELECT generate_series(1, 15);

INSERT INTO daily_sign_in_counters (day, shard, sign_ups, sign_ins, failed_sign_ins)
SELECT (at AT TIME ZONE 'UTC')::date, 0,
       count(*) FILTER (WHERE action = 'auth.register'),
       count(*) FILTER (WHERE action = 'auth.login'),
       count(*) FILTER (WHERE action = 'auth.login_failed')
  FROM audit_events
 WHERE action IN ('auth.register', 'auth.login', 'auth.login_failed')
 GROUP BY 1;
