package maillon

import (
	"crypto/rand"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// commonPasswords is a list of passwords of at least 12 characters that
// appear in public leak statistics or that French users are known to pick
// (keyboard rows, "motdepasse", the product's own name…), lower-cased.
//
//go:embed password_common.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
})

// CheckPassword applies the password policy (ANSSI and CNIL advice for
// passwords alone: length, no composition rules): at least 12 characters,
// at most MaxPasswordLen, not a common password, not the user's own e-mail
// or name, not a single repeated character. It returns a French message, or
// "" when the password is acceptable.
func CheckPassword(pw, email, name string) string {
	if !utf8.ValidString(pw) {
		return "Le mot de passe contient des caractères invalides."
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLen {
		return "Le mot de passe doit comporter au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir."
	}
	if n > MaxPasswordLen {
		return "Le mot de passe doit comporter au plus 256 caractères."
	}
	lower := strings.ToLower(pw)
	if commonPasswords()[lower] {
		return "Ce mot de passe est trop courant : choisissez-en un autre, par exemple une phrase de plusieurs mots."
	}
	if first, _ := utf8.DecodeRuneInString(lower); strings.Trim(lower, string(first)) == "" {
		return "Le mot de passe ne peut pas répéter un seul caractère."
	}
	if email != "" {
		email = strings.ToLower(email)
		local, _, _ := strings.Cut(email, "@")
		if lower == email || (len(local) >= 6 && strings.Contains(lower, local)) {
			return "Le mot de passe ne doit pas reprendre votre adresse e-mail."
		}
	}
	if name != "" && FoldText(strings.ReplaceAll(lower, " ", "")) == FoldText(strings.ReplaceAll(strings.ToLower(name), " ", "")) {
		return "Le mot de passe ne doit pas être votre nom."
	}
	return ""
}

// TemporaryPassword returns a random password of 16 letters and digits in
// four groups ("k7f2-m9qx-3vhp-8cwd"), easy to read aloud or copy, that
// an administrator gives to a user who must replace it at first login.
// Letters and digits that look alike (0/o, 1/l/i) are left out.
func TemporaryPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("maillon: no randomness: " + err.Error())
	}
	var out strings.Builder
	for i, c := range b {
		if i > 0 && i%4 == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return out.String()
}
