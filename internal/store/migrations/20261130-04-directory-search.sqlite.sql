-- Directory search at the scale of 100,000 services (docs/performance.md
-- §11): the store answers searches from an index it keeps in memory per
-- directory (annuaire_search.go), checked against the directory's version
-- below. The FTS5 index and its triggers go: kept row by row, every insert
-- opened a statement savepoint in which FTS5 flushed its pending terms,
-- 30 % of a 100,000-service import.
drop trigger directory_services_fts_insert;
drop trigger directory_services_fts_delete;
drop trigger directory_services_fts_update;
drop table directory_services_fts;

-- Set by a large import inside its transaction, which then bumps the
-- version once instead of once per row.
create table directory_index_paused (
	one integer primary key check (one = 1)
);

-- Every change of a service bumps its directory's version.
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
