-- A technical report can name its responsible partner from the directory
-- (issue 5: "sent to the responsible partner from the directory"). The
-- name stays in partner_name, which the delays per partner group by.
alter table veille_tech add column directory_structure_id bigint references directory_structures (id) on delete set null;
