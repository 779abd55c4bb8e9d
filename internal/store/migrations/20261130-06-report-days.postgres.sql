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
	primary key (structure_id, kind, day, k1, k2, k3) include (n, total)
);

-- The people named on the structure's interventions, once per Paris day.
create table report_person_days (
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null,
	day text not null,
	primary key (structure_id, person_id, day)
);
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
	refreshed_at timestamptz not null
);

-- Set by a bulk import inside its transaction, which marks its days
-- itself instead of once per row.
create table report_paused (
	one integer primary key check (one = 1)
);

create function report_mark(sid bigint, at timestamptz) returns void language sql as $$
	insert into report_dirty (structure_id, day) values (sid, to_char(at at time zone 'UTC', 'YYYY-MM-DD'))
	on conflict do nothing;
$$;

create function report_mark_intervention() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	if tg_op <> 'INSERT' then
		perform report_mark(old.structure_id, old.start_at);
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(new.structure_id, new.start_at);
	end if;
	return null;
end;
$$;
create trigger report_interventions_insert_delete after insert or delete on interventions
for each row execute function report_mark_intervention();
create trigger report_interventions_update after update of structure_id, start_at, minutes, outside_hours, place_type, registre on interventions
for each row execute function report_mark_intervention();

-- Rows linked to an intervention (themes, mediators, people, anonymous
-- counts, procedures) mark their intervention's day.
create function report_mark_linked() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	if tg_op <> 'INSERT' then
		perform report_mark(i.structure_id, i.start_at) from interventions i where i.id = old.intervention_id;
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(i.structure_id, i.start_at) from interventions i where i.id = new.intervention_id;
	end if;
	return null;
end;
$$;
create trigger report_intervention_mediators after insert or update or delete on intervention_mediators
for each row execute function report_mark_linked();
create trigger report_intervention_themes after insert or update or delete on intervention_themes
for each row execute function report_mark_linked();
create trigger report_intervention_persons after insert or update or delete on intervention_persons
for each row execute function report_mark_linked();
create trigger report_intervention_anonymous after insert or update or delete on intervention_anonymous
for each row execute function report_mark_linked();
create trigger report_procedures after insert or update or delete on procedures
for each row execute function report_mark_linked();

create function report_mark_obstacle() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	if tg_op <> 'INSERT' then
		perform report_mark(i.structure_id, i.start_at) from procedures p join interventions i on i.id = p.intervention_id
		where p.id = old.procedure_id;
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(i.structure_id, i.start_at) from procedures p join interventions i on i.id = p.intervention_id
		where p.id = new.procedure_id;
	end if;
	return null;
end;
$$;
create trigger report_procedure_obstacles after insert or update or delete on procedure_obstacles
for each row execute function report_mark_obstacle();

create function report_mark_orientation() returns trigger language plpgsql as $$
begin
	if tg_op <> 'INSERT' then
		perform report_mark(old.structure_id, old.created_at);
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(new.structure_id, new.created_at);
	end if;
	return null;
end;
$$;
create trigger report_orientations_insert_delete after insert or delete on orientations
for each row execute function report_mark_orientation();
create trigger report_orientations_update after update of structure_id, created_at, status, transmitted_at, outcome_at on orientations
for each row execute function report_mark_orientation();

-- Everything already recorded is to be summarised.
insert into report_dirty (structure_id, day)
	select distinct structure_id, to_char(start_at at time zone 'UTC', 'YYYY-MM-DD') from interventions
	on conflict do nothing;
insert into report_dirty (structure_id, day)
	select distinct structure_id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') from orientations
	on conflict do nothing;

-- The evolution of autonomy reads the structure's assessments in the
-- order of each person's history (the index holds every column read),
-- or, with a filter on the author, the period's assessments first.
create index autonomy_structure_person on autonomy_assessments (structure_id, person_id, assessed_at, id, level);
create index autonomy_structure_assessed on autonomy_assessments (structure_id, assessed_at, person_id);
