-- The flag a large directory import sets inside its transaction (see the
-- SQLite file). PostgreSQL's search vector is a generated column that
-- needs no pause; the table exists for the same schema on both engines.
create table directory_index_paused (
	one integer primary key check (one = 1)
);
