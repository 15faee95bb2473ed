-- users.list in its default order walks the (created_at, id) index newest first. With search_text as a third key
-- column (it never changes the order: id is unique), a search tests each row it passes from the index alone, an
-- index-only scan, instead of visiting the table for it. Over 100,000 users: 'smith' 1.8 -> 0.8 ms, and the longest
-- walk, a term that matches nothing when the planner expected matches, 46-62 -> 20-25 ms. A key column rather than
-- INCLUDE because Prisma's schema cannot describe INCLUDE; B-tree suffix truncation keeps it out of the inner
-- pages all the same.

-- DropIndex
DROP INDEX "users_created_at_id_idx";

-- CreateIndex
CREATE INDEX "users_created_at_id_search_text_idx" ON "users"("created_at", "id", "search_text");

-- Without a pending list: with fastupdate (the default) every new row version since the last VACUUM waits in an
-- unsorted list that every search reads through. Each sign-in writes a new version of its user's row (last_login_at
-- is indexed), so 3,000 sign-ins took a rare term's search from 0.44 to 2.4 ms, and the list grows to 4 MB before
-- one unlucky write merges it. Written straight into the index instead, an update costs ~0.35 ms more: small
-- beside the password hash of a sign-in.
ALTER INDEX "users_search_text_trgm_idx" SET (fastupdate = off);
