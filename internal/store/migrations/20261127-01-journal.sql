-- The coordination's comment on a day of the main courante: at most one
-- per mediator or team and Paris day. The day is written yyyy-mm-dd, as
-- text on both engines, so that it never shifts with a time zone.

create table journal_comments (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	mediator_id bigint references users (id) on delete cascade,
	team_id bigint references teams (id) on delete cascade,
	day text not null check (length(day) = 10),
	text text not null,
	author_id bigint references users (id) on delete set null,
	{{ts "updated_at"}} not null,
	check ((mediator_id is null) <> (team_id is null))
);
-- Unique per scope and day; the other scope column is null, so each
-- scope has its own partial index.
create unique index journal_comments_mediator_day on journal_comments (mediator_id, day) where mediator_id is not null;
create unique index journal_comments_team_day on journal_comments (team_id, day) where team_id is not null;
