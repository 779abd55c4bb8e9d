-- Foundation: instance settings, structures and their territory, teams,
-- users, sessions, login throttling and the audit log.

create table instance_settings (
	key text primary key,
	value text not null
);

create table structures (
	id {{id}},
	name text not null,
	siret text not null default '',
	address_line text not null default '',
	postal_code text not null default '',
	city text not null default '',
	email text not null default '',
	phone text not null default '',
	office_hours text not null default '',
	holidays text not null default 'metropole' check (holidays in ('metropole', 'alsace-moselle')),
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);

create table communes (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	insee text not null,
	name text not null,
	unique (structure_id, insee)
);

create table zones (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	commune_id bigint not null references communes (id) on delete cascade,
	name text not null,
	qpv_code text not null default '',
	unique (commune_id, name)
);
create index zones_structure on zones (structure_id);

create table teams (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	name text not null,
	description text not null default '',
	{{ts "created_at"}} not null,
	unique (structure_id, name)
);

create table users (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	team_id bigint references teams (id) on delete set null,
	email text not null unique,
	display_name text not null,
	search_key text not null,
	role text not null check (role in ('mediateur', 'coordinateur', 'admin')),
	password_hash text not null,
	active boolean not null default true,
	must_change_password boolean not null default false,
	{{ts "last_login_at"}},
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index users_structure on users (structure_id, display_name);
create index users_team on users (team_id);

-- Sessions hold the SHA-256 of the token, never the token itself.
create table sessions (
	token_hash text primary key,
	user_id bigint not null references users (id) on delete cascade,
	csrf_token text not null,
	{{ts "created_at"}} not null,
	{{ts "last_seen_at"}} not null
);
create index sessions_user on sessions (user_id);

-- One row per throttled key ("account:<id>" or "client:<digest>").
create table login_throttle (
	key text primary key,
	failures integer not null,
	{{ts "window_start"}} not null,
	{{ts "blocked_until"}}
);

-- Append-only: no update ever; rows are deleted only by the retention job.
-- actor_id has no foreign key so that the log outlives accounts.
create table audit_log (
	id {{id}},
	{{ts "at"}} not null,
	structure_id bigint references structures (id) on delete cascade,
	actor_id bigint,
	channel text not null,
	action text not null,
	record_type text not null default '',
	record_id bigint not null default 0,
	fields text not null default '',
	request_id text not null default ''
);
create index audit_log_structure_at on audit_log (structure_id, at);
create index audit_log_at on audit_log (at);
