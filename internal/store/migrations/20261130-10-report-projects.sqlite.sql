-- The figures of each project per Paris day of its sessions (held
-- sessions, their presences, newcomers tallied): the objectives of the
-- projects of a period are checked against the sums over all their days
-- (report_days.go). Every session's day is marked, so the next report
-- fills it.
create table report_project_days (
	structure_id bigint not null references structures (id) on delete cascade,
	activite_id bigint not null,
	day text not null,
	held integer not null,
	presences integer not null,
	newcomers integer not null,
	primary key (structure_id, activite_id, day)
) without rowid;
create index report_project_days_day on report_project_days (structure_id, day, held, activite_id);
create index activite_objectives_figures on activite_objectives (activite_id, indicator, target, entered);

-- Closed mediations by outcome and duration, read from the index alone.
create index mediations_closed on mediations (structure_id, closed_at, status, outcome, origin_on);

insert or ignore into report_dirty (structure_id, day) select distinct structure_id, substr(starts_at, 1, 10) from seances;
