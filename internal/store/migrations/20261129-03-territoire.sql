-- Territory pages (key figures, versioned diagnostics of communes and
-- zones), the communes' official data, shared information items and the
-- tokens of the network Atom feed (only their SHA-256 is stored).

alter table communes add column department text not null default '';
alter table communes add column population integer;

-- An area is a commune or a zone: exactly one of the two is set.
create table key_figures (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	commune_id bigint references communes (id) on delete cascade,
	zone_id bigint references zones (id) on delete cascade,
	label text not null,
	value text not null,
	unit text not null default '',
	source text not null,
	{{ts "figure_on"}} not null,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	check ((commune_id is null) <> (zone_id is null))
);
create index key_figures_commune on key_figures (commune_id);
create index key_figures_zone on key_figures (zone_id);
create index key_figures_structure on key_figures (structure_id);

-- Every save is a new version; none is ever changed.
create table diagnostics (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	commune_id bigint references communes (id) on delete cascade,
	zone_id bigint references zones (id) on delete cascade,
	version integer not null,
	needs text not null default '',
	resources text not null default '',
	issues text not null default '',
	author_id bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	check ((commune_id is null) <> (zone_id is null))
);
create index diagnostics_commune on diagnostics (commune_id, version);
create index diagnostics_zone on diagnostics (zone_id, version);

create table infos (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	title text not null,
	content text not null,
	source text not null default '',
	link text not null default '',
	{{ts "valid_from"}},
	{{ts "valid_until"}},
	{{ts "review_on"}},
	-- Theme codes, comma-separated, in list order.
	themes text not null default '',
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	level text not null check (level in ('equipe', 'structure', 'reseau', 'public')),
	-- The author's team: an "équipe" item is read by that team and the
	-- coordination only.
	team_id bigint references teams (id) on delete set null,
	status text not null check (status in ('proposee', 'publiee')),
	-- A mediator's proposed update of a published item: validating it
	-- copies it into that item and deletes the proposal.
	replaces_id bigint references infos (id) on delete cascade,
	author_id bigint references users (id) on delete set null,
	validated_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index infos_structure on infos (structure_id, level, updated_at);

create table feed_tokens (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	label text not null,
	token_hash text not null unique,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "revoked_at"}},
	{{ts "last_used_at"}}
);
create index feed_tokens_structure on feed_tokens (structure_id);

-- The territory pages count twelve months of interventions per commune
-- and per quartier.
create index interventions_zone_start on interventions (zone_id, start_at);
create index interventions_commune_start on interventions (commune_id, start_at);
