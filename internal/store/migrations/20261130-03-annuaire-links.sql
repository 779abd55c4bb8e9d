-- Links from the mediation's records to the partner directory: the
-- directory service an orientation was sent to, and the directory
-- structure an intervention or an accompanied procedure involved. The
-- free-text partner name stays the record of what was written; the link
-- leads to the entry while it exists.

alter table orientations add column directory_service_id bigint references directory_services (id) on delete set null;
alter table interventions add column directory_structure_id bigint references directory_structures (id) on delete set null;
alter table procedures add column directory_structure_id bigint references directory_structures (id) on delete set null;
create index directory_structures_insee on directory_structures (owner_id, code_insee);
