-- The collective actions in the report's daily summary (report_days.go):
-- sessions, tallies, questionnaire answers per Paris day of the session,
-- and the registered people present once per day, so that a report
-- without filters reads no session row. Triggers mark the session's UTC
-- day, as for the interventions.
create table report_participant_days (
	structure_id bigint not null references structures (id) on delete cascade,
	person_id bigint not null,
	day text not null,
	primary key (structure_id, person_id, day)
);
create index report_participant_days_day on report_participant_days (structure_id, day, person_id);

create function report_mark_seance() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	if tg_op <> 'INSERT' then
		perform report_mark(old.structure_id, old.starts_at);
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(new.structure_id, new.starts_at);
	end if;
	return null;
end;
$$;
create trigger report_seances_insert_delete after insert or delete on seances
for each row execute function report_mark_seance();
create trigger report_seances_update after update of structure_id, activite_id, starts_at, attendance_done, present on seances
for each row execute function report_mark_seance();

-- Registrations, tallies and answers mark their session's day.
create function report_mark_seance_row() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	if tg_op <> 'INSERT' then
		perform report_mark(s.structure_id, s.starts_at) from seances s where s.id = old.seance_id;
	end if;
	if tg_op <> 'DELETE' then
		perform report_mark(s.structure_id, s.starts_at) from seances s where s.id = new.seance_id;
	end if;
	return null;
end;
$$;
create trigger report_seance_registrations after insert or update or delete on seance_registrations
for each row execute function report_mark_seance_row();
create trigger report_seance_tallies after insert or update or delete on seance_tallies
for each row execute function report_mark_seance_row();
create trigger report_seance_answers after insert or update or delete on seance_answers
for each row execute function report_mark_seance_row();

-- A project's kind and status are read for each of its sessions.
create function report_mark_activite() returns trigger language plpgsql as $$
begin
	if exists (select 1 from report_paused) then
		return null;
	end if;
	perform report_mark(s.structure_id, s.starts_at) from seances s where s.activite_id = new.id;
	return null;
end;
$$;
create trigger report_activites_update after update of kind, status on activites
for each row execute function report_mark_activite();

-- Everything already recorded is to be summarised.
insert into report_dirty (structure_id, day)
	select distinct structure_id, to_char(starts_at at time zone 'UTC', 'YYYY-MM-DD') from seances
	on conflict do nothing;

-- The objectives of a project read the figures of all its sessions.
create index seances_activite_figures on seances (activite_id, attendance_done, present);
create index seance_tallies_figures on seance_tallies (seance_id, newcomer, count);
