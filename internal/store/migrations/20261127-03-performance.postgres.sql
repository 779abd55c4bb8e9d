-- PostgreSQL's GIN index on search_tsv answers prefix queries from its
-- own sorted entries: nothing to add. This half keeps the pair complete
-- (the SQLite half adds FTS5 prefix indexes).
select 1;
