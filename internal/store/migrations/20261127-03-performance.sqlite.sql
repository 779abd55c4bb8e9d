-- Prefix indexes for the people search. A query is a list of prefixes
-- ("BOUZI HAK"); without them FTS5 merges, at every search, the lists of
-- every word starting with a short prefix ("hak": hakim, hakima…), several
-- milliseconds on 200,000 people. With prefix = '2 3 4' the lists of the
-- 2- to 4-letter prefixes are kept ready. The table is rebuilt from the
-- persons table; its triggers name it and keep working.
drop table persons_fts;
create virtual table persons_fts using fts5(
	search_text,
	content = 'persons',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3 4'
);
insert into persons_fts (persons_fts) values ('rebuild');
