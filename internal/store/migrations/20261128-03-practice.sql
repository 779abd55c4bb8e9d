-- The journal of practice. A note belongs to its author alone (no
-- structure-wide read, no search text, no link to any person); it is
-- deleted for good on request. Sessions are the structure's.

create table practice_notes (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	author_id bigint not null references users (id) on delete cascade,
	situation text not null,
	action text not null default '',
	raised text not null default '',
	learnt text not null default '',
	questions text not null default '',
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index practice_notes_author on practice_notes (author_id, created_at);

create table practice_sessions (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	{{ts "held_on"}} not null,
	facilitator text not null,
	-- Codes of the themes chosen, comma-separated, in list order.
	themes text not null default '',
	themes_text text not null default '',
	summary text not null default '',
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index practice_sessions_structure on practice_sessions (structure_id, held_on);

create table practice_session_attendees (
	session_id bigint not null references practice_sessions (id) on delete cascade,
	user_id bigint not null references users (id) on delete cascade,
	primary key (session_id, user_id)
);
