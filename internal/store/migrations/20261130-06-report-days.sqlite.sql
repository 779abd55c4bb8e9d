-- Daily summary of the report (docs/performance.md §13): the activity
-- report of a structure without filters reads per-day counts instead of
-- joining a year of interventions with their themes, mediators, people,
-- procedures and orientations (report_days.go).
--
-- report_daily: per structure, Paris day (YYYY-MM-DD) and kind, counts
-- by up to three keys; total is the sum of minutes (kind 'iv') or of
-- days of delay (kind 'orientation').
create table report_daily (
	structure_id bigint not null references structures (id) on delete cascade,
	day text not null,
	kind text not null,
	k1 text not null default '',
	k2 text not null default '',
	k3 text not null default '',
	n integer not null,
	total double precision not null default 0,
	primary key (structure_id, kind, day, k1, k2, k3)
) without rowid;

-- The people named on the structure's interventions, once per Paris day.
create table report_person_days (
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null,
	day text not null,
	primary key (structure_id, person_id, day)
) without rowid;
create index report_person_days_day on report_person_days (structure_id, day, person_id);

-- UTC days whose summary must be computed again: triggers mark them on
-- every change of an intervention, of its linked rows or of an
-- orientation; the next report without filters recomputes them.
create table report_dirty (
	structure_id bigint not null references structures (id) on delete cascade,
	day text not null,
	primary key (structure_id, day)
);

-- One row per structure, written first by a recomputation so that two
-- of them on the same structure take turns (PostgreSQL nodes).
create table report_refreshes (
	structure_id bigint primary key references structures (id) on delete cascade,
	refreshed_at timetext not null
);

-- Set by a bulk import inside its transaction, which marks its days
-- itself instead of once per row.
create table report_paused (
	one integer primary key check (one = 1)
);

create trigger report_interventions_insert after insert on interventions
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.start_at, 1, 10));
end;
create trigger report_interventions_update after update of structure_id, start_at, minutes, outside_hours, place_type, registre on interventions
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.start_at, 1, 10));
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.start_at, 1, 10));
end;
create trigger report_interventions_delete after delete on interventions
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.start_at, 1, 10));
end;

create trigger report_intervention_mediators_insert after insert on intervention_mediators
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_mediators_update after update on intervention_mediators
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_mediators_delete after delete on intervention_mediators
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
end;
create trigger report_intervention_themes_insert after insert on intervention_themes
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_themes_update after update on intervention_themes
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_themes_delete after delete on intervention_themes
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
end;
create trigger report_intervention_persons_insert after insert on intervention_persons
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_persons_update after update on intervention_persons
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_persons_delete after delete on intervention_persons
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
end;
create trigger report_intervention_anonymous_insert after insert on intervention_anonymous
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_anonymous_update after update on intervention_anonymous
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_intervention_anonymous_delete after delete on intervention_anonymous
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
end;
create trigger report_procedures_insert after insert on procedures
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_procedures_update after update on procedures
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = new.intervention_id;
end;
create trigger report_procedures_delete after delete on procedures
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(start_at, 1, 10) from interventions where id = old.intervention_id;
end;
create trigger report_procedure_obstacles_insert after insert on procedure_obstacles
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select i.structure_id, substr(i.start_at, 1, 10) from procedures p join interventions i on i.id = p.intervention_id
		where p.id = new.procedure_id;
end;
create trigger report_procedure_obstacles_update after update on procedure_obstacles
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select i.structure_id, substr(i.start_at, 1, 10) from procedures p join interventions i on i.id = p.intervention_id
		where p.id = new.procedure_id;
end;
create trigger report_procedure_obstacles_delete after delete on procedure_obstacles
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select i.structure_id, substr(i.start_at, 1, 10) from procedures p join interventions i on i.id = p.intervention_id
		where p.id = old.procedure_id;
end;
create trigger report_orientations_insert after insert on orientations begin
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.created_at, 1, 10));
end;
create trigger report_orientations_update after update of structure_id, created_at, status, transmitted_at, outcome_at on orientations begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.created_at, 1, 10));
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.created_at, 1, 10));
end;
create trigger report_orientations_delete after delete on orientations begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.created_at, 1, 10));
end;

-- Everything already recorded is to be summarised.
insert or ignore into report_dirty (structure_id, day) select distinct structure_id, substr(start_at, 1, 10) from interventions;
insert or ignore into report_dirty (structure_id, day) select distinct structure_id, substr(created_at, 1, 10) from orientations;

-- The evolution of autonomy reads the structure's assessments in the
-- order of each person's history (the index holds every column read),
-- or, with a filter on the author, the period's assessments first.
create index autonomy_structure_person on autonomy_assessments (structure_id, person_id, assessed_at, id, level);
create index autonomy_structure_assessed on autonomy_assessments (structure_id, assessed_at, person_id);
