package maillon_test

import (
	"strings"
	"testing"

	"maillon"
)

func TestCommuneInputValidate(t *testing.T) {
	const notPostal = "ce n'est pas le code postal"
	tests := []struct {
		name      string
		in        maillon.CommuneInput
		wantINSEE string // cleaned code when valid
		want      map[string]string
	}{
		{"metropolitan code", maillon.CommuneInput{INSEE: "69259", Name: "Vénissieux"}, "69259", nil},
		{"Corse-du-Sud code", maillon.CommuneInput{INSEE: "2A004", Name: "Ajaccio"}, "2A004", nil},
		{"Haute-Corse code in lower case", maillon.CommuneInput{INSEE: " 2b033 ", Name: "Bastia"}, "2B033", nil},
		{"overseas code", maillon.CommuneInput{INSEE: "97411", Name: "Saint-Denis"}, "97411", nil},
		{"four digits", maillon.CommuneInput{INSEE: "6925", Name: "Vénissieux"}, "", map[string]string{"insee": notPostal}},
		{"six digits", maillon.CommuneInput{INSEE: "692590", Name: "Vénissieux"}, "", map[string]string{"insee": notPostal}},
		{"space inside, as in a postal code", maillon.CommuneInput{INSEE: "69 259", Name: "Vénissieux"}, "", map[string]string{"insee": notPostal}},
		{"Corsica with another letter", maillon.CommuneInput{INSEE: "2C004", Name: "Ajaccio"}, "", map[string]string{"insee": notPostal}},
		{"letters", maillon.CommuneInput{INSEE: "LYON", Name: "Lyon"}, "", map[string]string{"insee": "5 caractères"}},
		{"code missing", maillon.CommuneInput{INSEE: " ", Name: "Vénissieux"}, "", map[string]string{"insee": "Indiquez le code INSEE de la commune."}},
		{"name missing", maillon.CommuneInput{INSEE: "69259"}, "", map[string]string{"commune_name": "Indiquez le nom de la commune."}},
		{"both missing", maillon.CommuneInput{}, "", map[string]string{"insee": "Indiquez", "commune_name": "Indiquez"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate()
			assertFields(t, err, tt.want)
			if err == nil && in.INSEE != tt.wantINSEE {
				t.Errorf("INSEE = %q, want %q", in.INSEE, tt.wantINSEE)
			}
		})
	}
}

func TestZoneInputValidate(t *testing.T) {
	const qpv = "commence par QP ou QN"
	tests := []struct {
		name    string
		in      maillon.ZoneInput
		wantQPV string
		want    map[string]string
	}{
		{"plain quartier", maillon.ZoneInput{CommuneID: 1, Name: "Centre"}, "", nil},
		{"QPV of the 2024 list", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QN06901M"}, "QN06901M", nil},
		{"QPV of the 2015 list", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QP069001"}, "QP069001", nil},
		{"QPV code in lower case with spaces", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: " qn06901m "}, "QN06901M", nil},
		{"QPV code too short", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QN0690"}, "", map[string]string{"qpv_code": qpv}},
		{"QPV code too long", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QN06901MX"}, "", map[string]string{"qpv_code": qpv}},
		{"QPV code with a wrong prefix", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QX06901M"}, "", map[string]string{"qpv_code": qpv}},
		{"QPV code with punctuation", maillon.ZoneInput{CommuneID: 1, Name: "Minguettes", QPVCode: "QN-06901"}, "", map[string]string{"qpv_code": qpv}},
		{"commune missing", maillon.ZoneInput{Name: "Centre"}, "", map[string]string{"commune_id": "Choisissez la commune du quartier."}},
		{"negative commune", maillon.ZoneInput{CommuneID: -3, Name: "Centre"}, "", map[string]string{"commune_id": "Choisissez"}},
		{"name missing", maillon.ZoneInput{CommuneID: 1}, "", map[string]string{"zone_name": "Indiquez le nom du quartier."}},
		{"name too long", maillon.ZoneInput{CommuneID: 1, Name: strings.Repeat("q", 121)}, "", map[string]string{"zone_name": "trop long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			err := in.Validate()
			assertFields(t, err, tt.want)
			if err == nil && in.QPVCode != tt.wantQPV {
				t.Errorf("QPVCode = %q, want %q", in.QPVCode, tt.wantQPV)
			}
		})
	}
}

func TestZoneIsQPV(t *testing.T) {
	if (maillon.Zone{Name: "Centre"}).IsQPV() {
		t.Error("a zone without QPV code reports IsQPV")
	}
	if !(maillon.Zone{Name: "Minguettes", QPVCode: "QN06901M"}).IsQPV() {
		t.Error("a zone with a QPV code does not report IsQPV")
	}
}

func TestTerritoryZoneCount(t *testing.T) {
	tr := maillon.Territory{Communes: []maillon.Commune{
		{INSEE: "69259", Zones: []maillon.Zone{{Name: "Minguettes"}, {Name: "Centre"}}},
		{INSEE: "69199"},
		{INSEE: "69266", Zones: []maillon.Zone{{Name: "Mas du Taureau"}}},
	}}
	if got := tr.ZoneCount(); got != 3 {
		t.Fatalf("ZoneCount() = %d, want 3", got)
	}
	if got := (maillon.Territory{}).ZoneCount(); got != 0 {
		t.Fatalf("empty ZoneCount() = %d, want 0", got)
	}
}
