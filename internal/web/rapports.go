package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

// Reports ("Rendre compte"): the activity report over a period with its
// filters, each indicator with its definition, chart and data table.

// reportFields are the fields of the report form, in reading order.
var reportFields = []string{"period", "month", "quarter", "year", "from", "to", "team", "mediator", "place", "qpv",
	"registre", "theme", "commanditaire", "external"}

type reportSection struct {
	Title  string
	ID     string
	Tables []reportTableView
}

type reportTableView struct {
	maillon.ReportTable
	ID    string
	Chart template.HTML
	// Heading and Text come from a report template.
	Heading, Text string
}

type reportPage struct {
	Page
	Filter         *ui.Form
	Periods        []ui.Option
	Teams          []ui.Option
	Mediators      []ui.Option
	Places         []ui.Option
	Registres      []ui.Option
	Themes         []ui.Option
	Commanditaires []ui.Option
	Report         *maillon.Report
	PeriodLabel    string
	Sections       []reportSection
	// Link is the report's own address, to keep or share it.
	Link string
}

// reportForm reads the report's query parameters into a form and a
// filter; the form carries the French message of every bad value.
func (h *Handler) reportForm(r *http.Request) (*ui.Form, maillon.ReportFilter, error) {
	q := r.URL.Query()
	form := ui.NewForm(reportFields...)
	for _, k := range form.Order {
		form.Set(k, strings.TrimSpace(q.Get(k)))
	}
	var f maillon.ReportFilter
	period, fe := maillon.PeriodInput{Kind: q.Get("period"), Month: q.Get("month"), Quarter: q.Get("quarter"),
		Year: q.Get("year"), From: q.Get("from"), To: q.Get("to")}.Parse(h.now())
	for k, v := range fe {
		form.Errors[k] = v
	}
	f.Period = period
	if f.TeamID = formID[maillon.TeamID](q.Get("team")); f.TeamID < 0 {
		form.Errors["team"] = "Choisissez une équipe dans la liste."
	}
	if f.MediatorID = formID[maillon.UserID](q.Get("mediator")); f.MediatorID < 0 {
		form.Errors["mediator"] = "Choisissez une personne dans la liste."
	}
	var msg string
	if f.CommuneID, f.ZoneID, msg = h.parsePlace(r, q.Get("place")); msg != "" {
		form.Errors["place"] = msg
	}
	f.QPVOnly = form.Get("qpv") == "on"
	f.External = form.Get("external") == "on"
	choose := func(field string, cs maillon.Choices, dst *string, msg string) {
		if v := form.Get(field); v != "" {
			if cs.Valid(v) {
				*dst = v
			} else {
				form.Errors[field] = msg
			}
		}
	}
	choose("registre", maillon.Registres, &f.Registre, "Choisissez un type dans la liste.")
	choose("theme", maillon.Themes, &f.Theme, "Choisissez une thématique dans la liste.")
	if v := form.Get("commanditaire"); v != "" {
		names, err := h.svc.Reports.Commanditaires(r.Context(), actor(r))
		if err != nil {
			return nil, f, err
		}
		found := false
		for _, n := range names {
			found = found || n == v
		}
		if found {
			f.Commanditaire = v
		} else {
			form.Errors["commanditaire"] = "Choisissez un commanditaire dans la liste."
		}
	}
	return form, f, nil
}

// reportOptions fills the selects of the report form. A mediator is
// offered their team and its members only: the store refuses the others.
func (h *Handler) reportOptions(r *http.Request, p *reportPage) error {
	a := actor(r)
	var err error
	p.Periods = options(maillon.PeriodKinds, "")
	p.Registres = options(maillon.Registres, "Tous les types")
	p.Themes = options(maillon.Themes, "Toutes les thématiques")
	if p.Places, err = h.placeOptions(r, "Tout le territoire"); err != nil {
		return err
	}
	teams, err := h.teamOptions(r, "Toutes les équipes")
	if err != nil {
		return err
	}
	users, err := h.svc.Users.FindColleagues(r.Context(), a)
	if err != nil {
		return err
	}
	p.Mediators = []ui.Option{{Value: "", Label: "Toute l'équipe"}}
	if a.CanViewTeamData(a.StructureID) {
		p.Teams = teams
		p.Mediators[0].Label = "Tout le monde"
	} else {
		p.Teams = []ui.Option{{Value: "", Label: "Mon équipe"}}
		for _, t := range teams[1:] {
			if t.Value == strconv.FormatInt(int64(a.TeamID), 10) {
				p.Teams = append(p.Teams, t)
			}
		}
	}
	for _, u := range users {
		if a.CanViewTeamData(a.StructureID) || u.ID == a.UserID || (a.TeamID != 0 && u.TeamID == a.TeamID) {
			p.Mediators = append(p.Mediators, ui.Option{Value: strconv.FormatInt(int64(u.ID), 10), Label: u.DisplayName})
		}
	}
	names, err := h.svc.Reports.Commanditaires(r.Context(), a)
	if err != nil {
		return err
	}
	p.Commanditaires = []ui.Option{{Value: "", Label: "Tous"}}
	for _, n := range names {
		p.Commanditaires = append(p.Commanditaires, ui.Option{Value: n, Label: n})
	}
	return nil
}

// reportSections groups the tables under their headings and draws the
// charts.
func reportSections(rep *maillon.Report) []reportSection {
	var out []reportSection
	for i, t := range rep.Tables {
		if len(out) == 0 || out[len(out)-1].Title != t.Indicator.Section {
			out = append(out, reportSection{Title: t.Indicator.Section, ID: "s" + strconv.Itoa(len(out)+1)})
		}
		id := "ind-" + strings.ReplaceAll(t.Indicator.ID, ".", "-")
		s := &out[len(out)-1]
		s.Tables = append(s.Tables, reportTableView{ReportTable: t, ID: id, Chart: ui.Chart("chart-"+strconv.Itoa(i+1), t)})
	}
	return out
}

func (h *Handler) handleReport(w http.ResponseWriter, r *http.Request) error {
	form, f, err := h.reportForm(r)
	if err != nil {
		return err
	}
	p := reportPage{Page: h.page(w, r, "Rapport d'activité", "rapports", Crumb{"/rapports", "Rendre compte"}, Crumb{"", "Rapport d'activité"}),
		Filter: form, Link: "/rapports/activite?" + r.URL.RawQuery}
	p.Form = form
	if err := h.reportOptions(r, &p); err != nil {
		return err
	}
	status := http.StatusOK
	if !form.HasErrors() {
		rep, err := h.svc.Reports.ActivityReport(r.Context(), actor(r), f)
		switch {
		case errors.Is(err, maillon.ErrInvalid):
			for k, v := range maillon.FieldsOf(err) {
				form.Errors[k] = v
			}
		case err != nil:
			return err
		default:
			p.Report = rep
			p.PeriodLabel = rep.Filter.Period.Label()
			p.Sections = reportSections(rep)
		}
	}
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	}
	return h.render(w, status, "rapports/report", p)
}

// ---------------------------------------------------------------------
// The index of "Rendre compte".

type reportIndexPage struct {
	Page
	Sections []indicatorSection
	// Quick links to the usual periods.
	ThisMonth, LastMonth, ThisYear, LastYear string
}

type indicatorSection struct {
	Title      string
	Indicators []maillon.Indicator
}

func indicatorSections() []indicatorSection {
	var out []indicatorSection
	for _, ind := range maillon.Indicators() {
		if len(out) == 0 || out[len(out)-1].Title != ind.Section {
			out = append(out, indicatorSection{Title: ind.Section})
		}
		out[len(out)-1].Indicators = append(out[len(out)-1].Indicators, ind)
	}
	return out
}

func (h *Handler) handleReportIndex(w http.ResponseWriter, r *http.Request) error {
	p := reportIndexPage{Page: h.page(w, r, "Rendre compte", "rapports"), Sections: indicatorSections()}
	now := maillon.InParis(h.now())
	month := maillon.MonthPeriod(now)
	link := func(v url.Values) string { return "/rapports/activite?" + v.Encode() }
	p.ThisMonth = link(url.Values{"period": {"month"}, "month": {month.From.Format("2006-01")}})
	p.LastMonth = link(url.Values{"period": {"month"}, "month": {month.Previous().From.Format("2006-01")}})
	p.ThisYear = link(url.Values{"period": {"year"}, "year": {strconv.Itoa(now.Year())}})
	p.LastYear = link(url.Values{"period": {"year"}, "year": {strconv.Itoa(now.Year() - 1)}})
	return h.render(w, http.StatusOK, "rapports/index", p)
}

// ---------------------------------------------------------------------
// Dashboards, per role. Every figure of activity comes from
// ActivityReport, the query code of the reports; lists come from the
// modules' own services.

// dashFigure is one figure of a dashboard with the report it comes from.
type dashFigure struct {
	Label string
	Text  string
	// Previous is the same figure over the previous period (coordination).
	Previous string
	// Link opens the report this figure is read from.
	Link string
}

type dashboardPage struct {
	Page
	WeekLabel  string
	Week       []dashFigure
	Overdue    int
	DueToday   int
	Agenda     []maillon.AgendaOccurrence
	MyOpen     *stateTable
	MyWaiting  *stateTable
	IsCoord    bool
	MonthLabel string
	PrevLabel  string
	Month      []dashFigure
	OpenByAge  *stateTable
	Waiting    *stateTable
	Directory  *stateTable
	LateChecks []maillon.CheckIn
	Activites  *dashActivites
	InfoReview int
	IsAdmin    bool
	Users      int
	LastLogins []maillon.User
	AuditWeek  int
	AuditLast  []maillon.AuditEntry
}

// stateTable is a report table shown on a dashboard, with the id of its
// caption.
type stateTable struct {
	ID    string
	Table *maillon.ReportTable
}

func newStateTable(id string, t *maillon.ReportTable) *stateTable {
	if t == nil {
		return nil
	}
	return &stateTable{ID: id, Table: t}
}

// dashActivites are the collective actions in progress on the
// coordination's dashboard, read from the report's indicators.
type dashActivites struct {
	InProgress string // projects "en cours"
	Sessions   string // sessions starting this month
	Held       string
	ToEnter    string // past sessions without attendance
	Upcoming   string
	// ReportLink opens the report's sessions indicator.
	ReportLink string
}

// reportLink is the activity report of a period, for the figures' links.
func reportLink(p maillon.Period, extra url.Values) string {
	v := url.Values{"period": {p.Kind}}
	switch p.Kind {
	case "month":
		v.Set("month", maillon.InParis(p.From).Format("2006-01"))
	default:
		v.Set("period", "custom")
		v.Set("from", maillon.InParis(p.From).Format("2006-01-02"))
		v.Set("to", maillon.InParis(p.To).AddDate(0, 0, -1).Format("2006-01-02"))
	}
	for k, vals := range extra {
		v[k] = vals
	}
	return "/rapports/activite?" + v.Encode()
}

// rowOf reads one row of a report's table by its key.
func rowOf(rep *maillon.Report, id, key string) string {
	if t := rep.Table(id); t != nil {
		for _, r := range t.Rows {
			if r.Key == key {
				return r.Text
			}
		}
	}
	return "–"
}

// figureOf reads a figure of a report: the total of an additive table,
// the single row otherwise.
func figureOf(rep *maillon.Report, id string) string {
	t := rep.Table(id)
	switch {
	case t == nil:
		return "–"
	case t.Total != nil:
		return t.Total.Text
	case len(t.Rows) > 0:
		return t.Rows[0].Text
	}
	return "–"
}

// Indicators of the activity part of dashboards.
var (
	dashWeekIndicators  = []string{"interventions.nombre", "temps.registre", "interventions.hors_horaires", "mediations.ouvertes", "orientations.en_attente"}
	dashMonthIndicators = []string{"interventions.nombre", "temps.registre", "interventions.hors_horaires", "personnes.identifiees",
		"orientations.statut", "mediations.type", "tournees.nombre", "activites.seances"}
	dashStateIndicators = []string{"mediations.ouvertes", "orientations.en_attente", "annuaire.fraicheur", "activites.projets"}
)

func (h *Handler) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	ctx := r.Context()
	now := h.now()
	p := dashboardPage{Page: h.page(w, r, "Tableau de bord", "rapports", Crumb{"/rapports", "Rendre compte"}, Crumb{"", "Tableau de bord"})}

	// My week, for everyone.
	monday := weekStart(now)
	week := maillon.Period{Kind: "custom", From: monday, To: monday.AddDate(0, 0, 7)}
	p.WeekLabel = week.Label()
	mine, err := h.svc.Reports.ActivityReport(ctx, a, maillon.ReportFilter{Period: week, MediatorID: a.UserID, Indicators: dashWeekIndicators})
	if err != nil {
		return err
	}
	link := reportLink(week, url.Values{"mediator": {strconv.FormatInt(int64(a.UserID), 10)}})
	for _, id := range dashWeekIndicators[:3] {
		ind, _ := maillon.IndicatorByID(id)
		p.Week = append(p.Week, dashFigure{Label: ind.Label, Text: figureOf(mine, id), Link: link})
	}
	p.MyOpen = newStateTable("my-open", mine.Table("mediations.ouvertes"))
	p.MyWaiting = newStateTable("my-waiting", mine.Table("orientations.en_attente"))
	due, err := h.svc.Interventions.CountFollowUps(ctx, a, a.UserID, dayStart(now))
	if err != nil {
		return err
	}
	p.Overdue, p.DueToday = due.Overdue, due.Today
	ag, err := h.svc.Agenda.FindAgenda(ctx, a, maillon.AgendaQuery{UserID: a.UserID, From: now, To: dayStart(now).AddDate(0, 0, 8)})
	if err != nil {
		return err
	}
	p.Agenda = ag.Occurrences
	if len(p.Agenda) > 10 {
		p.Agenda = p.Agenda[:10]
	}

	// The structure's month against the previous one, and what waits.
	if a.CanViewTeamData(a.StructureID) {
		p.IsCoord = true
		month := maillon.MonthPeriod(now)
		prev := month.Previous()
		p.MonthLabel, p.PrevLabel = month.Label(), prev.Label()
		cur, err := h.svc.Reports.ActivityReport(ctx, a, maillon.ReportFilter{Period: month, Indicators: dashMonthIndicators})
		if err != nil {
			return err
		}
		before, err := h.svc.Reports.ActivityReport(ctx, a, maillon.ReportFilter{Period: prev, Indicators: dashMonthIndicators})
		if err != nil {
			return err
		}
		for _, id := range dashMonthIndicators {
			ind, _ := maillon.IndicatorByID(id)
			p.Month = append(p.Month, dashFigure{Label: ind.Label, Text: figureOf(cur, id), Previous: figureOf(before, id),
				Link: reportLink(month, nil) + "#" + "ind-" + strings.ReplaceAll(id, ".", "-") + "-h"})
		}
		state, err := h.svc.Reports.ActivityReport(ctx, a, maillon.ReportFilter{Period: month, Indicators: dashStateIndicators})
		if err != nil {
			return err
		}
		p.OpenByAge = newStateTable("open-by-age", state.Table("mediations.ouvertes"))
		p.Waiting = newStateTable("waiting", state.Table("orientations.en_attente"))
		p.Directory = newStateTable("directory", state.Table("annuaire.fraicheur"))
		p.Activites = &dashActivites{InProgress: rowOf(state, "activites.projets", maillon.ActiviteEnCours),
			Sessions: figureOf(cur, "activites.seances"), Held: rowOf(cur, "activites.seances", "tenues"),
			ToEnter: rowOf(cur, "activites.seances", "a_saisir"), Upcoming: rowOf(cur, "activites.seances", "a_venir"),
			ReportLink: reportLink(month, nil) + "#ind-activites-seances-h"}
		if p.LateChecks, err = h.svc.Safety.FindOverdueCheckIns(ctx, a); err != nil {
			return err
		}
		infos, err := h.svc.Infos.FindInfosToReview(ctx, a)
		if err != nil {
			return err
		}
		p.InfoReview = len(infos)
	}

	// Accounts and the audit log, for administrators.
	if a.Role == maillon.RoleAdmin {
		p.IsAdmin = true
		users, total, err := h.svc.Users.FindUsers(ctx, a, maillon.UserFilter{ActiveOnly: true, Limit: 500})
		if err != nil {
			return err
		}
		p.Users = total
		slices.SortStableFunc(users, func(x, y maillon.User) int { return y.LastLoginAt.Compare(x.LastLoginAt) })
		for _, u := range users {
			if !u.LastLoginAt.IsZero() && len(p.LastLogins) < 10 {
				p.LastLogins = append(p.LastLogins, u)
			}
		}
		if p.AuditLast, p.AuditWeek, err = h.svc.Audit.FindAuditEntries(ctx, a, maillon.AuditFilter{From: now.AddDate(0, 0, -7), Limit: 10}); err != nil {
			return err
		}
	}
	return h.render(w, http.StatusOK, "rapports/dashboard", p)
}
