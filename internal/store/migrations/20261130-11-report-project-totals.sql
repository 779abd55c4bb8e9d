-- Each project's figures over all its sessions, the sums of its days in
-- report_project_days, recomputed with them (report_days.go): the
-- objectives of a period's projects read one row per project.
create table report_project_totals (
	structure_id bigint not null references structures (id) on delete cascade,
	activite_id bigint not null,
	held integer not null,
	presences integer not null,
	newcomers integer not null,
	primary key (structure_id, activite_id)
);

insert into report_project_totals (structure_id, activite_id, held, presences, newcomers)
	select structure_id, activite_id, sum(held), sum(presences), sum(newcomers) from report_project_days
	group by structure_id, activite_id;
