package maillon_test

import (
	"reflect"
	"strings"
	"testing"

	"maillon"
)

func TestValidateSIRET(t *testing.T) {
	const (
		invalid = "n'est pas valide"
		length  = "14 chiffres"
		digits  = "que des chiffres"
	)
	tests := []struct {
		name  string
		siret string
		want  string // fragment of the message, "" when valid
	}{
		{"valid Luhn key", "12345678900007", ""},
		{"valid Luhn key of a real establishment", "73282932000074", ""},
		{"last digit changed breaks the key", "73282932000075", invalid},
		{"two digits swapped break the key", "73282932000047", invalid},
		{"digit sum multiple of 5 is not enough outside La Poste", "73282932000004", invalid},
		{"La Poste head office passes the Luhn key", "35600000000048", ""},
		{"La Poste establishment with digit sum multiple of 5", "35600000049837", ""},
		{"La Poste number failing both rules", "35600000000049", invalid},
		{"La Poste exception needs the full SIREN 356000000", "35600001000048", invalid},
		{"letters", "7328293200007A", digits},
		{"letter O instead of zero", "73282932OOOO74", digits},
		{"too short", "7328293200007", length},
		{"too long", "732829320000740", length},
		{"SIREN alone", "732829320", length},
		{"empty", "", length},
		{"spaces are not stripped here", "732 829 320 00074", length},
		{"non-ASCII digits", "７３２８２９３２０００７４", length},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := maillon.ValidateSIRET(tt.siret)
			if tt.want == "" {
				if got != "" {
					t.Fatalf("ValidateSIRET(%q) = %q, want valid", tt.siret, got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Fatalf("ValidateSIRET(%q) = %q, want a message containing %q", tt.siret, got, tt.want)
			}
			assertCleanMessage(t, tt.siret, got)
		})
	}
}

func validStructure() maillon.StructureInput {
	return maillon.StructureInput{
		Name:    "  Médiaction Vénissieux ",
		SIRET:   "732 829 320 00074",
		Address: maillon.Address{Line: " 12 rue Paul Bert ", PostalCode: " 69200 ", City: " Vénissieux "},
		Email:   " Contact@Mediaction.FR ",
		Phone:   "04 78 00 00 00",
		OfficeHours: [7]string{
			"9h-12h30, 14:00-17:30", "09:00-12:30", "", "fermé", "9h-17h", "", "",
		},
	}
}

func TestStructureInputValidateCleansValues(t *testing.T) {
	in := validStructure()
	oh, err := in.Validate()
	if err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	want := maillon.StructureInput{
		Name:        "Médiaction Vénissieux",
		SIRET:       "73282932000074",
		Address:     maillon.Address{Line: "12 rue Paul Bert", PostalCode: "69200", City: "Vénissieux"},
		Email:       "contact@mediaction.fr",
		Phone:       "04 78 00 00 00",
		OfficeHours: in.OfficeHours,
		Holidays:    maillon.HolidaysMetropole,
	}
	if !reflect.DeepEqual(in, want) {
		t.Errorf("cleaned input = %+v\nwant %+v", in, want)
	}
	wantHours := maillon.OfficeHours{
		{{9 * 60, 12*60 + 30}, {14 * 60, 17*60 + 30}},
		{{9 * 60, 12*60 + 30}},
		nil,
		nil,
		{{9 * 60, 17 * 60}},
	}
	if !reflect.DeepEqual(oh, wantHours) {
		t.Errorf("office hours = %v, want %v", oh, wantHours)
	}
}

func TestStructureInputValidateMessages(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*maillon.StructureInput)
		want   map[string]string // field → fragment of its message
	}{
		{"valid input", func(*maillon.StructureInput) {}, nil},
		{"optional fields may be empty", func(in *maillon.StructureInput) {
			*in = maillon.StructureInput{Name: "Médiaction"}
		}, nil},
		{"name missing", func(in *maillon.StructureInput) { in.Name = "   " },
			map[string]string{"name": "Indiquez le nom de la structure."}},
		{"name too long", func(in *maillon.StructureInput) { in.Name = strings.Repeat("é", maillon.MaxNameLen+1) },
			map[string]string{"name": "121 caractères pour 120 au maximum"}},
		{"name on two lines", func(in *maillon.StructureInput) { in.Name = "Médiaction\nLyon" },
			map[string]string{"name": "une seule ligne"}},
		{"SIRET with a bad key", func(in *maillon.StructureInput) { in.SIRET = "732 829 320 00075" },
			map[string]string{"siret": "n'est pas valide"}},
		{"SIRET too short", func(in *maillon.StructureInput) { in.SIRET = "732829320" },
			map[string]string{"siret": "14 chiffres"}},
		{"postal code of four digits", func(in *maillon.StructureInput) { in.Address.PostalCode = "6920" },
			map[string]string{"postal_code": "5 chiffres"}},
		{"postal code with letters", func(in *maillon.StructureInput) { in.Address.PostalCode = "2A004" },
			map[string]string{"postal_code": "5 chiffres"}},
		{"address line with a control character", func(in *maillon.StructureInput) { in.Address.Line = "12 rue\x00" },
			map[string]string{"address_line": "caractères de contrôle"}},
		{"city too long", func(in *maillon.StructureInput) { in.Address.City = strings.Repeat("a", 121) },
			map[string]string{"city": "trop long"}},
		{"e-mail without domain", func(in *maillon.StructureInput) { in.Email = "contact@" },
			map[string]string{"email": "adresse e-mail valide"}},
		{"phone with letters", func(in *maillon.StructureInput) { in.Phone = "04 78 AB CD EF" },
			map[string]string{"phone": "numéro de téléphone valide"}},
		{"phone too long", func(in *maillon.StructureInput) { in.Phone = strings.Repeat("0", 26) },
			map[string]string{"phone": "trop long"}},
		{"unknown holiday calendar", func(in *maillon.StructureInput) { in.Holidays = "bretagne" },
			map[string]string{"holidays": "calendrier de jours fériés"}},
		{"Tuesday hours reversed", func(in *maillon.StructureInput) { in.OfficeHours[1] = "17h-9h" },
			map[string]string{"hours_mardi": "finir après son début"}},
		{"Sunday hours garbage", func(in *maillon.StructureInput) { in.OfficeHours[6] = "le matin" },
			map[string]string{"hours_dimanche": "sous la forme 09:00-12:30"}},
		{"every problem at once", func(in *maillon.StructureInput) {
			*in = maillon.StructureInput{
				SIRET:       "1",
				Address:     maillon.Address{PostalCode: "1"},
				Email:       "x",
				Phone:       "x",
				OfficeHours: [7]string{"x", "x", "x", "x", "x", "x", "x"},
				Holidays:    "x",
			}
		}, map[string]string{
			"name": "Indiquez", "siret": "14 chiffres", "postal_code": "5 chiffres", "email": "e-mail",
			"phone": "téléphone", "holidays": "calendrier",
			"hours_lundi": "09:00", "hours_mardi": "09:00", "hours_mercredi": "09:00", "hours_jeudi": "09:00",
			"hours_vendredi": "09:00", "hours_samedi": "09:00", "hours_dimanche": "09:00",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validStructure()
			tt.modify(&in)
			_, err := in.Validate()
			assertFields(t, err, tt.want)
		})
	}
}

func TestStructureInputKeepsAlsaceMoselleCalendar(t *testing.T) {
	in := validStructure()
	in.Holidays = maillon.HolidaysAlsaceMoselle
	if _, err := in.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if in.Holidays != maillon.HolidaysAlsaceMoselle {
		t.Fatalf("Holidays = %q, want %q", in.Holidays, maillon.HolidaysAlsaceMoselle)
	}
}

func TestOfficeHoursField(t *testing.T) {
	want := []string{"hours_lundi", "hours_mardi", "hours_mercredi", "hours_jeudi", "hours_vendredi", "hours_samedi", "hours_dimanche"}
	for d, w := range want {
		if got := maillon.OfficeHoursField(d); got != w {
			t.Errorf("OfficeHoursField(%d) = %q, want %q", d, got, w)
		}
	}
}

func TestTeamInputValidate(t *testing.T) {
	tests := []struct {
		name string
		in   maillon.TeamInput
		want map[string]string
	}{
		{"name only", maillon.TeamInput{Name: "Équipe de soirée"}, nil},
		{"name and description", maillon.TeamInput{Name: "Nord", Description: "Quartiers nord, tranquillité résidentielle"}, nil},
		{"name missing", maillon.TeamInput{Name: " "}, map[string]string{"name": "Indiquez le nom de l'équipe."}},
		{"description on two lines", maillon.TeamInput{Name: "Nord", Description: "a\nb"}, map[string]string{"description": "une seule ligne"}},
		{"description too long", maillon.TeamInput{Name: "Nord", Description: strings.Repeat("x", maillon.MaxShortTextLen+1)},
			map[string]string{"description": "trop long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertFields(t, tt.in.Validate(), tt.want)
		})
	}
}

func TestTeamInputValidateTrims(t *testing.T) {
	in := maillon.TeamInput{Name: "  Nord ", Description: " Soirées \r\n"}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Name != "Nord" || in.Description != "Soirées" {
		t.Fatalf("cleaned input = %+v", in)
	}
}

func TestAddressString(t *testing.T) {
	tests := []struct {
		name string
		a    maillon.Address
		want string
	}{
		{"full", maillon.Address{Line: "12 rue Paul Bert", PostalCode: "69200", City: "Vénissieux"}, "12 rue Paul Bert, 69200 Vénissieux"},
		{"no street", maillon.Address{PostalCode: "69200", City: "Vénissieux"}, "69200 Vénissieux"},
		{"city only", maillon.Address{City: "Vénissieux"}, "Vénissieux"},
		{"street only", maillon.Address{Line: "12 rue Paul Bert"}, "12 rue Paul Bert"},
		{"empty", maillon.Address{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
