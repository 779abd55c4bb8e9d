-- A large directory import pauses the full-text triggers and rebuilds the
-- index once at the end. Kept row by row, every insert opened a statement
-- savepoint in which FTS5 flushed its pending terms to disk: 100,000
-- services made 100,000 tiny segments to merge, a quarter of the import's
-- CPU. The flag row exists only inside the import's transaction.
create table directory_index_paused (
	one integer primary key check (one = 1)
);

drop trigger directory_services_fts_insert;
drop trigger directory_services_fts_delete;
drop trigger directory_services_fts_update;

create trigger directory_services_fts_insert after insert on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (rowid, search_text) values (new.id, new.search_text);
end;

create trigger directory_services_fts_delete after delete on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text) values ('delete', old.id, old.search_text);
end;

create trigger directory_services_fts_update after update of search_text on directory_services
when not exists (select 1 from directory_index_paused) begin
	insert into directory_services_fts (directory_services_fts, rowid, search_text) values ('delete', old.id, old.search_text);
	insert into directory_services_fts (rowid, search_text) values (new.id, new.search_text);
end;
