-- The first day each person was named on the structure's interventions,
-- kept with the person days of the report's summary (report_days.go): a
-- report counts its period's new people in this index instead of looking
-- for each person's earlier days.
create table report_person_first (
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null,
	first_day text not null,
	primary key (structure_id, person_id)
);
create index report_person_first_day on report_person_first (structure_id, first_day);

insert into report_person_first (structure_id, person_id, first_day)
	select structure_id, person_id, min(day) from report_person_days group by structure_id, person_id;

