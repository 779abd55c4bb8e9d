-- The partner directory (annuaire partenarial): structures and services in
-- the data·inclusion v1 model, one directory per mediation structure
-- (owner_id), upserted by (owner_id, source, di_id) on import. List fields
-- hold their codes as ",a,b,"; searches filter on directory_service_codes.
-- fresh_on is the later of verified_at and date_maj, kept by the store, so
-- that freshness filters and the review queue use one indexed column. Contacts, relations and
-- proposals are internal: the export never reads them.

create table directory_structures (
	id integer primary key,
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
	date_maj timetext check (date_maj is null or (length(date_maj) = 27 and date_maj glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	verified_at timetext check (verified_at is null or (length(verified_at) = 27 and verified_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	verified_by bigint references users (id) on delete set null,
	fresh_on timetext check (fresh_on is null or (length(fresh_on) = 27 and fresh_on glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	-- Temporary information: '' when none.
	temp_kind text not null default '' check (temp_kind in ('', 'fermeture', 'horaires', 'message')),
	temp_message text not null default '',
	temp_hours text not null default '',
	temp_from timetext check (temp_from is null or (length(temp_from) = 27 and temp_from glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	temp_until timetext check (temp_until is null or (length(temp_until) = 27 and temp_until glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	created_at timetext check (created_at is null or (length(created_at) = 27 and created_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	updated_at timetext check (updated_at is null or (length(updated_at) = 27 and updated_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	unique (owner_id, source, di_id)
);
create index directory_structures_name on directory_structures (owner_id, name_key);
create index directory_structures_fresh on directory_structures (owner_id, fresh_on);

create table directory_services (
	id integer primary key,
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
	date_maj timetext check (date_maj is null or (length(date_maj) = 27 and date_maj glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	verified_at timetext check (verified_at is null or (length(verified_at) = 27 and verified_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	verified_by bigint references users (id) on delete set null,
	fresh_on timetext check (fresh_on is null or (length(fresh_on) = 27 and fresh_on glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	-- Folded name, description, thématique labels and structure name.
	search_text text not null,
	-- The list order (folded structure name, then service name) and the
	-- position the distance sort uses (the service's, or its
	-- structure's), kept by the store so that a search reads one table.
	sort_key text not null,
	pos_lat double precision,
	pos_lon double precision,
	created_at timetext check (created_at is null or (length(created_at) = 27 and created_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	updated_at timetext check (updated_at is null or (length(updated_at) = 27 and updated_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
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
	id integer primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	name text not null,
	role text not null default '',
	phone text not null default '',
	email text not null default '',
	created_by bigint references users (id) on delete set null,
	created_at timetext check (created_at is null or (length(created_at) = 27 and created_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null
);
create index directory_contacts_structure on directory_contacts (structure_id);

create table directory_relations (
	id integer primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	kind text not null check (kind in ('rencontre', 'evenement', 'convention')),
	title text not null,
	on_date timetext check (on_date is null or (length(on_date) = 27 and on_date glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	end_date timetext check (end_date is null or (length(end_date) = 27 and end_date glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	participants text not null default '',
	decisions text not null default '',
	follow_ups text not null default '',
	documents text not null default '',
	created_by bigint references users (id) on delete set null,
	created_at timetext check (created_at is null or (length(created_at) = 27 and created_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null
);
create index directory_relations_structure on directory_relations (structure_id, on_date);

create table directory_proposals (
	id integer primary key,
	owner_id bigint not null references structures (id) on delete cascade,
	structure_id bigint not null references directory_structures (id) on delete cascade,
	text text not null,
	proposed_by bigint references users (id) on delete set null,
	created_at timetext check (created_at is null or (length(created_at) = 27 and created_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')) not null,
	closed_at timetext check (closed_at is null or (length(closed_at) = 27 and closed_at glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]Z')),
	closed_by bigint references users (id) on delete set null,
	accepted boolean not null default false
);
create index directory_proposals_open on directory_proposals (owner_id, closed_at);

create table directory_settings (
	owner_id bigint primary key references structures (id) on delete cascade,
	to_check_months bigint not null,
	obsolete_months bigint not null
);

-- Full-text search on services: an external-content FTS5 index over the
-- folded search_text, kept in sync by triggers, with prefix indexes like
-- the people search.
create virtual table directory_services_fts using fts5(
	search_text,
	content = 'directory_services',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);

create trigger directory_services_fts_insert after insert on directory_services begin
	insert into directory_services_fts (rowid, search_text) values (new.id, new.search_text);
end;

create trigger directory_services_fts_delete after delete on directory_services begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text) values ('delete', old.id, old.search_text);
end;

create trigger directory_services_fts_update after update of search_text on directory_services begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text) values ('delete', old.id, old.search_text);
	insert into directory_services_fts (rowid, search_text) values (new.id, new.search_text);
end;
