-- Reports (rendre compte): a structure's report templates ("modèles de
-- bilan"), and the index the activity report reads interventions from.

-- A template: a title, an introduction, and the ordered sections, each an
-- indicator with an optional heading and free text, stored as JSON text
-- (the list is read and written whole, never queried by its parts).
create table report_templates (
	id {{id}},
	structure_id bigint not null references structures (id) on delete cascade,
	title text not null,
	intro text not null default '',
	sections text not null default '[]',
	-- Reports made from the template are shared outside the structure:
	-- small cells are suppressed.
	external boolean not null default true,
	created_by bigint references users (id) on delete set null,
	{{ts "created_at"}} not null,
	{{ts "updated_at"}} not null
);
create index report_templates_structure on report_templates (structure_id, title);

-- The activity report groups a structure's interventions of a period by
-- these columns: an index holding them all answers without reading the
-- rows (measured in docs/performance.md §13).
create index interventions_report on interventions
	(structure_id, start_at, registre, place_type, outside_hours, minutes, zone_id, commune_id);
