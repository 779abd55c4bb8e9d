package maillon

import (
	"strings"
	"testing"
	"time"
)

var csvNow = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

func TestParseKeyFiguresCSV(t *testing.T) {
	semicolon := "\ufefflibellé;valeur;unité;source;date\nTaux de pauvreté;38,5;%;INSEE Filosofi;2021\nPopulation;21 000;habitants;INSEE RP;01/01/2021\n"
	rows, err := ParseKeyFiguresCSV([]byte(semicolon), csvNow)
	if err != nil || len(rows) != 2 || rows[0].Value != "38,5" || rows[1].Value != "21000" || rows[0].Unit != "%" {
		t.Fatalf("semicolon file = %+v, %v", rows, err)
	}
	comma := "label,value,unit,source,date\r\n\"Taux de chômage\",\"14,2\",%,Pôle emploi,2023-12-31\r\n"
	if rows, err := ParseKeyFiguresCSV([]byte(comma), csvNow); err != nil || len(rows) != 1 || rows[0].Value != "14,2" {
		t.Fatalf("comma file = %+v, %v", rows, err)
	}
	bad := "label;value;unit;source;date\nA;1;;S;2020\nB;beaucoup;;S;2020\n;2;;S;\n"
	_, err = ParseKeyFiguresCSV([]byte(bad), csvNow)
	rep := ReportOf(err)
	if rep == nil || len(rep.Lines) != 2 || !strings.HasPrefix(rep.Lines[0], "Ligne 3 : ") || !strings.HasPrefix(rep.Lines[1], "Ligne 4 : ") {
		t.Fatalf("report = %+v (%v)", rep, err)
	}
	for name, data := range map[string]string{
		"empty": "", "header only": "label;value;unit;source;date\n", "missing column": "label;unit\nA;%\n",
		"latin-1": "label;value;unit;source;date\nTaux de pauvret\xe9;1;;S;2020\n", "quote": "label;value;unit;source;date\n\"A;1;;S;2020\n",
	} {
		if _, err := ParseKeyFiguresCSV([]byte(data), csvNow); ReportOf(err) == nil {
			t.Errorf("%s: err = %v, want a report", name, err)
		}
	}
}

func TestParseCommunesCSV(t *testing.T) {
	cog := "TYPECOM;COM;DEP;LIBELLE;PMUN\nCOM;69259;69;Vénissieux;66 506\nARM;69381;69;Lyon 1er Arrondissement;\nCOM;2A004;2A;Ajaccio;73000\nCOM;97101;971;Les Abymes;53000\n"
	rows, err := ParseCommunesCSV([]byte(cog), "")
	if err != nil || len(rows) != 3 || rows[0].Population != 66506 || rows[1].Department != "2A" || rows[2].Department != "971" {
		t.Fatalf("rows = %+v, %v", rows, err)
	}
	if rows, err := ParseCommunesCSV([]byte(cog), "2a"); err != nil || len(rows) != 1 {
		t.Errorf("department filter = %+v, %v", rows, err)
	}
	old := "CODGEO,LIBGEO\n69259,Vénissieux\n"
	if rows, err := ParseCommunesCSV([]byte(old), ""); err != nil || rows[0].Department != "69" || rows[0].Population != 0 {
		t.Errorf("older layout = %+v, %v", rows, err)
	}
	for name, data := range map[string]string{
		"bad code":   "COM;LIBELLE\n6925;Vénissieux\n",
		"duplicate":  "COM;LIBELLE\n69259;Vénissieux\n69259;Vénissieux\n",
		"bad pop":    "COM;LIBELLE;PMUN\n69259;Vénissieux;beaucoup\n",
		"no columns": "code postal;ville\n69200;Vénissieux\n",
	} {
		_, err := ParseCommunesCSV([]byte(data), "")
		if rep := ReportOf(err); rep == nil || !strings.HasPrefix(rep.Lines[0], "Ligne ") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := ParseCommunesCSV([]byte(cog), "13"); ReportOf(err) == nil {
		t.Error("no commune of the department: no report")
	}
}

func FuzzParseKeyFiguresCSV(f *testing.F) {
	f.Add([]byte("label;value;unit;source;date\nA;1,5;%;S;2020\n"))
	f.Add([]byte("\ufefflabel,value,unit,source,date\n\"A\",\"1,5\",%,S,01/01/2020\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ParseKeyFiguresCSV(data, csvNow)
		if err != nil {
			if ReportOf(err) == nil {
				t.Fatalf("error without report: %v", err)
			}
			return
		}
		for _, r := range rows {
			in := r
			if _, err := in.Validate(csvNow); err != nil || in != r {
				t.Fatalf("accepted row does not validate again: %+v, %v", r, err)
			}
		}
	})
}

func FuzzParseCommunesCSV(f *testing.F) {
	f.Add([]byte("TYPECOM;COM;DEP;LIBELLE;PMUN\nCOM;69259;69;Vénissieux;66506\n"), "")
	f.Add([]byte("CODGEO,LIBGEO\n2A004,Ajaccio\n"), "2A")
	f.Fuzz(func(t *testing.T, data []byte, dep string) {
		rows, err := ParseCommunesCSV(data, dep)
		if err != nil {
			if ReportOf(err) == nil {
				t.Fatalf("error without report: %v", err)
			}
			return
		}
		if len(rows) == 0 || len(rows) > MaxCommunesImport {
			t.Fatalf("%d rows", len(rows))
		}
		for _, r := range rows {
			in := CommuneInput{INSEE: r.INSEE, Name: r.Name}
			if err := in.Validate(); err != nil || in.INSEE != r.INSEE || in.Name != r.Name || r.Population < 0 {
				t.Fatalf("accepted row is invalid: %+v, %v", r, err)
			}
		}
	})
}

func TestInfoInputValidate(t *testing.T) {
	in := InfoInput{Title: " Permanence CAF ", Content: "Mardi\n9 h – 12 h", Level: InfoReseau, Themes: []string{"logement", "sante"},
		ValidFrom: "2026-03-01", ValidUntil: "2026-02-01", Link: "https://caf.fr/x"}
	_, err := in.Validate(csvNow)
	if f := FieldsOf(err); len(f) != 1 || f["valid_until"] == "" {
		t.Errorf("fields = %v", f)
	}
	in.ValidUntil = ""
	if _, err := in.Validate(csvNow); err != nil || in.Title != "Permanence CAF" {
		t.Errorf("valid input: %v", err)
	}
	item := Info{ValidUntil: time.Date(2026, 3, 10, 0, 0, 0, 0, Paris), ReviewOn: time.Date(2026, 3, 11, 0, 0, 0, 0, Paris)}
	if item.Expired(csvNow) || item.ToReview(csvNow) || !item.Expired(csvNow.Add(24*time.Hour)) || !item.ToReview(csvNow.Add(24*time.Hour)) {
		t.Error("validity and review dates are days in Paris")
	}
}
