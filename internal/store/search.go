package store

import (
	"strings"
	"unicode"

	"maillon"
)

// searchTokens turns user input into at most 6 normalised tokens (folded,
// letters and digits only), the same way search_text is written, so user
// input never reaches MATCH or to_tsquery raw. A query made of digits and
// separators (a phone number) becomes one token.
func searchTokens(q string) []string {
	folded := maillon.FoldText(q)
	if isPhoneLike(folded) {
		d := digitsOnly(folded)
		if d == "" {
			return nil
		}
		return []string{d}
	}
	tokens := strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(tokens) > 6 {
		tokens = tokens[:6]
	}
	for i, t := range tokens {
		if len(t) > 40 {
			tokens[i] = t[:40]
		}
	}
	return tokens
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

// searchText is what the full-text index reads for a person: folded words
// of the names, pseudonym and e-mail, and the phone number's digits.
func personSearchText(p *maillon.Person) string {
	words := strings.FieldsFunc(maillon.FoldText(p.FirstName+" "+p.LastName+" "+p.Pseudonym+" "+p.Email),
		func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if d := digitsOnly(p.Phone); d != "" {
		words = append(words, d)
	}
	return strings.Join(words, " ")
}

// personSortKey orders people by last name, first name, pseudonym.
func personSortKey(p *maillon.Person) string {
	return strings.Join(strings.Fields(maillon.FoldText(p.LastName+" "+p.FirstName+" "+p.Pseudonym)), " ")
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
