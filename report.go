package maillon

import (
	"context"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Reporting ("Rendre compte"): indicators with a written definition, the
// period and filters of a report, and small-cell suppression. The figures
// themselves are computed by the store (ReportService), so that a
// dashboard, a report and an export read the same query code.

// ReportUnit says what a figure counts and how it is written.
type ReportUnit string

// Units of figures.
const (
	UnitCount   ReportUnit = "nombre"
	UnitPeople  ReportUnit = "personnes" // small-cell suppression applies
	UnitMinutes ReportUnit = "minutes"   // written as hours and minutes
	UnitPercent ReportUnit = "pourcentage"
	UnitDays    ReportUnit = "jours"
)

// ChartKind says how a table is drawn next to its data.
type ChartKind string

// Chart kinds.
const (
	ChartNone  ChartKind = ""
	ChartBars  ChartKind = "barres"
	ChartLine  ChartKind = "courbe"
	ChartStack ChartKind = "empilé"
)

// Report filters, by the name of their form field. An indicator lists
// those its source can apply; the others are named as not applied.
const (
	FilterTeam          = "team"
	FilterMediator      = "mediator"
	FilterPlace         = "place"
	FilterQPV           = "qpv"
	FilterRegistre      = "registre"
	FilterTheme         = "theme"
	FilterCommanditaire = "commanditaire"
)

// ReportFilterLabels name the filters in French.
var ReportFilterLabels = Choices{
	{FilterTeam, "Équipe"}, {FilterMediator, "Médiateur ou médiatrice"}, {FilterPlace, "Commune ou quartier"},
	{FilterQPV, "Quartiers prioritaires (QPV) seulement"}, {FilterRegistre, "Type principal d'intervention"},
	{FilterTheme, "Thématique"}, {FilterCommanditaire, "Commanditaire ou financeur"},
}

// ReportSource is a kind of record indicators are computed from: its
// French name, the date that places a record in a period, and the filters
// it can apply.
type ReportSource struct {
	Name       string
	PeriodRule string
	Filters    []string
}

// ReportSources are the sources known to the store, by key. A module that
// adds indicators adds its source here (in its own init) and its queries
// in the store.
var ReportSources = map[string]ReportSource{}

// Indicator is one figure or table of a report, with its written
// definition. IDs are stable: report templates and exports refer to them.
type Indicator struct {
	ID         string
	Section    string // the heading it is listed under
	Label      string
	Definition string
	Source     string // a key of ReportSources
	Unit       ReportUnit
	// Breakdown names the rows ("par registre"); empty for one figure.
	Breakdown string
	// Additive tables partition their total: a total row is shown, and
	// suppression hides the complement of a hidden cell.
	Additive bool
	Chart    ChartKind
}

// SourceInfo returns the indicator's source.
func (ind Indicator) SourceInfo() ReportSource { return ReportSources[ind.Source] }

// Applies reports whether the filter applies to the indicator.
func (ind Indicator) Applies(filter string) bool {
	for _, f := range ReportSources[ind.Source].Filters {
		if f == filter {
			return true
		}
	}
	return false
}

var indicators []Indicator

// RegisterIndicators adds a module's indicators to the registry, in the
// order reports list them. It panics on a duplicate ID or an unknown
// source: both are programming errors found by any test.
func RegisterIndicators(list ...Indicator) {
	for _, ind := range list {
		if _, ok := IndicatorByID(ind.ID); ok {
			panic("maillon: duplicate indicator " + ind.ID)
		}
		if _, ok := ReportSources[ind.Source]; !ok {
			panic("maillon: indicator " + ind.ID + " has an unknown source " + ind.Source)
		}
		indicators = append(indicators, ind)
	}
}

// Indicators lists every indicator in report order.
func Indicators() []Indicator { return append([]Indicator(nil), indicators...) }

// IndicatorByID finds an indicator.
func IndicatorByID(id string) (Indicator, bool) {
	for _, ind := range indicators {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}

// ---------------------------------------------------------------------
// Periods and filters.

// PeriodKinds are the kinds of report period.
var PeriodKinds = Choices{
	{"month", "Mois"}, {"quarter", "Trimestre"}, {"year", "Année"}, {"custom", "Dates choisies"},
}

// MaxReportDays bounds a custom period (ten years).
const MaxReportDays = 3660

// Period is [From, To): Paris midnights. Every indicator places a record
// in it by one date, stated in its source's PeriodRule.
type Period struct {
	Kind     string
	From, To time.Time
}

// Label names the period in French ("novembre 2026", "2ᵉ trimestre 2026").
func (p Period) Label() string {
	f := InParis(p.From)
	switch p.Kind {
	case "month":
		return monthNames[f.Month()-1] + " " + strconv.Itoa(f.Year())
	case "quarter":
		q := (int(f.Month())-1)/3 + 1
		ord := "ᵉ"
		if q == 1 {
			ord = "ᵉʳ"
		}
		return strconv.Itoa(q) + ord + " trimestre " + strconv.Itoa(f.Year())
	case "year":
		return "année " + strconv.Itoa(f.Year())
	}
	last := InParis(p.To).AddDate(0, 0, -1)
	return "du " + f.Format("02/01/2006") + " au " + last.Format("02/01/2006")
}

// Previous is the period of the same kind just before (for a custom
// period, the same number of days).
func (p Period) Previous() Period {
	f := InParis(p.From)
	switch p.Kind {
	case "month":
		return Period{Kind: p.Kind, From: f.AddDate(0, -1, 0), To: p.From}
	case "quarter":
		return Period{Kind: p.Kind, From: f.AddDate(0, -3, 0), To: p.From}
	case "year":
		return Period{Kind: p.Kind, From: f.AddDate(-1, 0, 0), To: p.From}
	}
	days := int(math.Round(p.To.Sub(p.From).Hours() / 24))
	return Period{Kind: p.Kind, From: f.AddDate(0, 0, -days), To: p.From}
}

var monthNames = []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// MonthPeriod is the calendar month holding t, in Paris.
func MonthPeriod(t time.Time) Period {
	p := InParis(t)
	from := time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, Paris)
	return Period{Kind: "month", From: from, To: from.AddDate(0, 1, 0)}
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	from := time.Date(y, 1, 1, 0, 0, 0, 0, Paris)
	return Period{Kind: "year", From: from, To: from.AddDate(1, 0, 0)}
}

// PeriodInput is a period as the report form sends it: a kind, and
// either a month ("2026-11"), a quarter ("2026-T4"), a year ("2026") or
// two days (the last included).
type PeriodInput struct {
	Kind, Month, Quarter, Year, From, To string
}

// Parse checks the input and gives the period; empty fields default to
// the current month, quarter or year.
func (in PeriodInput) Parse(now time.Time) (Period, FieldErrors) {
	var fe FieldErrors
	n := InParis(now)
	kind := strings.TrimSpace(in.Kind)
	if kind == "" {
		kind = "month"
	}
	if !PeriodKinds.Valid(kind) {
		fe.Add("period", "Choisissez le type de période dans la liste.")
		return Period{}, fe
	}
	switch kind {
	case "month":
		from := time.Date(n.Year(), n.Month(), 1, 0, 0, 0, 0, Paris)
		if v := strings.TrimSpace(in.Month); v != "" {
			t, err := time.ParseInLocation("2006-01", v, Paris)
			if err != nil || t.Year() < 2000 || t.Year() > 2200 {
				fe.Add("month", "Indiquez le mois au format aaaa-mm, par exemple 2026-11.")
				return Period{}, fe
			}
			from = t
		}
		return Period{Kind: kind, From: from, To: from.AddDate(0, 1, 0)}, nil
	case "quarter":
		y, q := n.Year(), (int(n.Month())-1)/3+1
		if v := strings.TrimSpace(in.Quarter); v != "" {
			ys, qs, ok := strings.Cut(strings.ToUpper(v), "-T")
			yy, err1 := strconv.Atoi(ys)
			qq, err2 := strconv.Atoi(qs)
			if !ok || err1 != nil || err2 != nil || qq < 1 || qq > 4 || yy < 2000 || yy > 2200 {
				fe.Add("quarter", "Indiquez le trimestre au format aaaa-Tn, par exemple 2026-T4.")
				return Period{}, fe
			}
			y, q = yy, qq
		}
		from := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, Paris)
		return Period{Kind: kind, From: from, To: from.AddDate(0, 3, 0)}, nil
	case "year":
		y := n.Year()
		if v := strings.TrimSpace(in.Year); v != "" {
			yy, err := strconv.Atoi(v)
			if err != nil || yy < 2000 || yy > 2200 {
				fe.Add("year", "Indiquez l'année sur quatre chiffres, par exemple 2026.")
				return Period{}, fe
			}
			y = yy
		}
		return YearPeriod(y), nil
	}
	from, err1 := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.From), Paris)
	to, err2 := time.ParseInLocation("2006-01-02", strings.TrimSpace(in.To), Paris)
	if err1 != nil || from.Year() < 2000 || from.Year() > 2200 {
		fe.Add("from", "Indiquez la date de début au format jj/mm/aaaa.")
	}
	if err2 != nil || to.Year() < 2000 || to.Year() > 2200 {
		fe.Add("to", "Indiquez la date de fin au format jj/mm/aaaa.")
	}
	if fe != nil {
		return Period{}, fe
	}
	to = to.AddDate(0, 0, 1)
	switch {
	case !to.After(from):
		fe.Add("to", "La date de fin doit suivre la date de début.")
	case to.Sub(from) > MaxReportDays*24*time.Hour:
		fe.Add("to", "La période ne peut pas dépasser dix ans.")
	}
	if fe != nil {
		return Period{}, fe
	}
	return Period{Kind: kind, From: from, To: to}, nil
}

// ReportFilter selects the records a report counts. Zero values mean "no
// filter". For a mediator, the store restricts the report to their own
// and their team's records.
type ReportFilter struct {
	Period        Period
	TeamID        TeamID
	MediatorID    UserID
	CommuneID     CommuneID
	ZoneID        ZoneID
	QPVOnly       bool
	Registre      string
	Theme         string
	Commanditaire string
	// Indicators lists the IDs to compute, in order; empty: all.
	Indicators []string
	// External marks a report for sharing outside the structure: small
	// cells are suppressed.
	External bool
}

// Active lists the filters set, by name.
func (f ReportFilter) Active() []string {
	var out []string
	if f.TeamID != 0 {
		out = append(out, FilterTeam)
	}
	if f.MediatorID != 0 {
		out = append(out, FilterMediator)
	}
	if f.CommuneID != 0 || f.ZoneID != 0 {
		out = append(out, FilterPlace)
	}
	if f.QPVOnly {
		out = append(out, FilterQPV)
	}
	if f.Registre != "" {
		out = append(out, FilterRegistre)
	}
	if f.Theme != "" {
		out = append(out, FilterTheme)
	}
	if f.Commanditaire != "" {
		out = append(out, FilterCommanditaire)
	}
	return out
}

// ---------------------------------------------------------------------
// Results.

// ReportRow is one cell of a table: a breakdown value and its figure.
// For percentages Count and Of give the fraction.
type ReportRow struct {
	Key   string
	Label string
	Value float64
	Count int64
	Of    int64
	// Hidden is set by suppression: Text then says "< 5" or "secret".
	Hidden bool
	Text   string
}

// ReportTable is an indicator's figures.
type ReportTable struct {
	Indicator Indicator
	Rows      []ReportRow
	Total     *ReportRow // additive tables only
	// NotApplied names the filters set that the source cannot apply.
	NotApplied []string
}

// Report is a computed report.
type Report struct {
	Filter ReportFilter
	// Scope says whose records were counted ("toute la structure",
	// "équipe Nord", …), for the heading.
	Scope       string
	Tables      []ReportTable
	GeneratedAt time.Time
}

// Table returns the table of an indicator, or nil.
func (r *Report) Table(id string) *ReportTable {
	for i := range r.Tables {
		if r.Tables[i].Indicator.ID == id {
			return &r.Tables[i]
		}
	}
	return nil
}

// Value returns a row's value of an indicator (key "" for a single
// figure, or the total), and false when absent.
func (r *Report) Value(id, key string) (float64, bool) {
	t := r.Table(id)
	if t == nil {
		return 0, false
	}
	if key == "" && t.Total != nil {
		return t.Total.Value, true
	}
	for _, row := range t.Rows {
		if row.Key == key {
			return row.Value, true
		}
	}
	return 0, false
}

// Format writes the figures of every row with the unit, then applies
// suppression when the report is external. Call it once, after the
// figures are filled.
func (r *Report) Format() {
	for i := range r.Tables {
		t := &r.Tables[i]
		for j := range t.Rows {
			t.Rows[j].Text = FormatFigure(t.Indicator.Unit, t.Rows[j])
		}
		if t.Total != nil {
			t.Total.Text = FormatFigure(t.Indicator.Unit, *t.Total)
		}
		if r.Filter.External {
			Suppress(t)
		}
	}
}

// FormatFigure writes a figure in French.
func FormatFigure(u ReportUnit, row ReportRow) string {
	switch u {
	case UnitMinutes:
		m := int64(math.Round(row.Value))
		if m < 60 {
			return strconv.FormatInt(m, 10) + " min"
		}
		s := FormatInt(m/60) + " h"
		if m%60 != 0 {
			s += " " + twoDigits(m%60)
		}
		return s
	case UnitPercent:
		if row.Of == 0 {
			return "–"
		}
		return formatDecimal(row.Value) + " % (" + FormatInt(row.Count) + " sur " + FormatInt(row.Of) + ")"
	case UnitDays:
		if row.Of == 0 {
			return "–"
		}
		return formatDecimal(row.Value) + " j"
	}
	return FormatInt(int64(math.Round(row.Value)))
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + strconv.FormatInt(n, 10)
	}
	return strconv.FormatInt(n, 10)
}

// FormatInt writes an integer with French digit grouping (narrow
// no-break spaces).
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatDecimal writes one decimal with a comma.
func formatDecimal(v float64) string {
	v = math.Round(v*10) / 10
	whole := int64(v)
	dec := int64(math.Round(math.Abs(v-float64(whole)) * 10))
	return FormatInt(whole) + "," + strconv.FormatInt(dec, 10)
}

// Percent fills a percentage row.
func Percent(key, label string, count, of int64) ReportRow {
	row := ReportRow{Key: key, Label: label, Count: count, Of: of}
	if of > 0 {
		row.Value = 100 * float64(count) / float64(of)
	}
	return row
}

// ---------------------------------------------------------------------
// Small-cell suppression.

// SmallCell is the threshold: a count of people below it is not shown
// in a report shared outside the structure.
const SmallCell = 5

// Texts of hidden cells.
const (
	TextSmall  = "< 5"
	TextSecret = "secret"
)

// Suppress hides the small counts of people of a table shared outside
// the structure. A cell of 1 to 4 people shows "< 5" (zero stays: it
// identifies nobody). In an additive table, whose total is shown, the
// hidden cells must not be deducible from it: while only one cell is
// hidden, or the hidden cells together count fewer than 5 people, or
// their sum tells each one (all 1 or all 4), the smallest visible
// non-zero cell is hidden too ("secret"); when none is left, the total
// is hidden. Other units are not counts of people and
// are left as they are.
func Suppress(t *ReportTable) {
	if t.Indicator.Unit != UnitPeople {
		return
	}
	small := func(v float64) bool { return v > 0 && v < SmallCell }
	hiddenN, secretN, hiddenSum := 0, 0, 0.0
	for i := range t.Rows {
		if small(t.Rows[i].Value) {
			t.Rows[i].Hidden, t.Rows[i].Text = true, TextSmall
			hiddenN++
			hiddenSum += t.Rows[i].Value
		}
	}
	if t.Total == nil {
		return
	}
	if small(t.Total.Value) {
		t.Total.Hidden, t.Total.Text = true, TextSmall
		return
	}
	if !t.Indicator.Additive {
		return
	}
	// Cells shown "< 5" are known to hold 1 to 4 people: when they sum to
	// their count or to four times it, each is known exactly.
	deducible := func() bool {
		return hiddenN == 1 || (hiddenN > 0 && (hiddenSum < SmallCell ||
			(secretN == 0 && (hiddenSum == float64(hiddenN) || hiddenSum == float64((SmallCell-1)*hiddenN)))))
	}
	for deducible() {
		// The smallest visible non-zero cell; ties go to the last row,
		// so that the order of the breakdown decides nothing visible.
		idx := -1
		for i := range t.Rows {
			r := t.Rows[i]
			if r.Hidden || r.Value == 0 {
				continue
			}
			if idx < 0 || r.Value <= t.Rows[idx].Value {
				idx = i
			}
		}
		if idx < 0 {
			t.Total.Hidden, t.Total.Text = true, TextSecret
			return
		}
		t.Rows[idx].Hidden, t.Rows[idx].Text = true, TextSecret
		hiddenN++
		secretN++
		hiddenSum += t.Rows[idx].Value
	}
}

// SortRowsByValue orders rows by decreasing value, then label, for
// breakdowns without a natural order.
func SortRowsByValue(rows []ReportRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Value != rows[j].Value {
			return rows[i].Value > rows[j].Value
		}
		return rows[i].Label < rows[j].Label
	})
}

// ReportService computes reports and dashboards. Every method reads the
// figures through the same indicator queries.
type ReportService interface {
	// ActivityReport computes the indicators of f over its period. Any
	// member may call it; a mediator's report counts only their own and
	// their team's records (ErrForbidden for another team or mediator).
	// ErrInvalid for an unknown indicator or a bad period.
	ActivityReport(ctx context.Context, actor Actor, f ReportFilter) (*Report, error)
	// Commanditaires lists the distinct commanditaires named on the
	// structure's interventions, for the filter (any member).
	Commanditaires(ctx context.Context, actor Actor) ([]string, error)
}

// IndicatorsMarkdown writes the definitions of every indicator, the
// content of docs/indicateurs.md (kept equal by a test).
func IndicatorsMarkdown() string {
	var b strings.Builder
	b.WriteString(`# Indicateurs de Maillon

Ce document est produit à partir des définitions du code (` + "`report_indicators.go`" + `) : c'est le même texte
que celui affiché à côté de chaque chiffre dans l'application (tableau de bord, rapport d'activité,
modèles de bilan). Ne le modifiez pas à la main : modifiez la définition, puis lancez
` + "`go test . -run TestIndicatorsDoc -update`" + `.

## Règles communes

- **Période** : une période va de sa date de début, à minuit (heure de Paris), jusqu'au lendemain de sa
  date de fin, à minuit, exclu — ` + "`[début, fin)`" + ` en dates locales de Paris (` + "`maillon.InParis`" + `). Un mois, un
  trimestre ou une année sont des mois civils ; des dates choisies incluent le dernier jour. Chaque source
  place un enregistrement dans la période par **une** date, indiquée pour chaque indicateur (« date
  retenue ») ; les exports une ligne par fait utilisent les mêmes dates.
- **Filtres** : équipe, médiateur ou médiatrice, commune ou quartier, QPV, type principal d'intervention,
  thématique, commanditaire. Un filtre qu'une source ne peut pas appliquer est signalé sous l'indicateur
  (« Filtres qui ne s'appliquent pas ») plutôt qu'ignoré en silence. L'équipe d'un enregistrement est
  l'équipe **actuelle** de la personne qui l'a fait (ou, pour une médiation, son équipe).
- **Droits** : un médiateur ou une médiatrice voit les chiffres de son équipe (ou les siens, sans équipe) ;
  la coordination et l'administration voient toute la structure. Les chiffres d'une autre structure ne
  sont jamais comptés.
- **Secret statistique** : dans un rapport marqué « à diffuser hors de la structure », un effectif de
  personnes (unité « personnes ») de 1 à 4 est écrit « < 5 ». Dans un tableau dont les lignes s'additionnent
  en un total affiché, on masque aussi (« secret ») la plus petite autre ligne tant qu'une seule ligne est
  masquée, que les lignes masquées totalisent moins de 5 personnes ou que leur somme les révèle (toutes
  à 1 ou toutes à 4) ; s'il n'en reste aucune, le total est masqué. Zéro reste affiché. Les nombres
  d'actes (interventions, démarches, orientations…) ne sont pas des effectifs de personnes et restent affichés.
- **Unités** : nombre ; personnes ; minutes (écrites en heures et minutes) ; pourcentage (avec le
  numérateur et le dénominateur) ; jours (moyenne, une décimale).

`)
	section := ""
	for _, ind := range indicators {
		if ind.Section != section {
			section = ind.Section
			b.WriteString("## " + section + "\n\n")
		}
		src := ind.SourceInfo()
		b.WriteString("### " + ind.Label + "\n\n")
		b.WriteString("- Identifiant : `" + ind.ID + "`\n")
		b.WriteString("- Définition : " + ind.Definition + "\n")
		b.WriteString("- Source : " + src.Name + "\n")
		b.WriteString("- Date retenue pour la période : " + src.PeriodRule + "\n")
		b.WriteString("- Unité : " + string(ind.Unit) + "\n")
		if ind.Breakdown != "" {
			kind := "les lignes ne s'additionnent pas"
			if ind.Additive {
				kind = "avec un total"
			}
			b.WriteString("- Ventilation : " + ind.Breakdown + " (" + kind + ")\n")
		}
		var filters []string
		for _, f := range src.Filters {
			filters = append(filters, ReportFilterLabels.Label(f))
		}
		if len(filters) == 0 {
			b.WriteString("- Filtres applicables : aucun\n\n")
		} else {
			b.WriteString("- Filtres applicables : " + strings.Join(filters, ", ") + "\n\n")
		}
	}
	return b.String()
}
