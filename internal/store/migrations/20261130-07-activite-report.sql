-- The collective actions' report indicators place sessions in a period
-- by their start: without this index every report read all the
-- structure's sessions (seances_activite starts with the project). It
-- holds the columns the session indicators read, so that counting the
-- held sessions and their presences needs no table lookup.
create index seances_report on seances (structure_id, starts_at, attendance_done, activite_id, present);
