package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"maillon"
)

// searchTokens turns user input into at most 6 normalised tokens (folded,
// letters and digits only), the same way search_text is written, so user
// input never reaches MATCH or to_tsquery raw. A query made of digits and
// separators (a phone number) becomes one token.
func searchTokens(q string) []string {
	folded := searchFold(q)
	if isPhoneLike(folded) {
		d := digitsOnly(folded)
		if d == "" {
			return nil
		}
		return []string{d}
	}
	// An apostrophe joins its word ("n'diaye" is "ndiaye"): the index
	// holds names with an apostrophe both as parts and joined, so the
	// joined form finds "N'Diaye" as well as "Ndiaye".
	folded = strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return -1
		}
		return r
	}, folded)
	tokens := strings.FieldsFunc(folded, func(r rune) bool { return !isWordRune(r) })
	if len(tokens) > 6 {
		tokens = tokens[:6]
	}
	for i, t := range tokens {
		// 40 characters, never half of one: a cut UTF-8 sequence is an
		// error on PostgreSQL.
		if r := []rune(t); len(r) > 40 {
			tokens[i] = string(r[:40])
		}
	}
	return tokens
}

// splitShortTokens sets apart the one-letter tokens of a query that has
// longer ones ("ait a hak" for "Aït Ahmed Hakim"). In the full-text index a
// one-letter prefix matches a word of most people, and merging that list
// made such a search take 5 ms instead of 1 on 200,000 people; checking
// the letter on the few rows the other words find costs nothing. The
// tokens are letters and digits only, so the LIKE pattern built from them
// holds no wildcard of the user's.
func splitShortTokens(tokens []string) (long, short []string) {
	for _, t := range tokens {
		if len([]rune(t)) == 1 {
			short = append(short, t)
		} else {
			long = append(long, t)
		}
	}
	if len(long) == 0 {
		return tokens, nil
	}
	return long, short
}

func isPhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '.' || r == '-' || r == '+' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 2
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// searchFold folds text for the people index, queries and sort keys:
// maillon.FoldText, then every other accent removed through canonical
// decomposition ("Nguyễn", "Šimić", or a name typed with combining
// accents). SQLite's FTS5 removes such accents by itself but PostgreSQL's
// "simple" configuration does not: folding them here keeps both engines
// finding the same people.
func searchFold(s string) string {
	s = maillon.FoldText(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(maillon.FoldText(b.String()))
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' || r == '`' }

// searchText is what the full-text index reads for a person: folded words
// of the names, pseudonym and e-mail, and the phone number's digits. A name
// written with a hyphen or an apostrophe ("Jean-Pierre", "N'Diaye") is
// indexed both as its parts and as one word ("jeanpierre", "ndiaye"), the
// way it is often typed.
func personSearchText(p *maillon.Person) string {
	var words []string
	for _, name := range strings.Fields(searchFold(p.FirstName + " " + p.LastName + " " + p.Pseudonym)) {
		parts := strings.FieldsFunc(name, func(r rune) bool { return !isWordRune(r) })
		words = append(words, parts...)
		if len(parts) > 1 {
			words = append(words, strings.Join(parts, ""))
		}
	}
	words = append(words, strings.FieldsFunc(searchFold(p.Email), func(r rune) bool { return !isWordRune(r) })...)
	if d := digitsOnly(p.Phone); d != "" {
		words = append(words, d)
	}
	return strings.Join(words, " ")
}

// personSortKey orders people by last name, first name, pseudonym; the
// duplicate check compares it. Hyphens and apostrophes inside a word are
// left out, so that "N'Diaye", "N’Diaye" and "Ndiaye" sort, and compare,
// alike.
func personSortKey(p *maillon.Person) string {
	var words []string
	for _, w := range strings.Fields(searchFold(p.LastName + " " + p.FirstName + " " + p.Pseudonym)) {
		w = strings.Map(func(r rune) rune {
			if isWordRune(r) {
				return r
			}
			return -1
		}, w)
		if w != "" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// searchCondition returns the SQL condition matching every token as a
// prefix, for SQLite's FTS5 table.
func (sqliteDialect) searchCondition(tokens []string) (string, any) {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		parts[i] = `"` + t + `"*`
	}
	return "p.id in (select rowid from persons_fts where persons_fts match ?)", strings.Join(parts, " ")
}

// searchCondition is the PostgreSQL equivalent, on the generated tsvector.
func (postgresDialect) searchCondition(tokens []string) (string, any) {
	parts := make([]string, len(tokens))
	for i, t := range tokens {
		parts[i] = t + ":*"
	}
	return "p.search_tsv @@ to_tsquery('simple', ?)", strings.Join(parts, " & ")
}
