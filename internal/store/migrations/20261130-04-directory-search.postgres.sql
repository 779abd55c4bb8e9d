-- Directory search at the scale of 100,000 services (docs/performance.md
-- §11): the store answers searches from an index it keeps in memory per
-- directory (annuaire_search.go), checked against the directory's version
-- below. The generated tsvector and its GIN index go: a prefix of two
-- letters took 33 ms in the index, and its matches were rechecked on
-- 2 KB rows.
alter table directory_services drop column search_tsv;

-- The index in memory reads the names in byte order ("C"), the order both
-- engines sort folded keys by.
create index directory_services_sort_c on directory_services (owner_id, sort_key collate "C", id);

-- Set by a large import inside its transaction, which then bumps the
-- version once instead of once per row.
create table directory_index_paused (
	one integer primary key check (one = 1)
);

-- Every change of a service bumps its directory's version.
create table directory_versions (
	owner_id bigint primary key references structures (id) on delete cascade,
	version bigint not null
);

create function directory_services_version() returns trigger language plpgsql as $$
begin
	if exists (select 1 from directory_index_paused) then
		return null;
	end if;
	insert into directory_versions (owner_id, version)
	values (case when tg_op = 'DELETE' then old.owner_id else new.owner_id end, 1)
	on conflict (owner_id) do update set version = directory_versions.version + 1;
	return null;
end;
$$;

create trigger directory_services_version after insert or update or delete on directory_services
for each row execute function directory_services_version();
