-- users.list search: one lowered text of the email and the full name, kept by PostgreSQL itself, matched with LIKE
-- and served by one trigram index. ILIKE on the two columns lowered both sides for every row it tested (2-3 times
-- the cost of the whole search over 100,000 users), and needed two trigram indexes OR-ed together.
ALTER TABLE "users" ADD COLUMN "search_text" TEXT NOT NULL GENERATED ALWAYS AS (lower("email") || E'\n' || lower(COALESCE("full_name", ''))) STORED;

DROP INDEX "users_email_trgm_idx";
DROP INDEX "users_full_name_trgm_idx";
CREATE INDEX "users_search_text_trgm_idx" ON "users" USING GIN ("search_text" gin_trgm_ops);

-- The planner needs the new column's statistics to choose between the trigram index and a scan in created_at order.
ANALYZE "users";
