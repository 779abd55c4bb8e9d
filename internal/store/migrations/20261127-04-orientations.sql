-- Orientations (mises en relation) to partner services, and the links
-- through which a partner that uses no platform answers. A link's token is
-- never stored, only its SHA-256.

create table orientations (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	-- null: an anonymous orientation.
	person_id bigint references persons (id) on delete set null,
	intervention_id bigint references interventions (id) on delete set null,
	partner_name text not null,
	-- Folded partner name, to group the figures per partner.
	partner_key text not null,
	partner_contact text not null default '',
	reason text not null,
	-- Codes of the shared items, comma-separated, in list order.
	shared_items text not null default '',
	shared_text text not null default '',
	mode text not null,
	status text not null default 'proposee'
		check (status in ('proposee', 'transmise', 'prise_en_charge', 'refusee', 'sans_suite')),
	closure_reason text not null default '',
	closure_text text not null default '',
	{{ts "expected_on"}},
	{{ts "transmitted_at"}},
	{{ts "outcome_at"}},
	outcome_source text not null default '',
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index orientations_structure on orientations (structure_id, created_at);
create index orientations_person on orientations (person_id);
create index orientations_expected on orientations (structure_id, status, expected_on);

create table orientation_links (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	orientation_id bigint not null references orientations (id) on delete cascade,
	token_hash text not null unique,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "expires_at"}} not null,
	{{ts "revoked_at"}},
	{{ts "used_at"}}
);
create index orientation_links_orientation on orientation_links (orientation_id);
