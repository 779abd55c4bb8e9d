-- Directory search and import at the scale of 100,000 services
-- (docs/performance.md §11).
--
-- A large directory import pauses the full-text triggers and rebuilds the
-- index once at the end. Kept row by row, every insert opened a statement
-- savepoint in which FTS5 flushed its pending terms to disk: 100,000
-- services made 100,000 tiny segments to merge, a quarter of the import's
-- CPU. The flag row exists only inside the import's transaction.
create table directory_index_paused (
	one integer primary key check (one = 1)
);

drop trigger directory_services_fts_insert;
drop trigger directory_services_fts_delete;
drop trigger directory_services_fts_update;

-- The index also holds each service's owner as a column: a search of an
-- owner's services by words is then answered by the index alone, instead
-- of reading every matching row to check its owner.
drop table directory_services_fts;
create virtual table directory_services_fts using fts5(
	search_text,
	owner_id,
	content = 'directory_services',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);
insert into directory_services_fts (directory_services_fts) values ('rebuild');

create trigger directory_services_fts_insert after insert on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (rowid, search_text, owner_id) values (new.id, new.search_text, new.owner_id);
end;

create trigger directory_services_fts_delete after delete on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text, owner_id) values ('delete', old.id, old.search_text, old.owner_id);
end;

create trigger directory_services_fts_update after update of search_text on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text, owner_id) values ('delete', old.id, old.search_text, old.owner_id);
	insert into directory_services_fts (rowid, search_text, owner_id) values (new.id, new.search_text, new.owner_id);
end;

-- The version of each directory, which the search index held in memory
-- is checked against (annuaire_search.go): every change of a service
-- bumps it, except inside a large import, which bumps it once.
create table directory_versions (
	owner_id integer primary key references structures (id) on delete cascade,
	version bigint not null
);

create trigger directory_services_version_insert after insert on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_versions (owner_id, version) values (new.owner_id, 1)
	on conflict (owner_id) do update set version = version + 1;
end;

create trigger directory_services_version_update after update on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_versions (owner_id, version) values (new.owner_id, 1)
	on conflict (owner_id) do update set version = version + 1;
end;

create trigger directory_services_version_delete after delete on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_versions (owner_id, version) values (old.owner_id, 1)
	on conflict (owner_id) do update set version = version + 1;
end;
