package maillon

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Reading and writing data·inclusion files. A file that cannot be read
// (broken JSON or CSV, wrong shape) is refused whole with the line of the
// problem; a readable file's rows are checked one by one and the invalid
// ones are listed with their line and reasons, the others imported
// (explicit per-row rejection).

// MaxDirectoryRows bounds the rows of one file.
const MaxDirectoryRows = 500_000

// fileError is the French error of an unreadable file.
func fileError(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		msg = "Ligne " + strconv.Itoa(line) + " : " + msg
	}
	return &Error{Kind: ErrInvalid, Message: msg, Fields: map[string]string{"file": msg}}
}

// record is one row, from JSON or CSV, read field by field.
type record interface {
	str(key string) (string, bool, error)
	list(key string) ([]string, error)
	num(key string) (*float64, error)
	has(key string) bool
}

type jsonRecord map[string]any

func (r jsonRecord) has(k string) bool { v, ok := r[k]; return ok && v != nil }

func (r jsonRecord) str(k string) (string, bool, error) {
	switch v := r[k].(type) {
	case nil:
		return "", false, nil
	case string:
		return v, true, nil
	case json.Number:
		return v.String(), true, nil
	}
	return "", false, fmt.Errorf("%s : texte attendu", k)
}

func (r jsonRecord) list(k string) ([]string, error) {
	switch v := r[k].(type) {
	case nil:
		return nil, nil
	case string: // v0 files sometimes hold one code as a string
		return splitCell(v), nil
	case []any:
		out := make([]string, 0, len(v))
		for _, it := range v {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("%s : liste de textes attendue", k)
			}
			out = append(out, s)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%s : liste attendue", k)
}

func (r jsonRecord) num(k string) (*float64, error) {
	switch v := r[k].(type) {
	case nil:
		return nil, nil
	case json.Number:
		f, err := v.Float64()
		if err != nil || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s : nombre illisible", k)
		}
		return &f, nil
	case string:
		return parseNum(k, v)
	}
	return nil, fmt.Errorf("%s : nombre attendu", k)
}

type csvRecord map[string]string

func (r csvRecord) has(k string) bool { return strings.TrimSpace(r[k]) != "" }

func (r csvRecord) str(k string) (string, bool, error) { v, ok := r[k]; return v, ok && v != "", nil }

func (r csvRecord) list(k string) ([]string, error) {
	v := strings.TrimSpace(r[k])
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			return nil, fmt.Errorf("%s : liste illisible", k)
		}
		return out, nil
	}
	return splitCell(v), nil
}

func (r csvRecord) num(k string) (*float64, error) { return parseNum(k, r[k]) }

func parseNum(k, v string) (*float64, error) {
	v = strings.TrimSpace(strings.Replace(v, ",", ".", 1))
	if v == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("%s : nombre illisible", k)
	}
	return &f, nil
}

// splitCell splits a CSV list cell on "," or "|".
func splitCell(v string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '|' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// v0Keys are fields of the data·inclusion v0 schema that v1 dropped or
// renamed: one of them marks a row as v0.
var v0Keys = []string{"presentation_resume", "presentation_detail", "profils", "types", "labels_nationaux",
	"labels_autres", "horaires_ouverture", "typologie", "antenne", "rna", "accessibilite", "frais_autres",
	"pre_requis", "justificatifs", "zone_diffusion_code", "zone_diffusion_type", "modes_orientation_accompagnateur",
	"modes_orientation_beneficiaire", "formulaire_en_ligne", "page_web", "prise_rdv", "profils_precisions"}

// v0ModesMobilisation maps the v0 modes d'orientation to v1 modes de
// mobilisation.
var v0ModesMobilisation = map[string]string{
	"envoyer-un-mail": "envoyer-un-courriel",
	"envoyer-un-mail-avec-une-fiche-de-prescription": "envoyer-un-courriel",
	"envoyer-un-courriel":                            "envoyer-un-courriel",
	"telephoner":                                     "telephoner",
	"se-presenter":                                   "se-presenter",
	"completer-le-formulaire-dadhesion":              "utiliser-lien-mobilisation",
	"formulaire-en-ligne":                            "utiliser-lien-mobilisation",
	"utiliser-lien-mobilisation":                     "utiliser-lien-mobilisation",
}

func isV0(r record) bool {
	for _, k := range v0Keys {
		if r.has(k) {
			return true
		}
	}
	return false
}

// rowReader accumulates the problems of one row.
type rowReader struct {
	r    record
	v0   bool
	errs []string
}

func (rr *rowReader) str(keys ...string) string {
	for _, k := range keys {
		v, ok, err := rr.r.str(k)
		if err != nil {
			rr.errs = append(rr.errs, err.Error())
			return ""
		}
		if ok {
			return v
		}
	}
	return ""
}

func (rr *rowReader) list(keys ...string) []string {
	for _, k := range keys {
		v, err := rr.r.list(k)
		if err != nil {
			rr.errs = append(rr.errs, err.Error())
			return nil
		}
		if v != nil {
			return v
		}
	}
	return nil
}

// vocab keeps the codes of a list; in a v0 row, codes v1 no longer has
// are dropped instead of refusing the row.
func (rr *rowReader) vocab(cs Choices, keys ...string) []string {
	v := rr.list(keys...)
	if !rr.v0 {
		return v
	}
	out := v[:0:0]
	for _, c := range v {
		if cs.Valid(c) {
			out = append(out, c)
		}
	}
	return out
}

func (rr *rowReader) num(k string) *float64 {
	v, err := rr.r.num(k)
	if err != nil {
		rr.errs = append(rr.errs, err.Error())
	}
	return v
}

func (rr *rowReader) date(k string) time.Time {
	v := strings.TrimSpace(rr.str(k))
	if v == "" {
		return time.Time{}
	}
	if len(v) > 10 {
		v = v[:10] // a v0 date-time: the day is kept
	}
	d, err := time.ParseInLocation("2006-01-02", v, Paris)
	if err != nil || d.Year() < 1900 || d.Year() > 2200 {
		rr.errs = append(rr.errs, k+" : date au format aaaa-mm-jj attendue")
		return time.Time{}
	}
	return d
}

// text joins v0 fields that were texts or lists of texts.
func (rr *rowReader) text(keys ...string) string {
	var parts []string
	for _, k := range keys {
		v, _, err := rr.r.str(k)
		if err != nil {
			v = strings.Join(rr.list(k), "\n")
		}
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, "\n\n")
}

func readStructure(r record) (DirectoryStructure, []string) {
	rr := &rowReader{r: r, v0: isV0(r)}
	s := DirectoryStructure{
		Source: rr.str("source"), DIID: rr.str("id"), Nom: rr.str("nom"), Siret: rr.str("siret"),
		Telephone: rr.str("telephone"), Courriel: rr.str("courriel"), SiteWeb: rr.str("site_web"),
		LienSource: rr.str("lien_source"), HorairesAccueil: rr.str("horaires_accueil", "horaires_ouverture"),
		AccessibiliteLieu: rr.str("accessibilite_lieu", "accessibilite"),
		ReseauxPorteurs:   rr.vocab(DIReseauxPorteurs, "reseaux_porteurs", "labels_nationaux"),
		Adresse:           rr.str("adresse"), ComplementAdresse: rr.str("complement_adresse"), Commune: rr.str("commune"),
		CodePostal: rr.str("code_postal"), CodeInsee: rr.str("code_insee"),
		Latitude: rr.num("latitude"), Longitude: rr.num("longitude"), DateMaj: rr.date("date_maj"),
	}
	s.Description = rr.str("description")
	if s.Description == "" && rr.v0 {
		s.Description = rr.text("presentation_resume", "presentation_detail")
	}
	return s, rr.errs
}

func readService(r record) (DirectoryService, []string) {
	rr := &rowReader{r: r, v0: isV0(r)}
	s := DirectoryService{
		Source: rr.str("source"), DIID: rr.str("id"), DIStructureID: rr.str("structure_id"), Nom: rr.str("nom"),
		Type:              rr.str("type"),
		Thematiques:       rr.vocab(DIThematiques, "thematiques"),
		FraisPrecisions:   rr.str("frais_precisions", "frais_autres"),
		Publics:           rr.vocab(DIPublics, "publics", "profils"),
		PublicsPrecisions: rr.str("publics_precisions", "profils_precisions"),
		Telephone:         rr.str("telephone"), Courriel: rr.str("courriel"), ContactNomPrenom: rr.str("contact_nom_prenom"),
		LienMobilisation: rr.str("lien_mobilisation", "formulaire_en_ligne"), LienSource: rr.str("lien_source", "page_web"),
		ModesAccueil:              rr.vocab(DIModesAccueil, "modes_accueil"),
		MobilisablePar:            rr.list("mobilisable_par"),
		MobilisationPrecisions:    rr.str("mobilisation_precisions"),
		ZoneEligibilite:           rr.list("zone_eligibilite", "zone_diffusion_code"),
		HorairesAccueil:           rr.str("horaires_accueil"),
		VolumeHoraireHebdomadaire: rr.num("volume_horaire_hebdomadaire"),
		Adresse:                   rr.str("adresse"), ComplementAdresse: rr.str("complement_adresse"), Commune: rr.str("commune"),
		CodePostal: rr.str("code_postal"), CodeInsee: rr.str("code_insee"),
		Latitude: rr.num("latitude"), Longitude: rr.num("longitude"), DateMaj: rr.date("date_maj"),
	}
	if n := rr.num("nombre_semaines"); n != nil {
		if *n != math.Trunc(*n) || math.Abs(*n) > 1e6 {
			rr.errs = append(rr.errs, "nombre_semaines : nombre entier attendu")
		} else {
			v := int(*n)
			s.NombreSemaines = &v
		}
	}
	if !rr.v0 {
		s.Frais = rr.str("frais")
	}
	s.Description = rr.str("description")
	s.ConditionsAcces = rr.str("conditions_acces")
	s.ModesMobilisation = rr.list("modes_mobilisation")
	if rr.v0 {
		if s.Description == "" {
			s.Description = rr.text("presentation_resume", "presentation_detail")
		}
		if s.ConditionsAcces == "" {
			s.ConditionsAcces = rr.text("pre_requis", "justificatifs")
		}
		if s.Type == "" {
			for _, t := range rr.list("types") {
				if DITypesService.Valid(t) {
					s.Type = t
					break
				}
			}
		}
		if fr := rr.list("frais"); len(fr) > 0 {
			s.Frais = "gratuit"
			for _, f := range fr {
				if f != "gratuit" && f != "gratuit-sous-conditions" {
					s.Frais = "payant"
				}
			}
		}
		if len(s.ModesMobilisation) == 0 {
			pro, usr := rr.list("modes_orientation_accompagnateur"), rr.list("modes_orientation_beneficiaire")
			for _, m := range append(pro, usr...) {
				if v1, ok := v0ModesMobilisation[m]; ok {
					s.ModesMobilisation = append(s.ModesMobilisation, v1)
				}
			}
			if len(s.MobilisablePar) == 0 {
				if len(pro) > 0 {
					s.MobilisablePar = append(s.MobilisablePar, "professionnels")
				}
				if len(usr) > 0 {
					s.MobilisablePar = append(s.MobilisablePar, "usagers")
				}
			}
		}
	}
	return s, rr.errs
}

// rowError joins the reasons a row is refused: reading problems, then the
// validation messages sorted by field.
func rowError(readErrs []string, err error) string {
	reasons := append([]string(nil), readErrs...)
	if f := FieldsOf(err); len(f) > 0 {
		keys := make([]string, 0, len(f))
		for k := range f {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			reasons = append(reasons, k+" : "+f[k])
		}
	} else if err != nil {
		reasons = append(reasons, ErrorMessage(err, "ligne illisible"))
	}
	return strings.Join(reasons, " ; ")
}

// add checks one row and files it.
func (ds *DirectoryDataset) add(line int, r record, service bool) {
	if service {
		s, errs := readService(r)
		err := s.Validate()
		if len(errs) > 0 || err != nil {
			ds.Rejected = append(ds.Rejected, RejectedRow{Line: line, Kind: "service", ID: truncate(s.DIID, 80), Reason: rowError(errs, err)})
			return
		}
		ds.Services = append(ds.Services, s)
		ds.ServiceLines = append(ds.ServiceLines, line)
		return
	}
	s, errs := readStructure(r)
	err := s.Validate()
	if len(errs) > 0 || err != nil {
		ds.Rejected = append(ds.Rejected, RejectedRow{Line: line, Kind: "structure", ID: truncate(s.DIID, 80), Reason: rowError(errs, err)})
		return
	}
	ds.Structures = append(ds.Structures, s)
	ds.StructureLines = append(ds.StructureLines, line)
}

func (ds *DirectoryDataset) rows() int {
	return len(ds.Structures) + len(ds.Services) + len(ds.Rejected)
}

// lineCounter turns increasing byte offsets into 1-based line numbers.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (lc *lineCounter) at(off int) int {
	if off > len(lc.data) {
		off = len(lc.data)
	}
	if off < lc.off {
		return lc.line
	}
	lc.line += bytes.Count(lc.data[lc.off:off], []byte{'\n'})
	lc.off = off
	return lc.line
}

// ParseDataInclusionJSON reads a data·inclusion JSON file: a list of
// structures and services (v1 or v0 field names), an object holding such
// lists ("structures", "services", "items", "data", "results"), or the
// API's search results ({"service": {…}, "distance": …}).
func ParseDataInclusionJSON(data []byte) (*DirectoryDataset, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fileError(0, "le fichier n'est pas encodé en UTF-8.")
	}
	ds := &DirectoryDataset{}
	lc := &lineCounter{data: data, line: 1}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	syntax := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fileError(lc.at(int(se.Offset)), "JSON illisible (%s). Aucune ligne n'a été importée.", frenchJSONError(se))
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fileError(lc.at(len(data)), "le fichier JSON est tronqué. Aucune ligne n'a été importée.")
		}
		return fileError(lc.at(int(dec.InputOffset())), "JSON illisible. Aucune ligne n'a été importée.")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntax(err)
	}
	readArray := func() error {
		for dec.More() {
			if ds.rows() >= MaxDirectoryRows {
				return fileError(0, "le fichier dépasse %d lignes.", MaxDirectoryRows)
			}
			start := skipSpace(data, int(dec.InputOffset()))
			var v any
			if err := dec.Decode(&v); err != nil {
				return syntax(err)
			}
			line := lc.at(start)
			obj, ok := v.(map[string]any)
			if !ok {
				ds.Rejected = append(ds.Rejected, RejectedRow{Line: line, Reason: "un objet JSON ({…}) est attendu."})
				continue
			}
			_, service := obj["structure_id"]
			if inner, ok := obj["service"].(map[string]any); ok {
				obj, service = inner, true
			}
			ds.add(line, jsonRecord(obj), service)
		}
		_, err := dec.Token() // ']'
		if err != nil {
			return syntax(err)
		}
		return nil
	}
	switch tok {
	case json.Delim('['):
		if err := readArray(); err != nil {
			return nil, err
		}
	case json.Delim('{'):
		found := false
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, syntax(err)
			}
			key, _ := kt.(string)
			switch key {
			case "structures", "services", "items", "data", "results":
				t, err := dec.Token()
				if err != nil {
					return nil, syntax(err)
				}
				if t == nil {
					continue
				}
				if t != json.Delim('[') {
					return nil, fileError(lc.at(int(dec.InputOffset())), "« %s » doit être une liste.", key)
				}
				found = true
				if err := readArray(); err != nil {
					return nil, err
				}
			default:
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, syntax(err)
				}
			}
		}
		if _, err := dec.Token(); err != nil { // '}'
			return nil, syntax(err)
		}
		if !found {
			return nil, fileError(1, "aucune liste « structures », « services » ou « items » dans le fichier.")
		}
	default:
		return nil, fileError(1, "le fichier doit contenir une liste JSON de structures et de services.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fileError(lc.at(int(dec.InputOffset())), "du texte suit la fin du JSON. Aucune ligne n'a été importée.")
	}
	return ds, nil
}

func skipSpace(data []byte, off int) int {
	for off < len(data) && (data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t' || data[off] == ',') {
		off++
	}
	return off
}

func frenchJSONError(se *json.SyntaxError) string {
	msg := se.Error()
	switch {
	case strings.Contains(msg, "invalid character"):
		return "caractère inattendu"
	case strings.Contains(msg, "unexpected end"):
		return "fin inattendue"
	}
	return "syntaxe"
}

// ParseDataInclusionCSV reads a CSV file whose header names v1 (or v0)
// fields; a "structure_id" column makes it a file of services. Lists are
// written "a,b" or "a|b" or as a JSON list. The separator is "," or ";".
func ParseDataInclusionCSV(data []byte) (*DirectoryDataset, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, fileError(0, "le fichier n'est pas encodé en UTF-8.")
	}
	firstLine, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(firstLine, []byte(";")) > bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, fileError(1, "le fichier CSV est vide.")
		}
		return nil, csvError(err)
	}
	cols := make([]string, len(header))
	seen := map[string]bool{}
	for i, h := range header {
		cols[i] = strings.ToLower(strings.TrimSpace(h))
		if seen[cols[i]] {
			return nil, fileError(1, "la colonne « %s » apparaît deux fois.", truncate(cols[i], 40))
		}
		seen[cols[i]] = true
	}
	if !seen["id"] || !seen["source"] {
		return nil, fileError(1, "l'en-tête doit nommer au moins les colonnes « source » et « id ».")
	}
	ds := &DirectoryDataset{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		if ds.rows() >= MaxDirectoryRows {
			return nil, fileError(0, "le fichier dépasse %d lignes.", MaxDirectoryRows)
		}
		line, _ := cr.FieldPos(0)
		rec := make(csvRecord, len(cols))
		for i, c := range cols {
			rec[c] = row[i]
		}
		// With a structure_id column every row is a service: one
		// missing its structure is refused as such.
		ds.add(line, rec, seen["structure_id"])
	}
	return ds, nil
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		what := "CSV illisible"
		switch {
		case errors.Is(pe.Err, csv.ErrFieldCount):
			what = "le nombre de colonnes diffère de l'en-tête"
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			what = "guillemet mal placé"
		}
		return fileError(pe.Line, "%s. Aucune ligne n'a été importée.", what)
	}
	return fileError(0, "CSV illisible. Aucune ligne n'a été importée.")
}

// Export: the v1 objects, with null for what is unknown.

type diStructureJSON struct {
	Source            string   `json:"source"`
	ID                string   `json:"id"`
	Nom               string   `json:"nom"`
	DateMaj           string   `json:"date_maj"`
	Siret             *string  `json:"siret"`
	Telephone         *string  `json:"telephone"`
	Courriel          *string  `json:"courriel"`
	SiteWeb           *string  `json:"site_web"`
	LienSource        *string  `json:"lien_source"`
	HorairesAccueil   *string  `json:"horaires_accueil"`
	AccessibiliteLieu *string  `json:"accessibilite_lieu"`
	ReseauxPorteurs   []string `json:"reseaux_porteurs"`
	Description       *string  `json:"description"`
	Adresse           *string  `json:"adresse"`
	ComplementAdresse *string  `json:"complement_adresse"`
	Commune           *string  `json:"commune"`
	CodePostal        *string  `json:"code_postal"`
	CodeInsee         *string  `json:"code_insee"`
	Latitude          *float64 `json:"latitude"`
	Longitude         *float64 `json:"longitude"`
}

type diServiceJSON struct {
	Source                    string   `json:"source"`
	ID                        string   `json:"id"`
	StructureID               string   `json:"structure_id"`
	Nom                       string   `json:"nom"`
	Description               string   `json:"description"`
	DateMaj                   string   `json:"date_maj"`
	Type                      *string  `json:"type"`
	Thematiques               []string `json:"thematiques"`
	Frais                     *string  `json:"frais"`
	FraisPrecisions           *string  `json:"frais_precisions"`
	Publics                   []string `json:"publics"`
	PublicsPrecisions         *string  `json:"publics_precisions"`
	ConditionsAcces           *string  `json:"conditions_acces"`
	Telephone                 *string  `json:"telephone"`
	Courriel                  *string  `json:"courriel"`
	ContactNomPrenom          *string  `json:"contact_nom_prenom"`
	LienMobilisation          *string  `json:"lien_mobilisation"`
	LienSource                *string  `json:"lien_source"`
	ModesAccueil              []string `json:"modes_accueil"`
	ModesMobilisation         []string `json:"modes_mobilisation"`
	MobilisablePar            []string `json:"mobilisable_par"`
	MobilisationPrecisions    *string  `json:"mobilisation_precisions"`
	ZoneEligibilite           []string `json:"zone_eligibilite"`
	HorairesAccueil           *string  `json:"horaires_accueil"`
	NombreSemaines            *int     `json:"nombre_semaines"`
	VolumeHoraireHebdomadaire *float64 `json:"volume_horaire_hebdomadaire"`
	Adresse                   *string  `json:"adresse"`
	ComplementAdresse         *string  `json:"complement_adresse"`
	Commune                   *string  `json:"commune"`
	CodePostal                *string  `json:"code_postal"`
	CodeInsee                 *string  `json:"code_insee"`
	Latitude                  *float64 `json:"latitude"`
	Longitude                 *float64 `json:"longitude"`
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optList(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return l
}

func diDay(t time.Time) string { return InParis(t).Format("2006-01-02") }

func structureJSON(s *DirectoryStructure) diStructureJSON {
	return diStructureJSON{Source: s.Source, ID: s.DIID, Nom: s.Nom, DateMaj: diDay(s.DateMaj), Siret: opt(s.Siret),
		Telephone: opt(s.Telephone), Courriel: opt(s.Courriel), SiteWeb: opt(s.SiteWeb), LienSource: opt(s.LienSource),
		HorairesAccueil: opt(s.HorairesAccueil), AccessibiliteLieu: opt(s.AccessibiliteLieu),
		ReseauxPorteurs: optList(s.ReseauxPorteurs), Description: opt(s.Description), Adresse: opt(s.Adresse),
		ComplementAdresse: opt(s.ComplementAdresse), Commune: opt(s.Commune), CodePostal: opt(s.CodePostal),
		CodeInsee: opt(s.CodeInsee), Latitude: s.Latitude, Longitude: s.Longitude}
}

func serviceJSON(s *DirectoryService) diServiceJSON {
	return diServiceJSON{Source: s.Source, ID: s.DIID, StructureID: s.DIStructureID, Nom: s.Nom, Description: s.Description,
		DateMaj: diDay(s.DateMaj), Type: opt(s.Type), Thematiques: optList(s.Thematiques), Frais: opt(s.Frais),
		FraisPrecisions: opt(s.FraisPrecisions), Publics: optList(s.Publics), PublicsPrecisions: opt(s.PublicsPrecisions),
		ConditionsAcces: opt(s.ConditionsAcces), Telephone: opt(s.Telephone), Courriel: opt(s.Courriel),
		ContactNomPrenom: opt(s.ContactNomPrenom), LienMobilisation: opt(s.LienMobilisation), LienSource: opt(s.LienSource),
		ModesAccueil: optList(s.ModesAccueil), ModesMobilisation: optList(s.ModesMobilisation),
		MobilisablePar: optList(s.MobilisablePar), MobilisationPrecisions: opt(s.MobilisationPrecisions),
		ZoneEligibilite: optList(s.ZoneEligibilite), HorairesAccueil: opt(s.HorairesAccueil),
		NombreSemaines: s.NombreSemaines, VolumeHoraireHebdomadaire: s.VolumeHoraireHebdomadaire, Adresse: opt(s.Adresse),
		ComplementAdresse: opt(s.ComplementAdresse), Commune: opt(s.Commune), CodePostal: opt(s.CodePostal),
		CodeInsee: opt(s.CodeInsee), Latitude: s.Latitude, Longitude: s.Longitude}
}

// writeJSONArray writes items one per line, so a large export streams.
func writeJSONArray[T any](w io.Writer, n int, item func(i int) T) error {
	if _, err := io.WriteString(w, "[\n"); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range n {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if err := enc.Encode(item(i)); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// WriteStructuresJSON writes structures.json: a JSON array of v1
// structures. Contacts and relations are not part of the model.
func WriteStructuresJSON(w io.Writer, ss []DirectoryStructure) error {
	return writeJSONArray(w, len(ss), func(i int) diStructureJSON { return structureJSON(&ss[i]) })
}

// WriteServicesJSON writes services.json: a JSON array of v1 services.
func WriteServicesJSON(w io.Writer, ss []DirectoryService) error {
	return writeJSONArray(w, len(ss), func(i int) diServiceJSON { return serviceJSON(&ss[i]) })
}

// csvColumns lists the JSON field names of a v1 object type, in order.
func csvColumns(v any) []string {
	b, _ := json.Marshal(v)
	dec := json.NewDecoder(bytes.NewReader(b))
	var cols []string
	dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		cols = append(cols, k.(string))
		var skip json.RawMessage
		_ = dec.Decode(&skip)
	}
	return cols
}

// writeCSV writes objects with the v1 field names as header; lists are
// joined with ",", nulls are empty cells.
func writeCSV[T any](w io.Writer, n int, item func(i int) T) error {
	var zero T
	cols := csvColumns(zero)
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return err
	}
	row := make([]string, len(cols))
	for i := range n {
		b, err := json.Marshal(item(i))
		if err != nil {
			return err
		}
		var m map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return err
		}
		for j, c := range cols {
			switch v := m[c].(type) {
			case nil:
				row[j] = ""
			case string:
				row[j] = v
			case json.Number:
				row[j] = v.String()
			case []any:
				parts := make([]string, len(v))
				for k, p := range v {
					parts[k], _ = p.(string)
				}
				row[j] = strings.Join(parts, ",")
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteStructuresCSV writes structures.csv.
func WriteStructuresCSV(w io.Writer, ss []DirectoryStructure) error {
	return writeCSV(w, len(ss), func(i int) diStructureJSON { return structureJSON(&ss[i]) })
}

// WriteServicesCSV writes services.csv.
func WriteServicesCSV(w io.Writer, ss []DirectoryService) error {
	return writeCSV(w, len(ss), func(i int) diServiceJSON { return serviceJSON(&ss[i]) })
}
