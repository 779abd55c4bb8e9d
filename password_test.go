package maillon_test

import (
	"regexp"
	"strings"
	"testing"

	"maillon"
)

func TestCheckPassword(t *testing.T) {
	const (
		tooShort = "au moins 12 caractères"
		tooLong  = "au plus 256 caractères"
		common   = "trop courant"
		repeated = "répéter un seul caractère"
		email    = "adresse e-mail"
		name     = "votre nom"
		invalid  = "caractères invalides"
	)
	tests := []struct {
		name                string
		pw, email, userName string
		want                string // fragment of the message, "" when accepted
	}{
		{"a passphrase is accepted", "cheval violet du lundi", "", "", ""},
		{"exactly 12 characters is accepted", "tulipe-rouge", "", "", ""},
		{"11 characters is too short", "tulipe-roug", "", "", tooShort},
		{"empty is too short", "", "", "", tooShort},
		{"length counts characters, not bytes: 12 accented letters", "éàèùâêîôûçëï", "", "", ""},
		{"length counts characters, not bytes: 11 accented letters", "éàèùâêîôûçë", "", "", tooShort},
		{"256 characters is accepted", strings.Repeat("ab", 128), "", "", ""},
		{"257 characters is too long", strings.Repeat("ab", 128) + "c", "", "", tooLong},
		{"invalid UTF-8 is refused", "cheval violet\xff", "", "", invalid},
		{"common password", "azertyuiop123", "", "", common},
		{"common password in upper case", "AZERTYUIOP123", "", "", common},
		{"common French password with a year", "motdepasse2024", "", "", common},
		{"common French password in mixed case", "MotDePasse2024", "", "", common},
		{"product name", "maillon12345", "", "", common},
		{"a common password with a suffix is accepted", "motdepasse2024 au soleil", "", "", ""},
		{"one repeated letter", "kkkkkkkkkkkkk", "", "", repeated},
		{"one repeated space", strings.Repeat(" ", 12), "", "", repeated},
		{"one repeated accented letter", strings.Repeat("é", 12), "", "", repeated},
		{"one repeated letter in mixed case", "KkKkKkKkKkKk", "", "", repeated},
		{"one repeated digit beyond the common list", strings.Repeat("7", 20), "", "", repeated},
		{"two alternating letters are accepted", "abababababab", "", "", ""},
		{"the e-mail address itself", "jean.dupont@exemple.fr", "jean.dupont@exemple.fr", "", email},
		{"the e-mail address in another case", "Jean.Dupont@Exemple.FR", "jean.dupont@exemple.fr", "", email},
		{"contains the e-mail local part", "jean.dupont-2026", "Jean.Dupont@exemple.fr", "", email},
		{"a short local part may appear", "jean a un chat roux", "jean@exemple.fr", "", ""},
		{"the user's name", "Hélène Martin-Diaz", "", "Hélène Martin-Diaz", name},
		{"the name without accents or spaces", "helenemartin-diaz", "", "Hélène Martin-Diaz", name},
		{"the name in capitals", "HÉLÈNE MARTIN-DIAZ", "", "Hélène Martin-Diaz", name},
		{"the name followed by digits is accepted", "Hélène Martin-Diaz 1984", "", "Hélène Martin-Diaz", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := maillon.CheckPassword(tt.pw, tt.email, tt.userName)
			if tt.want == "" {
				if got != "" {
					t.Fatalf("CheckPassword(%q) = %q, want accepted", tt.pw, got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Fatalf("CheckPassword(%q) = %q, want a message containing %q", tt.pw, got, tt.want)
			}
			assertCleanMessage(t, tt.name, got)
		})
	}
}

func TestTemporaryPassword(t *testing.T) {
	// Four groups of four, without the look-alikes 0, 1, i, l and o.
	format := regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$`)
	seen := map[string]bool{}
	for range 200 {
		pw := maillon.TemporaryPassword()
		if !format.MatchString(pw) {
			t.Fatalf("TemporaryPassword() = %q, want xxxx-xxxx-xxxx-xxxx without ambiguous characters", pw)
		}
		if msg := maillon.CheckPassword(pw, "jean.dupont@exemple.fr", "Jean Dupont"); msg != "" {
			t.Fatalf("TemporaryPassword() = %q, refused by the policy: %s", pw, msg)
		}
		if seen[pw] {
			t.Fatalf("TemporaryPassword() returned %q twice", pw)
		}
		seen[pw] = true
	}
}
