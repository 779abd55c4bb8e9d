-- Collective actions (activités support): projects with objectives,
-- partners, budget and an adjustments log; sessions with registrations,
-- attendance and anonymous tallies; a satisfaction questionnaire per
-- session, answered on paper or through an expiring public link.

create table activites (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	title text not null,
	kind text not null,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	public text not null default '',
	need text not null default '',
	need_source text not null default '',
	participation text not null default '',
	resources text not null default '',
	-- Codes, comma-separated.
	channels text not null default '',
	accessibility text not null default '',
	risks text not null default '',
	{{ts "starts_on"}},
	{{ts "ends_on"}},
	status text not null default 'idee'
		check (status in ('idee', 'preparation', 'validee', 'en_cours', 'terminee', 'evaluee', 'annulee')),
	cancel_reason text not null default '',
	team_id bigint references teams (id) on delete set null,
	owner_id bigint references users (id) on delete set null,
	validated_by bigint references users (id) on delete set null,
	{{ts "validated_at"}},
	effects text not null default '',
	testimonies text not null default '',
	lessons text not null default '',
	decision text not null default '' check (decision in ('', 'poursuivre', 'ajuster', 'arreter')),
	decision_text text not null default '',
	-- Kept by the store, so that lists need no join on the sessions.
	seance_count integer not null default 0,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
-- The list's index, newest first, with every filtered column.
create index activites_list on activites (structure_id, created_at, status, kind, team_id, owner_id, zone_id, commune_id);

create table activite_objectives (
	id {{id}},
	activite_id bigint not null references activites (id) on delete cascade,
	label text not null,
	indicator text not null check (indicator in ('presences', 'seances', 'nouveaux', 'saisi')),
	target integer not null check (target > 0),
	unit text not null default '',
	entered integer
);
create index activite_objectives_activite on activite_objectives (activite_id);

create table activite_partners (
	id {{id}},
	activite_id bigint not null references activites (id) on delete cascade,
	directory_id bigint references directory_structures (id) on delete set null,
	name text not null default '',
	role text not null default ''
);
create index activite_partners_activite on activite_partners (activite_id);

create table activite_budget (
	id {{id}},
	activite_id bigint not null references activites (id) on delete cascade,
	funder text not null,
	label text not null,
	planned integer not null default 0 check (planned >= 0),
	actual integer not null default 0 check (actual >= 0)
);
create index activite_budget_activite on activite_budget (activite_id);

create table activite_adjustments (
	id {{id}},
	activite_id bigint not null references activites (id) on delete cascade,
	{{ts "at"}} not null,
	what text not null,
	why text not null,
	author_id bigint references users (id) on delete set null
);
create index activite_adjustments_activite on activite_adjustments (activite_id);

create table seances (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	activite_id bigint not null references activites (id) on delete cascade,
	-- The first session of the series (itself when alone).
	series_id bigint,
	{{ts "starts_at"}} not null,
	{{ts "ends_at"}} not null,
	place text not null,
	capacity integer not null check (capacity > 0),
	facilitators text not null default '',
	observations text not null default '',
	attendance_done boolean not null default false,
	-- Kept by the store: places taken, waiting, present (registered and
	-- tallied), satisfaction answers.
	registered integer not null default 0,
	waiting integer not null default 0,
	present integer not null default 0,
	answers integer not null default 0,
	{{ts "created_at"}} not null
);
create index seances_activite on seances (activite_id, starts_at);

create table seance_registrations (
	id {{id}},
	seance_id bigint not null references seances (id) on delete cascade,
	person_id bigint references persons (id) on delete set null,
	count integer not null default 1 check (count > 0),
	waiting boolean not null default false,
	attendance text not null default '' check (attendance in ('', 'present', 'excuse', 'absent')),
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null
);
create index seance_registrations_seance on seance_registrations (seance_id);
create index seance_registrations_person on seance_registrations (person_id);

create table seance_tallies (
	id {{id}},
	seance_id bigint not null references seances (id) on delete cascade,
	age_band text not null,
	gender text not null,
	zone_id bigint references zones (id) on delete set null,
	newcomer boolean not null default false,
	count integer not null check (count > 0)
);
create index seance_tallies_seance on seance_tallies (seance_id);

create table seance_links (
	id {{id}},
	seance_id bigint not null references seances (id) on delete cascade,
	token_hash text not null unique,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "expires_at"}} not null,
	{{ts "revoked_at"}}
);
create index seance_links_seance on seance_links (seance_id);

create table seance_answers (
	id {{id}},
	seance_id bigint not null references seances (id) on delete cascade,
	-- Scores 1–4 per question, 0 when skipped; no identity is asked.
	q1 integer not null default 0,
	q2 integer not null default 0,
	q3 integer not null default 0,
	q4 integer not null default 0,
	q5 integer not null default 0,
	comment text not null default '',
	source text not null default 'lien' check (source in ('lien', 'papier')),
	{{ts "created_at"}} not null
);
create index seance_answers_seance on seance_answers (seance_id);
