-- Tournées (street presence) with their anonymous counters and short
-- observations, and the lone-worker check-ins of tournées and home visits
-- made alone.

create table tournees (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	{{ts "start_at"}} not null,
	{{ts "end_at"}},
	outside_hours boolean not null default false,
	created_by bigint,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index tournees_structure_start on tournees (structure_id, start_at);

create table tournee_members (
	tournee_id bigint not null references tournees (id) on delete cascade,
	user_id bigint not null references users (id) on delete cascade,
	primary key (tournee_id, user_id)
);
create index tournee_members_user on tournee_members (user_id);

-- One row per counter, written by its first click; every click is a
-- single atomic "n = n + delta" upsert.
create table tournee_counts (
	tournee_id bigint not null references tournees (id) on delete cascade,
	counter text not null,
	n integer not null default 0 check (n between 0 and 9999),
	primary key (tournee_id, counter)
);

create table tournee_observations (
	id {{id}},
	tournee_id bigint not null references tournees (id) on delete cascade,
	kind text not null check (kind in ('observation', 'incident')),
	{{ts "at"}} not null,
	text text not null,
	created_by bigint
);
create index tournee_observations_tournee on tournee_observations (tournee_id, at);

create table checkins (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	user_id bigint not null references users (id) on delete cascade,
	kind text not null check (kind in ('tournee', 'domicile')),
	tournee_id bigint references tournees (id) on delete cascade,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	place_label text not null default '',
	{{ts "started_at"}} not null,
	{{ts "expected_end_at"}} not null,
	{{ts "checked_out_at"}},
	closed_by bigint references users (id) on delete set null
);
-- One open check-in per person: the banner and the alert name one.
create unique index checkins_open_user on checkins (user_id) where checked_out_at is null;
create index checkins_open_structure on checkins (structure_id, expected_end_at) where checked_out_at is null;
