-- The partner directory (annuaire partenarial): structures and services in
-- the data·inclusion v1 model, one directory per mediation structure
-- (owner_id), upserted by (owner_id, source, di_id) on import. List fields
-- hold their codes as ",a,b,"; searches filter on directory_service_codes.
-- fresh_on is the later of verified_at and date_maj, kept by the store, so
-- that freshness filters and the review queue use one indexed column. Contacts, relations and
-- proposals are internal: the export never reads them.

create table directory_structures (
	id bigint generated always as identity primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	source text not null,
	di_id text not null,
	nom text not null,
	-- Folded name, for sorting and name search.
	name_key text not null,
	siret text not null default '',
	telephone text not null default '',
	courriel text not null default '',
	site_web text not null default '',
	lien_source text not null default '',
	horaires_accueil text not null default '',
	accessibilite_lieu text not null default '',
	reseaux_porteurs text not null default '',
	description text not null default '',
	adresse text not null default '',
	complement_adresse text not null default '',
	commune text not null default '',
	code_postal text not null default '',
	code_insee text not null default '',
	latitude double precision,
	longitude double precision,
	date_maj timestamptz not null,
	verified_at timestamptz,
	verified_by bigint references users (id) on delete set null,
	fresh_on timestamptz not null,
	-- Temporary information: '' when none.
	temp_kind text not null default '' check (temp_kind in ('', 'fermeture', 'horaires', 'message')),
	temp_message text not null default '',
	temp_hours text not null default '',
	temp_from timestamptz,
	temp_until timestamptz,
	created_at timestamptz not null,
	updated_at timestamptz not null,
	unique (owner_id, source, di_id)
);
create index directory_structures_name on directory_structures (owner_id, name_key);
create index directory_structures_fresh on directory_structures (owner_id, fresh_on);

create table directory_services (
	id bigint generated always as identity primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	source text not null,
	di_id text not null,
	di_structure_id text not null,
	nom text not null,
	description text not null,
	type text not null default '',
	thematiques text not null default '',
	frais text not null default '',
	frais_precisions text not null default '',
	publics text not null default '',
	publics_precisions text not null default '',
	conditions_acces text not null default '',
	telephone text not null default '',
	courriel text not null default '',
	contact_nom_prenom text not null default '',
	lien_mobilisation text not null default '',
	lien_source text not null default '',
	modes_accueil text not null default '',
	modes_mobilisation text not null default '',
	mobilisable_par text not null default '',
	mobilisation_precisions text not null default '',
	zone_eligibilite text not null default '',
	horaires_accueil text not null default '',
	nombre_semaines bigint,
	volume_horaire_hebdomadaire double precision,
	adresse text not null default '',
	complement_adresse text not null default '',
	commune text not null default '',
	code_postal text not null default '',
	code_insee text not null default '',
	-- The service's position, or its structure's when it has none.
	latitude double precision,
	longitude double precision,
	date_maj timestamptz not null,
	verified_at timestamptz,
	verified_by bigint references users (id) on delete set null,
	fresh_on timestamptz not null,
	-- Folded name, description, thématique labels and structure name.
	search_text text not null,
	-- The list order (folded structure name, then service name) and the
	-- position the distance sort uses (the service's, or its
	-- structure's), kept by the store so that a search reads one table.
	sort_key text not null,
	pos_lat double precision,
	pos_lon double precision,
	created_at timestamptz not null,
	updated_at timestamptz not null,
	unique (owner_id, source, di_id)
);
create index directory_services_structure on directory_services (structure_id);
create index directory_services_fresh on directory_services (owner_id, fresh_on);
create index directory_services_sort on directory_services (owner_id, sort_key);
create index directory_services_position on directory_services (owner_id, pos_lat, pos_lon);

-- The codes a search filters on, one row each: "t:" thématique (both
-- levels), "p:" public, "a:" mode d'accueil, "f:" frais, "c:" code INSEE.
-- A filter is an index range here instead of a LIKE over every service.
create table directory_service_codes (
	owner_id bigint not null references structures (id) on delete cascade,
	code text not null,
	service_id bigint not null references directory_services (id) on delete cascade,
	primary key (owner_id, code, service_id)
);
create index directory_service_codes_service on directory_service_codes (service_id);

create table directory_contacts (
	id bigint generated always as identity primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	name text not null,
	role text not null default '',
	phone text not null default '',
	email text not null default '',
	created_by bigint references users (id) on delete set null,
	created_at timestamptz not null
);
create index directory_contacts_structure on directory_contacts (structure_id);

create table directory_relations (
	id bigint generated always as identity primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	kind text not null check (kind in ('rencontre', 'evenement', 'convention')),
	title text not null,
	on_date timestamptz not null,
	end_date timestamptz,
	participants text not null default '',
	decisions text not null default '',
	follow_ups text not null default '',
	documents text not null default '',
	created_by bigint references users (id) on delete set null,
	created_at timestamptz not null
);
create index directory_relations_structure on directory_relations (structure_id, on_date);

create table directory_proposals (
	id bigint generated always as identity primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	text text not null,
	proposed_by bigint references users (id) on delete set null,
	created_at timestamptz not null,
	closed_at timestamptz,
	closed_by bigint references users (id) on delete set null,
	accepted boolean not null default false
);
create index directory_proposals_open on directory_proposals (owner_id, closed_at);

create table directory_settings (
	owner_id bigint primary key references structures (id) on delete cascade,
	to_check_months bigint not null,
	obsolete_months bigint not null
);

-- Full-text search on services: a generated tsvector over the folded
-- search_text ("simple" configuration: no stemming) and a GIN index.
alter table directory_services add column search_tsv tsvector
	generated always as (to_tsvector('simple', search_text)) stored;
create index directory_services_search on directory_services using gin (search_tsv);
