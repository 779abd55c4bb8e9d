-- Mediations: cases of conflict between people or groups, or of a person
-- and an institution, followed over several steps (each an intervention)
-- up to an outcome, the parties' commitments and a follow-up.

create table mediations (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	kind text not null check (kind in ('conflit', 'institution')),
	topic text not null,
	subject text not null,
	origin text not null,
	{{ts "origin_on"}} not null,
	team_id bigint references teams (id) on delete set null,
	mediator_id bigint references users (id) on delete set null,
	commune_id bigint references communes (id) on delete set null,
	zone_id bigint references zones (id) on delete set null,
	-- Codes of the scope check at opening, comma-separated; any sends the
	-- case to a relais.
	scope_issues text not null default '',
	notes text not null default '',
	status text not null default 'ouverte'
		check (status in ('ouverte', 'en_cours', 'suspendue', 'cloturee')),
	outcome text not null default ''
		check (outcome in ('', 'apaisement', 'accord', 'accord_partiel', 'echec', 'refus', 'relais')),
	outcome_text text not null default '',
	relay_target text not null default '',
	relay_reason text not null default '',
	{{ts "closed_at"}},
	{{ts "follow_up_on"}},
	follow_up_done boolean not null default false,
	follow_up_result text not null default '',
	-- Kept by the store, so that lists need no join on the parties.
	party_count integer not null default 0,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null,
	check ((status = 'cloturee') = (outcome <> ''))
);
-- The list's index: in date order, with every filtered column, so that
-- counting and filtering read the index alone and only the rows shown are
-- fetched from the table.
create index mediations_list on mediations (structure_id, origin_on, kind, status, team_id, mediator_id, zone_id, commune_id);
create index mediations_status on mediations (structure_id, status, origin_on);
create index mediations_follow_up on mediations (structure_id, follow_up_done, follow_up_on);

create table mediation_parties (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	mediation_id bigint not null references mediations (id) on delete cascade,
	kind text not null check (kind in ('personne', 'decrite', 'groupe', 'institution')),
	-- Identified parties only.
	person_id bigint references persons (id) on delete set null,
	label text not null default '',
	consent_method text not null default '',
	{{ts "consent_on"}},
	{{ts "withdrawn_at"}},
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null
);
create index mediation_parties_mediation on mediation_parties (mediation_id);
create index mediation_parties_person on mediation_parties (person_id);

create table mediation_steps (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	mediation_id bigint not null references mediations (id) on delete cascade,
	kind text not null,
	intervention_id bigint not null references interventions (id) on delete cascade,
	party_id bigint references mediation_parties (id) on delete set null,
	note text not null default '',
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null
);
create index mediation_steps_mediation on mediation_steps (mediation_id);
create index mediation_steps_intervention on mediation_steps (intervention_id);

create table mediation_commitments (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	mediation_id bigint not null references mediations (id) on delete cascade,
	party_id bigint not null references mediation_parties (id) on delete cascade,
	text text not null,
	{{ts "agreed_on"}} not null,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null
);
create index mediation_commitments_mediation on mediation_commitments (mediation_id);
