-- Personal data out of the append-only audit rows: each event's field changes and the client's address and user
-- agent move to audit_event_personal_data, linked to the person they are about, so that erasing that person deletes
-- them while the event (who, what, when, ids) stays. Only DDL touches audit_events (columns are dropped, no row is
-- updated), so its append-only trigger stays in force throughout.

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "erased_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "audit_event_personal_data" (
    "event_id" UUID NOT NULL,
    "part" TEXT NOT NULL,
    "subject_id" UUID,
    "data" JSONB NOT NULL,

    CONSTRAINT "audit_event_personal_data_pkey" PRIMARY KEY ("event_id","part")
);

-- CreateIndex
CREATE INDEX "audit_event_personal_data_subject_id_idx" ON "audit_event_personal_data"("subject_id");

-- AddForeignKey
ALTER TABLE "audit_event_personal_data" ADD CONSTRAINT "audit_event_personal_data_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_events"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Move the existing events' personal parts (the same subjects as the service assigns: see queries/audit.ts).
INSERT INTO "audit_event_personal_data" ("event_id", "part", "subject_id", "data")
SELECT "id", 'request',
       COALESCE("actor_id", CASE WHEN "target_type" = 'user' AND "target_id" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                                 THEN "target_id"::uuid END),
       jsonb_build_object('ip', "ip", 'userAgent', "user_agent")
  FROM "audit_events"
 WHERE "ip" IS NOT NULL OR "user_agent" IS NOT NULL;

INSERT INTO "audit_event_personal_data" ("event_id", "part", "subject_id", "data")
SELECT "id", 'changes',
       CASE WHEN "target_type" = 'user' AND "target_id" ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            THEN "target_id"::uuid END,
       "changes"
  FROM "audit_events"
 WHERE "changes" <> '{}'::jsonb;

-- AlterTable
ALTER TABLE "audit_events" DROP COLUMN "changes",
DROP COLUMN "ip",
DROP COLUMN "user_agent";

-- A personal part is written with its event and may be deleted (erasure), never rewritten.
CREATE FUNCTION audit_event_personal_data_no_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event_personal_data may be deleted, never updated' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_personal_data_no_update
  BEFORE UPDATE ON "audit_event_personal_data"
  FOR EACH ROW EXECUTE FUNCTION audit_event_personal_data_no_update();
