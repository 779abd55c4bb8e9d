package maillon

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const diJSON = `[
  {"source": "dora", "id": "dora--1", "nom": "Centre social Les Tilleuls", "date_maj": "2026-02-01",
   "siret": "73282932000074", "code_insee": "69123", "latitude": 45.75, "longitude": 4.85,
   "reseaux_porteurs": ["fcsf"], "horaires_accueil": "Mo-Fr 09:00-17:00"},
  {"source": "dora", "id": "dora--s1", "structure_id": "dora--1", "nom": "Aide aux démarches",
   "description": "Accompagnement aux démarches en ligne.", "date_maj": "2026-02-01",
   "thematiques": ["numerique--acceder-a-des-services-en-ligne"], "frais": "gratuit",
   "nombre_semaines": 2, "volume_horaire_hebdomadaire": 1.5},
  {"source": "dora", "id": "dora--s2", "structure_id": "dora--1", "nom": "X",
   "description": "Trop court", "date_maj": "2026-02-01"},
  42
]`

func TestParseDataInclusionJSON(t *testing.T) {
	ds, err := ParseDataInclusionJSON([]byte(diJSON))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Structures) != 1 || len(ds.Services) != 1 || len(ds.Rejected) != 2 {
		t.Fatalf("got %d structures, %d services, rejected %+v", len(ds.Structures), len(ds.Services), ds.Rejected)
	}
	if ds.StructureLines[0] != 2 || ds.ServiceLines[0] != 5 {
		t.Errorf("lines = %v %v", ds.StructureLines, ds.ServiceLines)
	}
	r := ds.Rejected[0]
	if r.Line != 9 || r.ID != "dora--s2" || !strings.Contains(r.Reason, "nom") {
		t.Errorf("rejected = %+v", r)
	}
	if ds.Rejected[1].Line != 11 {
		t.Errorf("rejected = %+v", ds.Rejected[1])
	}
	sv := ds.Services[0]
	if *sv.NombreSemaines != 2 || *sv.VolumeHoraireHebdomadaire != 1.5 || sv.Frais != "gratuit" {
		t.Errorf("service = %+v", sv)
	}

	// Round trip through the export.
	var sb, vb bytes.Buffer
	if err := WriteStructuresJSON(&sb, ds.Structures); err != nil {
		t.Fatal(err)
	}
	if err := WriteServicesJSON(&vb, ds.Services); err != nil {
		t.Fatal(err)
	}
	var objs []map[string]any
	if err := json.Unmarshal(vb.Bytes(), &objs); err != nil || objs[0]["frais_precisions"] != nil || objs[0]["id"] != "dora--s1" {
		t.Fatalf("services.json: %v %v", err, objs)
	}
	again, err := ParseDataInclusionJSON(append(append(sb.Bytes()[:sb.Len()-2], ','), vb.Bytes()[1:]...))
	if err != nil || len(again.Structures) != 1 || len(again.Services) != 1 || len(again.Rejected) != 0 {
		t.Fatalf("round trip: %v %+v", err, again)
	}
}

func TestParseDataInclusionShapes(t *testing.T) {
	obj := `{"structures": [{"source":"a","id":"a--1","nom":"Mairie","date_maj":"2026-01-01"}],
	"meta": {"x": 1}, "services": null}`
	ds, err := ParseDataInclusionJSON([]byte(obj))
	if err != nil || len(ds.Structures) != 1 {
		t.Fatalf("object: %v %+v", err, ds)
	}
	api := `{"items": [{"service": {"source":"a","id":"a--s","structure_id":"a--1","nom":"Écoute","description":"Un lieu d'écoute.","date_maj":"2026-01-01"}, "distance": 3}]}`
	ds, err = ParseDataInclusionJSON([]byte(api))
	if err != nil || len(ds.Services) != 1 {
		t.Fatalf("api: %v %+v", err, ds)
	}
	for in, line := range map[string]string{
		"[\n{\"source\": \"a\",\n\"id\": }\n]": "Ligne 3",
		"[\n{\"source\": \"a\"":                "tronqué",
		"\"texte\"":                            "liste JSON",
		"[]\n[]":                               "suit la fin",
		"{\"a\": 1}":                           "aucune liste",
		"\xff\xfe":                             "UTF-8",
	} {
		_, err := ParseDataInclusionJSON([]byte(in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(ErrorMessage(err, ""), line) {
			t.Errorf("ParseDataInclusionJSON(%q) = %v, want %q", in, err, line)
		}
	}
}

func TestParseDataInclusionV0(t *testing.T) {
	v0 := `[{"source":"dora","id":"dora--s9","structure_id":"dora--1","nom":"Atelier numérique",
	"presentation_resume":"Ateliers collectifs.","presentation_detail":"Deux heures par semaine.",
	"types":["atelier","inconnu"],"frais":["gratuit-sous-conditions","adhesion"],"frais_autres":"5 € par an",
	"profils":["seniors-65","jeunes-16-26"],"pre_requis":["Savoir lire"],"justificatifs":[],
	"modes_orientation_accompagnateur":["envoyer-un-mail"],"modes_orientation_beneficiaire":["se-presenter","autre"],
	"zone_diffusion_code":"69123","date_maj":"2025-05-06T10:00:00Z","page_web":"https://exemple.fr/s9"},
	{"source":"dora","id":"dora--1","nom":"Maison France services","labels_nationaux":["france-service"],
	"horaires_ouverture":"Mo-Fr 09:00-12:00","presentation_resume":"Accueil.","date_maj":"2025-05-06"}]`
	ds, err := ParseDataInclusionJSON([]byte(v0))
	if err != nil || len(ds.Services) != 1 || len(ds.Structures) != 1 {
		t.Fatalf("v0: %v %+v", err, ds)
	}
	s := ds.Services[0]
	if s.Description != "Ateliers collectifs.\n\nDeux heures par semaine." || s.Type != "atelier" || s.Frais != "payant" ||
		s.FraisPrecisions != "5 € par an" || s.LienSource != "https://exemple.fr/s9" || strings.Join(s.ZoneEligibilite, ",") != "69123" ||
		strings.Join(s.ModesMobilisation, ",") != "envoyer-un-courriel,se-presenter" ||
		strings.Join(s.MobilisablePar, ",") != "professionnels,usagers" || s.ConditionsAcces != "Savoir lire" {
		t.Errorf("v0 service = %+v", s)
	}
	st := ds.Structures[0]
	if st.HorairesAccueil != "Mo-Fr 09:00-12:00" || st.Description != "Accueil." {
		t.Errorf("v0 structure = %+v", st)
	}
}

func TestParseDataInclusionCSV(t *testing.T) {
	in := "\xef\xbb\xbfsource;id;structure_id;nom;description;date_maj;thematiques;latitude;longitude\n" +
		"dora;dora--s1;dora--1;Aide alimentaire;Colis chaque mardi.;2026-03-01;equipement-et-alimentation--alimentation|famille--garde-denfants;45,7;4,8\n" +
		"dora;dora--s2;;Sans structure;Une description.;2026-03-01;;;\n" +
		"dora;dora--s3;dora--1;\"Multi\nligne\";Une description.;pas une date;;;\n"
	ds, err := ParseDataInclusionCSV([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Services) != 1 || len(ds.Rejected) != 2 || ds.Rejected[0].Line != 3 || ds.Rejected[1].Line != 4 {
		t.Fatalf("csv: %+v", ds)
	}
	if s := ds.Services[0]; len(s.Thematiques) != 2 || *s.Latitude != 45.7 {
		t.Errorf("service = %+v", s)
	}
	var b bytes.Buffer
	if err := WriteServicesCSV(&b, ds.Services); err != nil {
		t.Fatal(err)
	}
	again, err := ParseDataInclusionCSV(b.Bytes())
	if err != nil || len(again.Services) != 1 || len(again.Rejected) != 0 {
		t.Fatalf("csv round trip: %v %+v\n%s", err, again, b.String())
	}
	for in, want := range map[string]string{
		"source,id\na,b,c\n":  "Ligne 2",
		"source,id\n\"a,b\n":  "Ligne 2",
		"nom\nx\n":            "colonnes",
		"":                    "vide",
		"source,id,id\na,b,c": "deux fois",
	} {
		_, err := ParseDataInclusionCSV([]byte(in))
		if !errors.Is(err, ErrInvalid) || !strings.Contains(ErrorMessage(err, ""), want) {
			t.Errorf("ParseDataInclusionCSV(%q) = %v, want %q", in, err, want)
		}
	}
}

// The importers never panic, and what they accept is valid and exports.
func FuzzParseDataInclusionJSON(f *testing.F) {
	f.Add([]byte(diJSON))
	f.Add([]byte(`{"items":[{"service":{"source":"a","id":"b","nom":"abc","description":"abcdef","date_maj":"2026-01-01"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseDataInclusionJSON(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error kind: %v", err)
			}
			return
		}
		checkDataset(t, ds)
	})
}

func FuzzParseDataInclusionCSV(f *testing.F) {
	f.Add([]byte("source,id,nom,date_maj\na,b,Mairie,2026-01-01\n"))
	f.Add([]byte("source;id;structure_id;nom;description;date_maj\na;b;c;Écoute;Un lieu.;2026-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ds, err := ParseDataInclusionCSV(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error kind: %v", err)
			}
			return
		}
		checkDataset(t, ds)
	})
}

func checkDataset(t *testing.T, ds *DirectoryDataset) {
	for i := range ds.Structures {
		if err := ds.Structures[i].Validate(); err != nil {
			t.Fatalf("accepted structure invalid on second look: %v", err)
		}
	}
	for i := range ds.Services {
		if err := ds.Services[i].Validate(); err != nil {
			t.Fatalf("accepted service invalid on second look: %v", err)
		}
	}
	for _, r := range ds.Rejected {
		if r.Line < 1 || r.Reason == "" {
			t.Fatalf("rejection without line or reason: %+v", r)
		}
	}
	var b bytes.Buffer
	if err := WriteServicesJSON(&b, ds.Services); err != nil {
		t.Fatal(err)
	}
	if err := WriteStructuresCSV(&b, ds.Structures); err != nil {
		t.Fatal(err)
	}
}
