-- Full-text search on people: a generated tsvector over the folded
-- search_text column with the "simple" configuration (no stemming: names
-- and places dominate) and a GIN index.
alter table persons add column search_tsv tsvector
	generated always as (to_tsvector('simple', search_text)) stored;
create index persons_search on persons using gin (search_tsv);
