-- Indexes of the orientation list and the figures per partner, measured on
-- the large dataset (75,000 orientations per structure; docs/performance.md).
-- The list pages with one index per filter, so that a page reads 50 rows
-- and its total counts index entries only. The figures per partner read the
-- latest orientations from the structure's index alone: it carries every
-- column they use, and replaces the narrower (structure_id, created_at).

drop index orientations_structure;
create index orientations_figures on orientations
	(structure_id, created_at, partner_key, partner_name, status, outcome_source, transmitted_at, outcome_at);
create index orientations_status on orientations (structure_id, status, created_at);
-- The partner filter resolves to exact keys (a skip scan of this index),
-- then counts and pages on it.
create index orientations_partner on orientations (structure_id, partner_key, status, created_at);
create index orientations_author on orientations (structure_id, created_by, created_at);
