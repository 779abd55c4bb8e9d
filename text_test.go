package maillon_test

import (
	"strings"
	"testing"

	"maillon"
)

func TestCleanText(t *testing.T) {
	const (
		oneLine = "une seule ligne"
		control = "caractères de contrôle"
		invalid = "caractères invalides"
	)
	tests := []struct {
		name      string
		in        string
		max       int
		multiline bool
		want      string
		wantMsg   string // fragment of the message
	}{
		{"trims spaces", "  Médiaction  ", 120, false, "Médiaction", ""},
		{"trims tabs and newlines at the ends", "\t Médiaction \r\n", 120, false, "Médiaction", ""},
		{"empty stays empty", "   ", 120, false, "", ""},
		{"keeps inner spaces", "Quartier  des  Minguettes", 120, false, "Quartier  des  Minguettes", ""},
		{"CRLF becomes LF in multiline text", "ligne 1\r\nligne 2\r\n", 5000, true, "ligne 1\nligne 2", ""},
		{"tabs are kept in multiline text", "a\tb", 5000, true, "a\tb", ""},
		{"newline refused in one-line text", "ligne 1\nligne 2", 120, false, "", oneLine},
		{"CRLF refused in one-line text", "ligne 1\r\nligne 2", 120, false, "", oneLine},
		{"tab becomes a space in one-line text", "a\tb", 120, false, "a b", ""},
		{"newline refused in one-line text", "a\nb", 120, false, "", oneLine},
		{"NUL refused", "a\x00b", 120, false, "", control},
		{"bell refused in multiline text", "a\ab", 5000, true, "", control},
		{"lone carriage return refused", "a\rb", 5000, true, "", control},
		{"C1 control refused", "a\u0085b", 5000, true, "", control},
		{"invalid UTF-8 refused", "Vénissieux\xe9", 120, false, "", invalid},
		{"exactly max characters", strings.Repeat("é", 5), 5, false, strings.Repeat("é", 5), ""},
		{"max counts characters, not bytes", strings.Repeat("é", 6), 5, false, "", "6 caractères pour 5 au maximum"},
		{"max counts after trimming", "  abcde  ", 5, false, "abcde", ""},
		{"emoji count as one character each", "👍👍👍", 3, false, "👍👍👍", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, msg := maillon.CleanText(tt.in, tt.max, tt.multiline)
			if tt.wantMsg != "" {
				if !strings.Contains(msg, tt.wantMsg) {
					t.Fatalf("CleanText(%q) message = %q, want one containing %q", tt.in, msg, tt.wantMsg)
				}
				assertCleanMessage(t, tt.name, msg)
				return
			}
			if msg != "" || got != tt.want {
				t.Fatalf("CleanText(%q) = %q, %q; want %q", tt.in, got, msg, tt.want)
			}
		})
	}
}

func TestFoldText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Hélène", "helene"},
		{"HÉLÈNE", "helene"},
		{"François Çelik", "francois celik"},
		{"Noël à l'Île-d'Abeau", "noel a l'ile-d'abeau"},
		{"Œuvre Cæsar", "oeuvre caesar"},
		{"Straße", "strasse"},
		{"Núñez", "nunez"},
		{"Łukasz Møller Đorđe Yıldız", "lukasz moller dorde yildiz"},
		{"déjà fait", "deja fait"},
		{"plain ascii 123", "plain ascii 123"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := maillon.FoldText(tt.in); got != tt.want {
			t.Errorf("FoldText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	if got := maillon.NormalizeEmail("  Jean.Dupont@Exemple.FR \n"); got != "jean.dupont@exemple.fr" {
		t.Fatalf("NormalizeEmail = %q", got)
	}
}

func TestValidateEmail(t *testing.T) {
	const example = "par exemple prenom.nom@exemple.fr"
	tests := []struct {
		name  string
		email string
		want  string // fragment of the message, "" when valid
	}{
		{"plain address", "jean.dupont@exemple.fr", ""},
		{"plus and sub-domain", "jean+maillon@mediation.ville.fr", ""},
		{"hyphenated domain", "contact@ville-venissieux.fr", ""},
		{"empty", "", "Indiquez une adresse e-mail."},
		{"no at sign", "jean.dupont.exemple.fr", example},
		{"no domain", "jean@", example},
		{"no local part", "@exemple.fr", example},
		{"domain without a dot", "jean@localhost", example},
		{"display name", "Jean Dupont <jean@exemple.fr>", example},
		{"angle brackets", "<jean@exemple.fr>", example},
		{"two addresses", "jean@exemple.fr, marie@exemple.fr", example},
		{"space inside", "jean dupont@exemple.fr", example},
		{"surrounding spaces", " jean@exemple.fr ", example},
		{"invalid UTF-8", "jean\xff@exemple.fr", "caractères invalides"},
		{"longer than 254 characters", strings.Repeat("a", 64) + "@" + strings.Repeat("b", 190) + ".fr", "trop long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := maillon.ValidateEmail(tt.email)
			if tt.want == "" {
				if got != "" {
					t.Fatalf("ValidateEmail(%q) = %q, want valid", tt.email, got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Fatalf("ValidateEmail(%q) = %q, want a message containing %q", tt.email, got, tt.want)
			}
			assertCleanMessage(t, tt.name, got)
		})
	}
}

func TestValidatePhone(t *testing.T) {
	tests := []struct {
		phone string
		valid bool
	}{
		{"04 78 00 00 00", true},
		{"0478000000", true},
		{"04.78.00.00.00", true},
		{"04-78-00-00-00", true},
		{"+33 4 78 00 00 00", true},
		{"+33 (0)4 78 00 00 00", true},
		{"3939", false},             // short numbers are services, not contacts
		{"12345", false},            // five digits
		{"1 2 3 4 5", false},        // five digits with separators
		{"0478000000000000", false}, // 16 digits, more than E.164 allows
		{"04 78 AB CD EF", false},
		{"04 78 00 00 00 poste 12", false},
		{"33+4 78 00 00 00", false},
		{"", false},
		{"------", false},                     // no digit at all
		{"04 . 78 . 00 . 00 . 00 . 1", false}, // longer than 25 characters
	}
	for _, tt := range tests {
		got := maillon.ValidatePhone(tt.phone)
		if tt.valid && got != "" {
			t.Errorf("ValidatePhone(%q) = %q, want valid", tt.phone, got)
		}
		if !tt.valid {
			if got == "" {
				t.Errorf("ValidatePhone(%q) accepted", tt.phone)
			} else {
				assertCleanMessage(t, tt.phone, got)
			}
		}
	}
}
