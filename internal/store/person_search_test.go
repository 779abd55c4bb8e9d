package store_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"maillon"
	"maillon/internal/storetest"
)

// The people of the search table, by a short key. Their names cover what
// mediators type: accents, hyphens, apostrophes (straight and curly),
// pseudonyms, names entered with combining accents, other alphabets, a
// very long name.
var searchPeople = []struct {
	key                            string
	first, last, pseudo, mail, tel string
	archived                       bool
}{
	{key: "dupre", first: "Hélène", last: "Dupré", mail: "helene.dupre@exemple.fr", tel: "04 78 12 34 56"},
	{key: "dupont1", first: "Marc", last: "Dupont"},
	{key: "dupont2", first: "Marc", last: "Dupont", mail: "marc.dupont@exemple.fr", tel: "06.12.34.56.78"},
	{key: "martin", first: "Jean-Pierre", last: "Martin", mail: "jp.martin@mail.fr"},
	{key: "rousseau", first: "Jean Pierre", last: "Rousseau"},
	{key: "ndiaye", first: "Aïssatou", last: "N'Diaye"},
	{key: "ndiaye2", first: "Moussa", last: "Ndiaye"},
	{key: "moller", first: "Łukasz", last: "Møller"},
	{key: "dalmeida", first: "Marie", last: "D’Almeida"},
	{key: "zaza", pseudo: "Zaza"},
	{key: "nguyen", first: "Văn An", last: "Nguyễn"},
	{key: "lefevre", first: "Cle\u0301ment", last: "Lefe\u0300vre"}, // typed with combining accents
	{key: "ivanova", first: "Наталья", last: "Иванова"},
	{key: "wolfe", first: "Hubert", last: "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"},
	{key: "vidal", first: "Hélène", last: "Vidal", archived: true},
}

// everyone is the active people in the list order: folded last name, first
// name, then id.
var everyone = []string{"dalmeida", "dupont1", "dupont2", "dupre", "lefevre", "martin", "moller", "ndiaye", "ndiaye2", "nguyen", "rousseau", "wolfe", "zaza", "ivanova"}

// searchCases is the one table of searches, run on both engines. The
// tokenisation it documents: a query is folded (case, accents), cut into
// words of letters and digits, every word must start a word of the file
// (name, pseudonym, e-mail parts, the phone's digits); punctuation and
// operators are separators, never syntax; only the first 6 words and the
// first 40 characters of a word count. A hyphenated or apostrophe name is
// indexed as its parts and as one word.
var searchCases = []struct {
	name, q string
	want    []string
}{
	{"first name without accents", "helene", []string{"dupre"}},
	{"first name in capitals with accents", "HÉLÈNE", []string{"dupre"}},
	{"last name in capitals without accents", "DUPRE", []string{"dupre"}},
	{"last name as written", "Dupré", []string{"dupre"}},
	{"prefix", "dup", []string{"dupont1", "dupont2", "dupre"}},
	{"two-letter prefix", "du", []string{"dupont1", "dupont2", "dupre"}},
	{"one-letter prefix", "a", []string{"dalmeida", "ndiaye", "nguyen"}},
	{"one-letter prefix with a longer word", "H DUPRE", []string{"dupre"}},
	{"one-letter prefix after a longer word", "marc d", []string{"dupont1", "dupont2"}},
	{"one-letter prefix that starts no word, with a longer word", "dupre z", nil},
	{"one-letter prefix inside a word only, with a longer word", "dupre l", nil},
	{"two words", "hélène dupré", []string{"dupre"}},
	{"two words reversed", "dupre helene", []string{"dupre"}},
	{"two prefixes", "DUPR hél", []string{"dupre"}},
	{"homonyms by id", "marc dupont", []string{"dupont1", "dupont2"}},
	{"a word of no one", "dupre zoe", nil},
	{"hyphenated name", "jean-pierre", []string{"martin", "rousseau"}},
	{"hyphenated name as two words", "jean pierre", []string{"martin", "rousseau"}},
	{"hyphenated name as one word", "jeanpierre", []string{"martin"}},
	{"second part of a hyphenated name", "pierre", []string{"martin", "rousseau"}},
	{"hyphenated prefix", "Jean-P", []string{"martin", "rousseau"}},
	{"apostrophe name, also written without it", "N'Diaye", []string{"ndiaye", "ndiaye2"}},
	{"apostrophe name with a space", "n diaye", []string{"ndiaye"}},
	{"apostrophe name after the apostrophe", "diaye", []string{"ndiaye"}},
	{"apostrophe name as one word", "ndiaye", []string{"ndiaye", "ndiaye2"}},
	{"apostrophe name with a curly apostrophe", "N’Diaye", []string{"ndiaye", "ndiaye2"}},
	{"apostrophe name with a first name", "aïssatou n'diaye", []string{"ndiaye"}},
	{"letters without a decomposition, folded", "lukasz moller", []string{"moller"}},
	{"letters without a decomposition, as written", "ŁUKASZ Møller", []string{"moller"}},
	{"curly apostrophe name typed straight", "d'almeida", []string{"dalmeida"}},
	{"curly apostrophe name as one word", "dalmeida", []string{"dalmeida"}},
	{"curly apostrophe name after it", "Almeida", []string{"dalmeida"}},
	{"pseudonym", "zaza", []string{"zaza"}},
	{"pseudonym prefix in capitals", "ZA", []string{"zaza"}},
	{"accents beyond French, folded", "nguyen", []string{"nguyen"}},
	{"accents beyond French, as written", "Nguyễn Văn", []string{"nguyen"}},
	{"name stored with combining accents", "clément lefèvre", []string{"lefevre"}},
	{"name stored with combining accents, folded", "clement", []string{"lefevre"}},
	{"query typed with combining accents", "Cle\u0301ment", []string{"lefevre"}},
	{"Cyrillic", "наталья", []string{"ivanova"}},
	{"Cyrillic in capitals", "ИВАНОВА", []string{"ivanova"}},
	{"whole e-mail", "helene.dupre@exemple.fr", []string{"dupre"}},
	{"e-mail domain", "exemple.fr", []string{"dupont2", "dupre"}},
	{"e-mail local part", "jp.martin", []string{"martin"}},
	{"e-mail provider", "mail", []string{"martin"}},
	{"phone with spaces", "04 78 12", []string{"dupre"}},
	{"phone without spaces", "0478", []string{"dupre"}},
	{"phone with dots", "04.78.12.34.56", []string{"dupre"}},
	{"phone with dashes", "04-78-12-34-56", []string{"dupre"}},
	{"phone written with dots, typed with spaces", "06 12 34", []string{"dupont2"}},
	{"phone in the international form is not matched", "+33 4 78 12", nil},
	{"middle of a phone number is not matched", "78 12 34", nil},
	{"phone digits with a name", "dupont 0612", []string{"dupont2"}},
	{"empty", "", everyone},
	{"spaces only", "   ", everyone},
	{"tabs and newlines", "\t\n", everyone},
	{"a double quote", `"`, everyone},
	{"a star", "*", everyone},
	{"an underscore (LIKE wildcard)", "_", everyone},
	{"a percent sign", "%", everyone},
	{"a backslash", `\`, everyone},
	{"SQL injection", "'; drop table persons; --", nil},
	{"SQL injection after a name", "dupre'; --", []string{"dupre"}},
	{"quoted name", `"dupré"`, []string{"dupre"}},
	{"single-quoted name", "'dupre'", []string{"dupre"}},
	{"star after a prefix", "dup*", []string{"dupont1", "dupont2", "dupre"}},
	{"FTS5 column filter", "search_text:dupre", nil},
	{"FTS5 NEAR", "NEAR(dupre helene)", nil},
	{"FTS5 caret", "^dupre", []string{"dupre"}},
	{"minus (NOT)", "-dupre", []string{"dupre"}},
	{"parentheses", "(dupré)", []string{"dupre"}},
	{"boolean words are words", "AND OR NOT", nil},
	{"OR between names is a word", "dupre OR dupont", nil},
	{"tsquery operators", "a:*|b", nil},
	{"tsquery operators around a name", "dupre:* & !helene", []string{"dupre"}},
	{"tsquery phrase operator", "dupre <-> helene", []string{"dupre"}},
	{"six words", "helene dupre helene dupre helene dupre", []string{"dupre"}},
	{"words after the sixth are ignored", "helene dupre helene dupre helene dupre zoe", []string{"dupre"}},
	{"a seventh word first is not ignored", "zoe helene dupre helene dupre helene dupre", nil},
	{"very long word of no one", strings.Repeat("x", 500), nil},
	{"very long name, whole", "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft", []string{"wolfe"}},
	{"very long name, the first 40 characters count", "wolfeschlegelsteinhausenbergerdorffvoralXYZXYZ", []string{"wolfe"}},
	{"very long word of 3-byte characters", strings.Repeat("王", 60), nil},
	{"very long word of 4-byte characters", strings.Repeat("𝔘", 60), nil},
	{"emoji", "🙂", everyone},
	{"archived people are left out", "vidal", nil},
}

// TestPersonSearch runs the table on both engines, which must agree case
// by case.
func TestPersonSearch(t *testing.T) {
	var mu sync.Mutex
	results := map[string]map[string]string{} // engine → case → result
	t.Cleanup(func() {
		sq, pg := results["sqlite"], results["postgres"]
		if sq == nil || pg == nil {
			return
		}
		for _, c := range searchCases {
			if sq[c.name] != pg[c.name] {
				t.Errorf("%s (%q): SQLite finds %s, PostgreSQL %s", c.name, c.q, sq[c.name], pg[c.name])
			}
		}
	})
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		other := storetest.MustCreateStructure(t, db, "Médiation Sud")
		med := storetest.Actor(st.Mediator)
		keys := map[maillon.PersonID]string{}
		for _, sp := range searchPeople {
			in := maillon.PersonInput{FirstName: sp.first, LastName: sp.last, Pseudonym: sp.pseudo, Email: sp.mail, Phone: sp.tel,
				ConsentGiven: true, ConsentMethod: "oral"}
			p := mustCreatePerson(t, db, med, in)
			keys[p.ID] = sp.key
			if sp.archived {
				if err := db.SetPersonArchived(ctx, med, p.ID, true); err != nil {
					t.Fatal(err)
				}
			}
		}
		// Namesakes in another structure are never found from this one.
		theirs := mustCreatePerson(t, db, storetest.Actor(other.Mediator), maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré",
			Email: "helene.dupre@exemple.fr", Phone: "04 78 12 34 56", ConsentGiven: true, ConsentMethod: "oral"})

		got := map[string]string{}
		for _, c := range searchCases {
			list, total, err := db.FindPersons(ctx, med, maillon.PersonFilter{Query: c.q, Limit: 200})
			if err != nil {
				t.Errorf("%s (%q): %v", c.name, c.q, err)
				continue
			}
			var found []string
			for _, p := range list {
				k, ok := keys[p.ID]
				if !ok {
					k = fmt.Sprintf("person %d of structure %d", p.ID, p.StructureID)
				}
				found = append(found, k)
			}
			if !slices.Equal(found, c.want) || total != len(c.want) {
				t.Errorf("%s (%q): found %q (total %d), want %q", c.name, c.q, found, total, c.want)
			}
			got[c.name] = fmt.Sprint(found)
		}
		mu.Lock()
		results[db.Engine] = got
		mu.Unlock()

		// Archived people are searched on request.
		list, _ := findPersons(t, db, med, maillon.PersonFilter{Query: "HELENE", Archived: true})
		if len(list) != 1 || keys[list[0].ID] != "vidal" {
			t.Errorf("archived search: %+v", list)
		}
		// The other structure finds its own namesake, and only it.
		for _, q := range []string{"helene", "dupre", "0478", "exemple"} {
			list, total := findPersons(t, db, storetest.Actor(other.Mediator), maillon.PersonFilter{Query: q})
			if len(list) != 1 || list[0].ID != theirs.ID || total != 1 {
				t.Errorf("other structure searching %q: %+v (%d)", q, personNames(list), total)
			}
		}
		// Pages of a search keep the total.
		list, total := findPersons(t, db, med, maillon.PersonFilter{Query: "dup", Limit: 2, Offset: 2})
		if len(list) != 1 || keys[list[0].ID] != "dupre" || total != 3 {
			t.Errorf("second page of a search: %+v (%d)", personNames(list), total)
		}
	})
}

// TestPersonSearchIndex checks that the full-text index exists on each
// engine (FTS5 is compiled into the SQLite build) and follows every
// change: creation, update, merge (deletion), including an SQLite row id
// reused after a deletion.
func TestPersonSearchIndex(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		switch db.Engine {
		case "sqlite":
			if n := rawCount(t, db, "select count(*) from sqlite_master where type = 'table' and name = 'persons_fts'"); n != 1 {
				t.Fatalf("persons_fts missing: the migration did not create the FTS5 table")
			}
			if n := rawCount(t, db, "select count(*) from sqlite_master where name = 'persons_fts' and sql like '%using fts5%'"); n != 1 {
				t.Errorf("persons_fts is not an FTS5 table")
			}
			// The module answers a MATCH query.
			if n := rawCount(t, db, "select count(*) from persons_fts where persons_fts match ?", `"x"*`); n != 0 {
				t.Errorf("empty index matches %d rows", n)
			}
		case "postgres":
			if n := rawCount(t, db, `select count(*) from information_schema.columns
				where table_schema = current_schema() and table_name = 'persons' and column_name = 'search_tsv'`); n != 1 {
				t.Fatalf("persons.search_tsv missing")
			}
			if n := rawCount(t, db, "select count(*) from pg_indexes where schemaname = current_schema() and indexname = 'persons_search'"); n != 1 {
				t.Errorf("persons_search index missing")
			}
		}
		st := storetest.MustCreateStructure(t, db, "Médiation Nord")
		coord := storetest.Actor(st.Coordinator)
		search := func(q string) []maillon.PersonID {
			t.Helper()
			list, _ := findPersons(t, db, coord, maillon.PersonFilter{Query: q})
			return personIDs(list)
		}
		a := mustCreatePerson(t, db, coord, newPerson("Hélène", "Dupré"))
		b := mustCreatePerson(t, db, coord, newPerson("Ophélie", "Quenard"))
		if got := search("quenard"); !slices.Equal(got, []maillon.PersonID{b.ID}) {
			t.Fatalf("new person not found: %v", got)
		}
		up := personInput(a)
		up.LastName, up.Email = "Durand", "h.durand@exemple.fr"
		if err := db.UpdatePerson(ctx, coord, a.ID, up); err != nil {
			t.Fatal(err)
		}
		if got := search("dupre"); len(got) != 0 {
			t.Errorf("old name still found: %v", got)
		}
		if got := search("durand helene"); !slices.Equal(got, []maillon.PersonID{a.ID}) {
			t.Errorf("new name not found: %v", got)
		}
		// b has the highest id: once merged into a, SQLite may give its
		// id to the next person, who must not be found by b's name.
		if err := db.MergePersons(ctx, coord, a.ID, b.ID); err != nil {
			t.Fatal(err)
		}
		if got := search("quenard"); len(got) != 0 {
			t.Errorf("merged person still found: %v", got)
		}
		c := mustCreatePerson(t, db, coord, newPerson("Zoé", "Arnaud"))
		if got := search("ophelie"); len(got) != 0 {
			t.Errorf("person %d (new id %d after deleting %d) found by the deleted person's name", got[0], c.ID, b.ID)
		}
		if got := search("zoe"); !slices.Equal(got, []maillon.PersonID{c.ID}) {
			t.Errorf("new person not found: %v", got)
		}
		if db.Engine == "sqlite" {
			// The index holds exactly the rows of the table.
			if n := rawCount(t, db, "select count(*) from persons_fts where persons_fts match ?", `"quenard"*`); n != 0 {
				t.Errorf("the deleted person is still in the index (%d rows)", n)
			}
			if n := rawCount(t, db, "select count(*) from persons_fts where persons_fts match ?", `"arnaud"*`); n != 1 {
				t.Errorf("%d index rows for the new person", n)
			}
		}
	})
}
