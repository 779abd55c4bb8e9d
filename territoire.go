package maillon

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// AreaRef names one area of the territory: a commune, or a zone (quartier)
// of a commune. Exactly one of the two is set.
type AreaRef struct {
	CommuneID CommuneID
	ZoneID    ZoneID
}

// Valid reports whether exactly one of the IDs is set.
func (r AreaRef) Valid() bool { return (r.CommuneID > 0) != (r.ZoneID > 0) }

// Path is the area's territory page.
func (r AreaRef) Path() string {
	if r.ZoneID > 0 {
		return "/territoire/zones/" + strconv.FormatInt(int64(r.ZoneID), 10)
	}
	return "/territoire/communes/" + strconv.FormatInt(int64(r.CommuneID), 10)
}

// KeyFigureID identifies a key figure.
type KeyFigureID int64

// KeyFigure is one dated figure of an area: "Taux de pauvreté 38 % (INSEE
// Filosofi, 2021)".
type KeyFigure struct {
	ID        KeyFigureID
	Area      AreaRef
	Label     string
	Value     string // as written, a number with a French decimal comma
	Unit      string
	Source    string
	On        time.Time // the date the figure describes, Paris midnight
	CreatedAt time.Time
}

// Limits of key figures and of the imports, stated in forms and usage.
const (
	MaxKeyFigures        = 200 // per area
	MaxImportBytes       = 8 << 20
	MaxCommunesImport    = 1000 // communes kept by one import
	MaxCommuneFileRows   = 60000
	MaxDiagnosticTextLen = MaxLongTextLen
)

// KeyFigureInput is a key figure as a form or a CSV line gives it.
type KeyFigureInput struct {
	Label, Value, Unit, Source string
	On                         string // yyyy-mm-dd (form) or dd/mm/yyyy (CSV)
}

// KeyFigureFields are the form fields, in form order.
var KeyFigureFields = []string{"label", "value", "unit", "source", "on"}

// Validate cleans the input and returns the figure's date.
func (in *KeyFigureInput) Validate(now time.Time) (time.Time, error) {
	var fe FieldErrors
	in.Label = requiredText(&fe, "label", "l'intitulé du chiffre", in.Label, MaxShortTextLen)
	v, msg := CleanText(in.Value, 40, false)
	switch {
	case msg != "":
		fe.Add("value", msg)
	case v == "":
		fe.Add("value", "Indiquez la valeur.")
	default:
		if n, ok := normalizeNumber(v); ok {
			v = n
		} else {
			fe.Add("value", "La valeur doit être un nombre, par exemple 12 450 ou 38,5.")
		}
	}
	in.Value = v
	in.Unit = optionalText(&fe, "unit", in.Unit, 40, false)
	in.Source = requiredText(&fe, "source", "la source (organisme, enquête)", in.Source, MaxShortTextLen)
	on, err := parseFrenchOrISODay(in.On, now)
	switch {
	case strings.TrimSpace(in.On) == "":
		fe.Add("on", "Indiquez la date du chiffre.")
	case err != nil:
		fe.Add("on", "Indiquez la date au format jj/mm/aaaa.")
	case on.After(now.AddDate(1, 0, 0)):
		fe.Add("on", "La date du chiffre ne peut pas dépasser d'un an la date du jour.")
	}
	return on, fe.Err()
}

// normalizeNumber accepts "12 450", "12450", "38,5", "38.5", "-3" and
// returns the French writing: no thousands separator, decimal comma.
func normalizeNumber(s string) (string, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "").Replace(s)
	s = strings.Replace(s, ",", ".", 1)
	if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "eEnNiI+x") {
		return "", false
	}
	return strings.Replace(s, ".", ",", 1), true
}

// parseFrenchOrISODay reads dd/mm/yyyy or yyyy-mm-dd (a year alone, as
// statistics are often dated, is the 1st of January).
func parseFrenchOrISODay(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) == 4 {
		s += "-01-01"
	}
	if t, err := time.ParseInLocation("02/01/2006", s, Paris); err == nil {
		if t.Year() < 1900 || t.Year() > 2200 {
			return time.Time{}, ErrInvalid
		}
		return t, nil
	}
	if s == "" {
		return time.Time{}, ErrInvalid
	}
	return ParseDay(s, now)
}

// DiagnosticID identifies one version of an area's diagnostic.
type DiagnosticID int64

// Diagnostic is one version of an area's territorial diagnostic. Each save
// makes a new version; earlier ones are kept and shown.
type Diagnostic struct {
	ID         DiagnosticID
	Area       AreaRef
	Version    int
	Needs      string
	Resources  string
	Issues     string
	AuthorID   UserID
	AuthorName string
	CreatedAt  time.Time
}

// DiagnosticInput is a new version of a diagnostic.
type DiagnosticInput struct {
	Needs, Resources, Issues string
}

// DiagnosticFields are the form fields, in form order.
var DiagnosticFields = []string{"needs", "resources", "issues"}

// Validate cleans the input; at least one part must be written.
func (in *DiagnosticInput) Validate() error {
	var fe FieldErrors
	in.Needs = optionalText(&fe, "needs", in.Needs, MaxDiagnosticTextLen, true)
	in.Resources = optionalText(&fe, "resources", in.Resources, MaxDiagnosticTextLen, true)
	in.Issues = optionalText(&fe, "issues", in.Issues, MaxDiagnosticTextLen, true)
	if len(fe) == 0 && in.Needs == "" && in.Resources == "" && in.Issues == "" {
		fe.Add("needs", "Écrivez au moins une partie du diagnostic : besoins, ressources ou enjeux.")
	}
	return fe.Err()
}

// AreaActivity sums up the structure's work in an area over the last 12
// months, with no names: interventions, people met (named files counted
// once, anonymous counts added) and tournées.
type AreaActivity struct {
	Since         time.Time
	Interventions int
	People        int
	Tournees      int
	Recent        []AreaTournee // the latest tournées, newest first
}

// AreaTournee is one tournée of the area, as the territory page lists it.
type AreaTournee struct {
	ID      TourneeID
	StartAt time.Time
	EndAt   time.Time // zero while under way
	ZoneID  ZoneID
	Zone    string // the zone's name on a commune's page
	Counted int    // total of its counters
}

// Area is what the territory page of a commune or a zone shows.
type Area struct {
	Ref         AreaRef
	StructureID StructureID
	Name        string
	Commune     Commune // the commune itself, or the zone's commune
	Zone        Zone    // set for a zone
	Figures     []KeyFigure
	Diagnostic  *Diagnostic  // the current version; nil when none
	Versions    []Diagnostic // earlier versions, newest first
	Activity    AreaActivity
}

// IsZone reports whether the area is a zone.
func (a *Area) IsZone() bool { return a.Ref.ZoneID > 0 }

// CommuneRecord is one commune of an import: its INSEE code, name,
// department and population (0 when the file gives none).
type CommuneRecord struct {
	INSEE      string
	Name       string
	Department string
	Population int
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added, Updated int
}

// Territory vocabulary for the overview page.
const (
	AreaActivityMonths = 12
	AreaRecentTournees = 10
)

// TerritoryService serves the territory pages. Every member of the
// structure may read them; coordinators and administrators change figures
// and diagnostics; administrators import communes.
type TerritoryService interface {
	// FindArea reads an area's page (any member). Another structure's
	// area is ErrNotFound.
	FindArea(ctx context.Context, actor Actor, ref AreaRef) (*Area, error)
	// FindTerritoryFigures lists the key figures of every area of the
	// structure, for the overview page (any member).
	FindTerritoryFigures(ctx context.Context, actor Actor) (map[AreaRef]int, error)
	// AddKeyFigure adds a figure to an area (coordinators, admins).
	AddKeyFigure(ctx context.Context, actor Actor, ref AreaRef, in KeyFigureInput) (*KeyFigure, error)
	// DeleteKeyFigure removes a figure (coordinators, admins).
	DeleteKeyFigure(ctx context.Context, actor Actor, id KeyFigureID) (AreaRef, error)
	// ImportKeyFigures adds all the figures or none (coordinators,
	// admins); ErrInvalid with the line-numbered report otherwise.
	ImportKeyFigures(ctx context.Context, actor Actor, ref AreaRef, rows []KeyFigureInput) (int, error)
	// SaveDiagnostic records a new version (coordinators, admins).
	SaveDiagnostic(ctx context.Context, actor Actor, ref AreaRef, in DiagnosticInput) (*Diagnostic, error)
	// ImportCommunes adds the communes of rows to structure id's
	// territory and updates the name, department and population of those
	// already there (admins, the operator).
	ImportCommunes(ctx context.Context, actor Actor, id StructureID, rows []CommuneRecord) (ImportResult, error)
}

// CanEditTerritory reports whether the actor may change figures,
// diagnostics and information items of structure s directly.
func (a Actor) CanEditTerritory(s StructureID) bool { return a.CanViewTeamData(s) }

// Audit actions of the territory pages and information items.
const (
	AuditKeyFigureChange AuditAction = "territory.figure"
	AuditDiagnosticSave  AuditAction = "territory.diagnostic"
	AuditCommuneImport   AuditAction = "territory.import"
	AuditInfoCreate      AuditAction = "info.create"
	AuditInfoUpdate      AuditAction = "info.update"
	AuditInfoValidate    AuditAction = "info.validate"
	AuditInfoReview      AuditAction = "info.review"
	AuditFeedTokenCreate AuditAction = "feed.token_create"
	AuditFeedTokenRevoke AuditAction = "feed.token_revoke"
	AuditFeedRead        AuditAction = "feed.read"
)

// init registers the module's audit actions in its own block, so that
// audit.go stays a list others append to without conflicts.
func init() {
	for _, a := range []struct {
		action AuditAction
		label  string
	}{
		{AuditKeyFigureChange, "Chiffre clé du territoire ajouté ou retiré"},
		{AuditDiagnosticSave, "Nouvelle version d'un diagnostic de territoire"},
		{AuditCommuneImport, "Import de communes (code officiel géographique)"},
		{AuditInfoCreate, "Création d'une fiche d'information"},
		{AuditInfoUpdate, "Modification d'une fiche d'information"},
		{AuditInfoValidate, "Validation d'une fiche d'information proposée"},
		{AuditInfoReview, "Fiche d'information revue"},
		{AuditFeedTokenCreate, "Création d'une adresse de flux réseau"},
		{AuditFeedTokenRevoke, "Retrait d'une adresse de flux réseau"},
		{AuditFeedRead, "Lecture du flux réseau par un partenaire"},
	} {
		auditLabels[a.action] = a.label
		auditActionOrder = append(auditActionOrder, a.action)
	}
}
