-- People accompanied (with their consents, digital autonomy profiles and
-- notes), interventions with their procedures, and the procedure
-- catalogue. Multi-valued fields that reports count (themes, registres,
-- mediators, people, obstacles) live in link tables, one row per fact.

create table persons (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	first_name text not null default '',
	last_name text not null default '',
	pseudonym text not null default '',
	birth_year integer not null default 0,
	age_band text not null default 'non_precise',
	gender text not null default 'non_precise',
	phone text not null default '',
	email text not null default '',
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	languages text not null default '',
	interpreter_needed boolean not null default false,
	access_needs text not null default '',
	access_text text not null default '',
	household text not null default 'non_precise',
	housing text not null default 'non_precise',
	activity text not null default 'non_precise',
	nationality text not null default 'non_precise',
	referent_id bigint references users (id) on delete set null,
	team_id bigint references teams (id) on delete set null,
	archived boolean not null default false,
	-- Folded (lower case, no accents) names, pseudonym, phone digits and
	-- e-mail, computed in Go; the full-text index reads it.
	search_text text not null default '',
	-- Folded "last first pseudonym", for sorting and duplicate checks.
	sort_key text not null default '',
	{{ts "last_contact_at"}},
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null,
	created_by bigint
);
create index persons_list on persons (structure_id, archived, sort_key);
create index persons_referent on persons (referent_id);
create index persons_zone on persons (zone_id);

create table consents (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null references persons (id) on delete cascade,
	scope text not null check (scope in ('dossier', 'partage', 'institution')),
	method text not null check (method in ('oral', 'ecrit')),
	{{ts "given_at"}} not null,
	recorded_by bigint,
	{{ts "recorded_at"}} not null,
	{{ts "withdrawn_at"}},
	withdrawn_by bigint
);
create index consents_person on consents (person_id);

create table autonomy_assessments (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null references persons (id) on delete cascade,
	{{ts "assessed_at"}} not null,
	equipment text not null default '',
	internet text not null default 'inconnu',
	has_email text not null default 'inconnu',
	franceconnect text not null default 'inconnu',
	level integer not null check (level between 1 and 3),
	recorded_by bigint,
	procedure_id bigint,
	{{ts "created_at"}} not null
);
create index autonomy_person on autonomy_assessments (person_id, assessed_at);

create table person_notes (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null references persons (id) on delete cascade,
	author_id bigint,
	text text not null,
	private boolean not null default false,
	{{ts "created_at"}} not null
);
create index person_notes_person on person_notes (person_id, created_at);

create table interventions (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	{{ts "start_at"}} not null,
	minutes integer not null check (minutes between 1 and 720),
	outside_hours boolean not null default false,
	place_type text not null,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	place_label text not null default '',
	registre text not null,
	initiative text not null default 'personne',
	institutions text not null default '',
	commanditaire text not null default '',
	description text not null default '',
	outcome text not null default 'en_attente',
	next_step text not null default '',
	documents text not null default '',
	{{ts "follow_up_on"}},
	follow_up_done boolean not null default false,
	created_by bigint,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index interventions_structure_start on interventions (structure_id, start_at);
create index interventions_follow_up on interventions (structure_id, follow_up_done, follow_up_on);

create table intervention_mediators (
	intervention_id bigint not null references interventions (id) on delete cascade,
	user_id bigint not null references users (id) on delete cascade,
	primary key (intervention_id, user_id)
);
create index intervention_mediators_user on intervention_mediators (user_id, intervention_id);

create table intervention_registres (
	intervention_id bigint not null references interventions (id) on delete cascade,
	registre text not null,
	primary key (intervention_id, registre)
);

create table intervention_themes (
	intervention_id bigint not null references interventions (id) on delete cascade,
	theme text not null,
	primary key (intervention_id, theme)
);

create table intervention_persons (
	intervention_id bigint not null references interventions (id) on delete cascade,
	person_id bigint not null references persons (id) on delete cascade,
	primary key (intervention_id, person_id)
);
create index intervention_persons_person on intervention_persons (person_id, intervention_id);

create table intervention_anonymous (
	intervention_id bigint not null references interventions (id) on delete cascade,
	age_band text not null,
	gender text not null,
	count integer not null check (count between 1 and 500),
	primary key (intervention_id, age_band, gender)
);

create table procedure_types (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	organisme text not null,
	label text not null,
	active boolean not null default true,
	unique (structure_id, organisme, label)
);

create table procedures (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	intervention_id bigint not null references interventions (id) on delete cascade,
	person_id bigint references persons (id) on delete set null,
	organisme text not null,
	type_id bigint references procedure_types (id) on delete set null,
	label text not null default '',
	channel text not null,
	mode text not null,
	mandate boolean not null default false,
	outcome text not null,
	autonomy_level integer not null default 0 check (autonomy_level between 0 and 3)
);
create index procedures_intervention on procedures (intervention_id);
create index procedures_person on procedures (person_id);

create table procedure_obstacles (
	procedure_id bigint not null references procedures (id) on delete cascade,
	obstacle text not null,
	primary key (procedure_id, obstacle)
);
