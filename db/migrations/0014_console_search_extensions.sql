-- The console's account search matches any part of a user name, email or display name: a trigram
-- GIN index (pg_trgm), with the organization in the same index (btree_gin) so one tenant's search
-- never walks another's matches. Both ship with PostgreSQL (contrib) and are trusted extensions:
-- a database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;
