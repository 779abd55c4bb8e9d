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
) without rowid;
create index report_participant_days_day on report_participant_days (structure_id, day, person_id);

create trigger report_seances_insert after insert on seances
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.starts_at, 1, 10));
end;
create trigger report_seances_update after update of structure_id, activite_id, starts_at, attendance_done, present on seances
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.starts_at, 1, 10));
	insert or ignore into report_dirty (structure_id, day) values (new.structure_id, substr(new.starts_at, 1, 10));
end;
create trigger report_seances_delete after delete on seances
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day) values (old.structure_id, substr(old.starts_at, 1, 10));
end;
create trigger report_seance_registrations_insert after insert on seance_registrations
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_registrations_update after update on seance_registrations
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_registrations_delete after delete on seance_registrations
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
end;
create trigger report_seance_tallies_insert after insert on seance_tallies
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_tallies_update after update on seance_tallies
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_tallies_delete after delete on seance_tallies
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
end;
create trigger report_seance_answers_insert after insert on seance_answers
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_answers_update after update on seance_answers
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = new.seance_id;
end;
create trigger report_seance_answers_delete after delete on seance_answers
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select structure_id, substr(starts_at, 1, 10) from seances where id = old.seance_id;
end;
-- A project's kind and status are read for each of its sessions.
create trigger report_activites_update after update of kind, status on activites
when not exists (select 1 from report_paused) begin
	insert or ignore into report_dirty (structure_id, day)
		select distinct structure_id, substr(starts_at, 1, 10) from seances where activite_id = new.id;
end;

-- Everything already recorded is to be summarised.
insert or ignore into report_dirty (structure_id, day) select distinct structure_id, substr(starts_at, 1, 10) from seances;

-- The objectives of a project read the figures of all its sessions.
create index seances_activite_figures on seances (activite_id, attendance_done, present);
create index seance_tallies_figures on seance_tallies (seance_id, newcomer, count);
