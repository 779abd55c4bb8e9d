-- Veille sociale: observations of the territory, public online risks,
-- technical reports to partners, and the saved remontées reports. None
-- of these tables holds personal data: no person, no profile, no link to
-- an account.

create table veille_observations (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	{{ts "observed_on"}} not null,
	zone_id bigint references zones (id) on delete set null,
	theme text not null,
	kind text not null,
	description text not null,
	source text not null,
	reliability text not null check (reliability in ('verifiee', 'a_confirmer')),
	follow_up text not null default '',
	status text not null default 'nouvelle' check (status in ('nouvelle', 'en_suivi', 'close')),
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index veille_observations_structure on veille_observations (structure_id, observed_on);

create table veille_risks (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	{{ts "seen_on"}} not null,
	platform text not null,
	category text not null,
	seriousness integer not null check (seriousness between 1 and 4),
	public text not null,
	minors_involved boolean not null default false,
	description text not null,
	-- Codes of the actions taken, comma-separated, in list order.
	actions text not null default '',
	status text not null default 'signale' check (status in ('signale', 'en_cours', 'clos')),
	status_note text not null default '',
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index veille_risks_structure on veille_risks (structure_id, seen_on);

create table veille_tech (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	category text not null,
	zone_id bigint references zones (id) on delete set null,
	location text not null,
	description text not null,
	-- The responsible partner, in free text until the partner directory
	-- links it; partner_key is its folded form, for the delays per partner.
	partner_name text not null,
	partner_key text not null,
	partner_kind text not null,
	status text not null default 'signale' check (status in ('signale', 'pris_en_compte', 'resolu')),
	{{ts "reported_on"}} not null,
	{{ts "acknowledged_on"}},
	{{ts "resolved_on"}},
	status_note text not null default '',
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index veille_tech_structure on veille_tech (structure_id, reported_on);

create table veille_remontees (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	{{ts "period_from"}} not null,
	{{ts "period_to"}} not null,
	-- '' for every organisme.
	organisme text not null default '',
	comment text not null,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null
);
create index veille_remontees_structure on veille_remontees (structure_id, created_at);
