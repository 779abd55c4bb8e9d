-- Full-text search on people: an external-content FTS5 index over the
-- folded search_text column, kept in sync by triggers. Prefix queries are
-- built by the store from normalised tokens.
create virtual table persons_fts using fts5(
	search_text,
	content = 'persons',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);

create trigger persons_fts_insert after insert on persons begin
	insert into persons_fts (rowid, search_text) values (new.id, new.search_text);
end;

create trigger persons_fts_delete after delete on persons begin
	insert into persons_fts (persons_fts, rowid, search_text) values ('delete', old.id, old.search_text);
end;

create trigger persons_fts_update after update of search_text on persons begin
	insert into persons_fts (persons_fts, rowid, search_text) values ('delete', old.id, old.search_text);
	insert into persons_fts (rowid, search_text) values (new.id, new.search_text);
end;
