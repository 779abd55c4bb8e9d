package maillon

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxImportErrors bounds the lines an import report lists.
const MaxImportErrors = 20

// ImportReport is a file refused as a whole: one French message per
// faulty line ("Ligne 4 : …"), the first MaxImportErrors of them.
type ImportReport struct {
	Lines []string
	More  int // faulty lines beyond those listed
}

// Error implements error.
func (r *ImportReport) Error() string {
	return "Le fichier contient des erreurs ; rien n'a été importé. " + strings.Join(r.Lines, " ")
}

// Unwrap makes the report an ErrInvalid.
func (r *ImportReport) Unwrap() error { return ErrInvalid }

func (r *ImportReport) add(line int, msg string) {
	if len(r.Lines) >= MaxImportErrors {
		r.More++
		return
	}
	r.Lines = append(r.Lines, "Ligne "+strconv.Itoa(line)+" : "+msg)
}

func (r *ImportReport) err() error {
	if len(r.Lines) == 0 {
		return nil
	}
	return r
}

// ReportOf returns the import report inside err, if any.
func ReportOf(err error) *ImportReport {
	var r *ImportReport
	if errors.As(err, &r) {
		return r
	}
	return nil
}

// csvRecords reads a whole CSV file: UTF-8 with or without BOM, ";" or ","
// separator guessed from the header line. It returns the records with
// their line numbers.
func csvRecords(data []byte, maxRows int) ([][]string, []int, error) {
	rep := &ImportReport{}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		rep.add(1, "le fichier est vide.")
		return nil, nil, rep
	}
	if len(data) > MaxImportBytes {
		rep.add(1, "le fichier dépasse 8 Mio ; découpez-le.")
		return nil, nil, rep
	}
	if !utf8.Valid(data) {
		rep.add(1, "le fichier n'est pas en UTF-8 ; enregistrez-le en « CSV UTF-8 » depuis le tableur.")
		return nil, nil, rep
	}
	first := data
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = ','
	if bytes.Count(first, []byte(";")) >= bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	var recs [][]string
	var lines []int
	for {
		line := len(recs) + 1
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			rep.add(line, "ligne illisible (guillemet mal fermé ?).")
			return nil, nil, rep
		}
		line, _ = r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(recs) > maxRows {
			rep.add(line, "le fichier compte plus de "+strconv.Itoa(maxRows)+" lignes ; découpez-le.")
			return nil, nil, rep
		}
		recs = append(recs, rec)
		lines = append(lines, line)
	}
	if len(recs) == 0 {
		rep.add(1, "le fichier est vide.")
		return nil, nil, rep
	}
	return recs, lines, nil
}

// headerKey folds a header cell for matching: lower case, no accents,
// spaces and dashes as underscores.
func headerKey(s string) string {
	s = FoldText(strings.TrimSpace(s))
	return strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(s)
}

// columns finds, for each wanted column, its index in the header from a
// list of accepted names; -1 when absent.
func columns(header []string, names map[string][]string) map[string]int {
	out := map[string]int{}
	for col, accepted := range names {
		out[col] = -1
		for i, h := range header {
			k := headerKey(h)
			for _, a := range accepted {
				if k == a && out[col] < 0 {
					out[col] = i
				}
			}
		}
	}
	return out
}

func cell(rec []string, i int) string {
	if i < 0 || i >= len(rec) {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

// KeyFigureHeaders are the accepted header names of a key figures file.
var keyFigureHeaders = map[string][]string{
	"label":  {"label", "libelle", "intitule", "indicateur"},
	"value":  {"value", "valeur"},
	"unit":   {"unit", "unite"},
	"source": {"source"},
	"date":   {"date", "annee", "millesime"},
}

// MaxKeyFigureRows bounds a key figures file.
const MaxKeyFigureRows = MaxKeyFigures

// ParseKeyFiguresCSV reads a key figures file: a header line naming the
// columns label, value, unit, source, date (or libellé, valeur, unité,
// source, date), then one figure per line. Every line is checked; any
// error refuses the whole file with a line-numbered French report.
func ParseKeyFiguresCSV(data []byte, now time.Time) ([]KeyFigureInput, error) {
	recs, lines, err := csvRecords(data, MaxKeyFigureRows)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{}
	cols := columns(recs[0], keyFigureHeaders)
	for _, c := range []string{"label", "value", "source", "date"} {
		if cols[c] < 0 {
			rep.add(lines[0], "colonnes attendues : label;value;unit;source;date (ou libellé;valeur;unité;source;date) ; la colonne « "+c+" » manque.")
			return nil, rep
		}
	}
	if len(recs) == 1 {
		rep.add(lines[0], "le fichier ne contient aucun chiffre après la ligne d'en-tête.")
		return nil, rep
	}
	out := make([]KeyFigureInput, 0, len(recs)-1)
	for i, rec := range recs[1:] {
		in := KeyFigureInput{Label: cell(rec, cols["label"]), Value: cell(rec, cols["value"]), Unit: cell(rec, cols["unit"]),
			Source: cell(rec, cols["source"]), On: cell(rec, cols["date"])}
		if _, err := in.Validate(now); err != nil {
			fields := FieldsOf(err)
			var msgs []string
			for _, f := range KeyFigureFields {
				if m, ok := fields[f]; ok {
					msgs = append(msgs, m)
				}
			}
			rep.add(lines[i+1], strings.Join(msgs, " "))
			continue
		}
		out = append(out, in)
	}
	if err := rep.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// communeHeaders are the accepted header names of a communes file: those
// of the INSEE's Code officiel géographique (COM, LIBELLE, DEP, TYPECOM),
// of its older editions (CODGEO, LIBGEO, NCCENR) and of the populations
// légales files (DEPCOM, PMUN, PTOT), plus plain French names.
var communeHeaders = map[string][]string{
	"code":       {"com", "codgeo", "depcom", "code_insee", "insee", "code_commune", "code_commune_insee", "code"},
	"name":       {"libelle", "nccenr", "libgeo", "nom_commune", "nom", "commune", "name"},
	"department": {"dep", "departement", "code_departement", "coddep"},
	"population": {"pmun", "population_municipale", "population", "ptot", "population_totale", "pop"},
	"type":       {"typecom"},
}

// ParseCommunesCSV reads a communes file of the official geographic code.
// Lines whose TYPECOM is not COM (associated or delegated communes,
// municipal districts) are skipped, as are communes outside department
// when it is not empty. The department defaults to the code's first two
// characters (three overseas).
func ParseCommunesCSV(data []byte, department string) ([]CommuneRecord, error) {
	recs, lines, err := csvRecords(data, MaxCommuneFileRows)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{}
	cols := columns(recs[0], communeHeaders)
	if cols["code"] < 0 || cols["name"] < 0 {
		rep.add(lines[0], "colonnes attendues : COM (code INSEE), LIBELLE (nom), et si possible DEP et PMUN (population) ; la colonne du code ou du nom manque.")
		return nil, rep
	}
	department = strings.ToUpper(strings.TrimSpace(department))
	seen := map[string]bool{}
	var out []CommuneRecord
	for i, rec := range recs[1:] {
		line := lines[i+1]
		if t := cell(rec, cols["type"]); t != "" && !strings.EqualFold(t, "COM") {
			continue
		}
		in := CommuneInput{INSEE: cell(rec, cols["code"]), Name: cell(rec, cols["name"])}
		if err := in.Validate(); err != nil {
			fields := FieldsOf(err)
			msg := fields["insee"]
			if msg == "" {
				msg = fields["commune_name"]
			}
			rep.add(line, msg)
			continue
		}
		dep := strings.ToUpper(cell(rec, cols["department"]))
		if dep == "" {
			dep = in.INSEE[:2]
			if dep == "97" {
				dep = in.INSEE[:3]
			}
		}
		if department != "" && dep != department {
			continue
		}
		pop := 0
		if p := strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(cell(rec, cols["population"])); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > 10_000_000 {
				rep.add(line, "la population doit être un nombre entier de personnes.")
				continue
			}
			pop = n
		}
		if seen[in.INSEE] {
			rep.add(line, "la commune "+in.INSEE+" apparaît deux fois.")
			continue
		}
		seen[in.INSEE] = true
		if len(out) >= MaxCommunesImport {
			rep.add(line, "plus de "+strconv.Itoa(MaxCommunesImport)+" communes : choisissez un département ou découpez le fichier.")
			break
		}
		out = append(out, CommuneRecord{INSEE: in.INSEE, Name: in.Name, Department: dep, Population: pop})
	}
	if err := rep.err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		rep.add(lines[0], "aucune commune à importer (vérifiez le département choisi).")
		return nil, rep
	}
	return out, nil
}
