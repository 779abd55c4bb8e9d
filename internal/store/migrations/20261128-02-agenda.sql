-- The agenda: appointments with a person, permanences (possibly weekly),
-- planned tournées and partner meetings, with their mediators, the
-- cancelled occurrences of weekly permanences, and the iCal feeds. A
-- feed's token is never stored, only its SHA-256.

create table agenda_events (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	kind text not null check (kind in ('rendez_vous', 'permanence', 'tournee', 'reunion')),
	{{ts "start_at"}} not null,
	{{ts "end_at"}} not null,
	-- A weekly permanence's last day (Paris midnight); null: one event.
	{{ts "repeat_until"}},
	team_id bigint references teams (id) on delete set null,
	person_id bigint references persons (id) on delete set null,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	place_label text not null default '',
	theme text not null default '',
	purpose text not null,
	documents text not null default '',
	attendance text not null default '' check (attendance in ('', 'venu', 'excuse', 'absent', 'annule')),
	{{ts "attendance_at"}},
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index agenda_events_team_start on agenda_events (team_id, start_at);
create index agenda_events_person_start on agenda_events (person_id, start_at);
create index agenda_events_recurring on agenda_events (structure_id) where repeat_until is not null;

-- start_at is copied from the event so that a mediator's week is one
-- range scan of (user_id, start_at).
create table agenda_members (
	event_id bigint not null references agenda_events (id) on delete cascade,
	user_id bigint not null references users (id) on delete cascade,
	{{ts "start_at"}} not null,
	primary key (event_id, user_id)
);
create index agenda_members_user_start on agenda_members (user_id, start_at);

create table agenda_exceptions (
	event_id bigint not null references agenda_events (id) on delete cascade,
	{{ts "day"}} not null,
	primary key (event_id, day)
);

create table agenda_feeds (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	user_id bigint not null unique references users (id) on delete cascade,
	token_hash text not null unique,
	{{ts "created_at"}} not null,
	{{ts "last_used_at"}}
);
