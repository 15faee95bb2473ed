-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "impersonator_id" UUID;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "impersonator_id" UUID;
