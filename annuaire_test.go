package maillon

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func validDirectoryService() DirectoryService {
	lat, lon := 45.76, 4.84
	return DirectoryService{Source: "dora", DIID: "dora--s1", DIStructureID: "dora--1", Nom: "Permanence accès aux droits",
		Description: "Aide aux démarches CAF et CPAM.", Type: "accompagnement", Frais: "gratuit",
		Thematiques: []string{"difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"},
		Publics:     []string{"tous-publics"}, ModesAccueil: []string{"en-presentiel"}, ZoneEligibilite: []string{"69123", "69"},
		CodeInsee: "69123", CodePostal: "69003", Latitude: &lat, Longitude: &lon, DateMaj: time.Date(2026, 1, 5, 0, 0, 0, 0, Paris),
		HorairesAccueil: "Mo-Fr 09:00-12:00"}
}

func TestDirectoryServiceValidate(t *testing.T) {
	s := validDirectoryService()
	if err := s.Validate(); err != nil {
		t.Fatalf("valid service: %v", FieldsOf(err))
	}
	cases := map[string]func(*DirectoryService){
		"nom":                         func(s *DirectoryService) { s.Nom = "ab" },
		"description":                 func(s *DirectoryService) { s.Description = " " },
		"type":                        func(s *DirectoryService) { s.Type = "inconnu" },
		"frais":                       func(s *DirectoryService) { s.Frais = "gratuit-sous-conditions" },
		"thematiques":                 func(s *DirectoryService) { s.Thematiques = []string{"numerique--xyz"} },
		"publics":                     func(s *DirectoryService) { s.Publics = []string{"martiens"} },
		"code_insee":                  func(s *DirectoryService) { s.CodeInsee = "6912" },
		"code_postal":                 func(s *DirectoryService) { s.CodePostal = "6900A" },
		"courriel":                    func(s *DirectoryService) { s.Courriel = "pas une adresse" },
		"lien_mobilisation":           func(s *DirectoryService) { s.LienMobilisation = "javascript:alert(1)" },
		"horaires_accueil":            func(s *DirectoryService) { s.HorairesAccueil = "lundi 9h" },
		"zone_eligibilite":            func(s *DirectoryService) { s.ZoneEligibilite = []string{"europe"} },
		"latitude":                    func(s *DirectoryService) { s.Longitude = nil },
		"nombre_semaines":             func(s *DirectoryService) { n := 0; s.NombreSemaines = &n },
		"volume_horaire_hebdomadaire": func(s *DirectoryService) { v := -1.0; s.VolumeHoraireHebdomadaire = &v },
		"date_maj":                    func(s *DirectoryService) { s.DateMaj = time.Time{} },
		"id":                          func(s *DirectoryService) { s.DIID = "a b" },
	}
	for field, mutate := range cases {
		s := validDirectoryService()
		mutate(&s)
		err := s.Validate()
		if !errors.Is(err, ErrInvalid) || FieldsOf(err)[field] == "" {
			t.Errorf("%s: Validate() = %v (%v), want a message on %s", field, err, FieldsOf(err), field)
		}
	}
}

func TestDirectoryStructureValidate(t *testing.T) {
	s := DirectoryStructure{Source: "maillon", DIID: "maillon--1", Nom: "Centre social Le Tournesol", Siret: "732 829 320 00074",
		ReseauxPorteurs: []string{"mission-locale"}, DateMaj: time.Now()}
	if err := s.Validate(); err != nil || s.Siret != "73282932000074" {
		t.Fatalf("valid structure: %v %q", FieldsOf(err), s.Siret)
	}
	s.Siret = "73282932000075"
	s.ReseauxPorteurs = []string{"inexistant"}
	s.Temporary = TemporaryInfo{Kind: "fermeture"}
	f := FieldsOf(s.Validate())
	for _, k := range []string{"siret", "reseaux_porteurs", "temp_message", "temp_from"} {
		if f[k] == "" {
			t.Errorf("no message on %s: %v", k, f)
		}
	}
	if !ValidSiret("35600000000048") {
		t.Error("La Poste SIRET refused")
	}
}

func TestFreshness(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	ds := DefaultDirectorySettings
	for _, c := range []struct {
		since time.Time
		want  string
	}{
		{now.AddDate(0, -1, 0), FreshUpToDate},
		{now.AddDate(0, -7, 0), FreshToCheck},
		{now.AddDate(0, -13, 0), FreshObsolete},
		{time.Time{}, FreshObsolete},
	} {
		if got := ds.Freshness(c.since, now); got != c.want {
			t.Errorf("Freshness(%v) = %s, want %s", c.since, got, c.want)
		}
		after, upTo := ds.Bounds(c.want, now)
		if !c.since.IsZero() && (!c.since.After(after) || (!upTo.IsZero() && c.since.After(upTo))) {
			t.Errorf("Bounds(%s) = %v, %v do not hold %v", c.want, after, upTo, c.since)
		}
	}
	v := Verification{VerifiedAt: now.AddDate(0, -2, 0)}
	if got := FreshSince(v, now.AddDate(-1, 0, 0)); !got.Equal(v.VerifiedAt) {
		t.Errorf("FreshSince = %v", got)
	}
	if err := (DirectorySettings{6, 6}).Validate(); err == nil {
		t.Error("equal thresholds accepted")
	}
}

func TestDistance(t *testing.T) {
	// Lyon Bellecour to Villeurbanne town hall: about 4.6 km.
	d := DistanceKm(45.7578, 4.8320, 45.7667, 4.8798)
	if d < 3.5 || d > 4.5 {
		t.Errorf("distance = %v", d)
	}
	if got := FormatDistance(0.423); got != "420 m" {
		t.Errorf("FormatDistance = %q", got)
	}
	if got := FormatDistance(3.77); !strings.HasPrefix(got, "3,8") {
		t.Errorf("FormatDistance = %q", got)
	}
}
