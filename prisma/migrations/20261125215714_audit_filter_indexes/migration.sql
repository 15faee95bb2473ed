-- CreateIndex
CREATE INDEX "audit_events_actor_id_action_at_id_idx" ON "audit_events"("actor_id", "action", "at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_target_id_action_at_id_idx" ON "audit_events"("target_id", "action", "at" DESC, "id" DESC);
