-- Part 2 "Webhooks": endpoints (secrets sealed under ENCRYPTION_KEY), the attempts of each delivery, and per-key
-- ordering of outbox deliveries (a webhook waits while an earlier one to the same endpoint about the same subject is pending).

-- CreateEnum
CREATE TYPE "webhook_attempt_status" AS ENUM ('succeeded', 'failed');

-- AlterTable
ALTER TABLE "outbox" ADD COLUMN     "order_key" TEXT,
ADD COLUMN     "seq" SERIAL NOT NULL;

-- CreateTable
CREATE TABLE "webhook_endpoints" (
    "id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "events" TEXT[],
    "sealed_secret" TEXT NOT NULL,
    "previous_sealed_secret" TEXT,
    "previous_secret_expires_at" TIMESTAMPTZ(3),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "failing_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_attempts" (
    "id" UUID NOT NULL,
    "endpoint_id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" "webhook_attempt_status" NOT NULL,
    "response_status" INTEGER,
    "duration_ms" INTEGER NOT NULL,
    "response_excerpt" TEXT,
    "error" TEXT,
    "payload" JSONB NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_attempts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhook_attempts_endpoint_id_at_id_idx" ON "webhook_attempts"("endpoint_id", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_attempts_endpoint_id_event_id_idx" ON "webhook_attempts"("endpoint_id", "event_id");

-- CreateIndex
CREATE INDEX "outbox_order_key_seq_idx" ON "outbox"("order_key", "seq");

-- AddForeignKey
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_endpoint_id_fkey" FOREIGN KEY ("endpoint_id") REFERENCES "webhook_endpoints"("id") ON DELETE CASCADE ON UPDATE CASCADE;
