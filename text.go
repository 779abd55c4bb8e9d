package maillon

import (
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits for text fields, in characters. They are part of the user
// contract: forms state them and the API documents them.
const (
	MaxNameLen      = 120  // names of people, structures, teams
	MaxShortTextLen = 250  // one-line texts: labels, addresses
	MaxEmailLen     = 254  // RFC 5321 path limit
	MaxLongTextLen  = 5000 // free-text notes and descriptions
	MaxPasswordLen  = 256  // bounded so hashing cost stays bounded
	MinPasswordLen  = 12
)

// CleanText trims s and checks it: valid UTF-8, no control characters other
// than newlines and tabs when multiline (tabs become spaces otherwise), at
// most max characters. It returns
// the cleaned text or a French message describing the problem.
func CleanText(s string, max int, multiline bool) (string, string) {
	if !utf8.ValidString(s) {
		return "", "Le texte contient des caractères invalides."
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !multiline {
		// A tab pasted from a spreadsheet in a one-line field is a space.
		s = strings.ReplaceAll(s, "\t", " ")
	}
	s = strings.TrimSpace(s)
	for _, r := range s {
		if r == '\n' || r == '\t' {
			if !multiline {
				return "", "Le texte doit tenir sur une seule ligne."
			}
			continue
		}
		if unicode.IsControl(r) {
			return "", "Le texte contient des caractères de contrôle non autorisés."
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return "", tooLong(max, n)
	}
	return s, ""
}

func tooLong(max, n int) string {
	return "Le texte est trop long : " + strconv.Itoa(n) + " caractères pour " + strconv.Itoa(max) + " au maximum."
}

// requiredText cleans a required one-line field and records problems in fe.
func requiredText(fe *FieldErrors, field, label, value string, max int) string {
	v, msg := CleanText(value, max, false)
	if msg != "" {
		fe.Add(field, msg)
		return v
	}
	if v == "" {
		fe.Add(field, "Indiquez "+label+".")
	}
	return v
}

// optionalText cleans an optional field and records problems in fe.
func optionalText(fe *FieldErrors, field, value string, max int, multiline bool) string {
	v, msg := CleanText(value, max, multiline)
	if msg != "" {
		fe.Add(field, msg)
	}
	return v
}

// NormalizeEmail lower-cases and trims an address; login is by e-mail and
// must not depend on case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidateEmail returns a French message when s is not a plain e-mail
// address (no display name, no angle brackets).
func ValidateEmail(s string) string {
	if s == "" {
		return "Indiquez une adresse e-mail."
	}
	if !utf8.ValidString(s) {
		return "L'adresse e-mail contient des caractères invalides."
	}
	if len(s) > MaxEmailLen {
		return tooLong(MaxEmailLen, utf8.RuneCountInString(s))
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "Indiquez une adresse e-mail valide, par exemple prenom.nom@exemple.fr."
	}
	return ""
}

var phoneChars = regexp.MustCompile(`^\+?[0-9 .\-()]{6,25}$`)

// ValidatePhone accepts French and international numbers written with the
// usual separators.
func ValidatePhone(s string) string {
	if !phoneChars.MatchString(s) {
		return "Indiquez un numéro de téléphone valide, par exemple 04 78 00 00 00."
	}
	digits := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	if digits < 6 || digits > 15 {
		return "Indiquez un numéro de téléphone valide, par exemple 04 78 00 00 00."
	}
	return ""
}

// FoldText lower-cases s and removes the accents of Latin letters, so that
// "Hélène" and "helene" compare equal. It is used for search keys, computed
// in Go so that SQLite and PostgreSQL behave the same.
func FoldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if f, ok := foldMap[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var foldMap = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i",
	'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ý': "y", 'ñ': "n", 'œ': "oe", 'æ': "ae", 'ß': "ss",
	// letters canonical decomposition leaves whole
	'ł': "l", 'ø': "o", 'ı': "i", 'đ': "d", 'ð': "d", 'þ': "th",
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
