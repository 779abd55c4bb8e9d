package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"maillon"
)

// Collective actions' indicators (maillon's "Actions collectives" block).
// Sessions are placed in the period by their start, through the index
// seances_report (structure, start); every filter reads the project.

// activiteFilters adds the team, mediator and place filters on the
// project (alias a): the mediator is the project's referent; a team
// holds the projects given to it and those of its members, as
// Activite.VisibleTo lets them see.
func (sc *reportScope) activiteFilters(w *whereBuilder) {
	f := sc.f
	if f.MediatorID != 0 {
		w.add("a.owner_id = ?", f.MediatorID)
	}
	if f.TeamID != 0 {
		w.add("(a.team_id = ? or a.owner_id in (select id from users where team_id = ?))", f.TeamID, f.TeamID)
	}
	sc.placeWhere(w, "a.zone_id", "a.commune_id")
}

// seanceWhere filters the period's sessions (alias s); its filters read
// their project (alias a, see projectJoin).
func (sc *reportScope) seanceWhere() *whereBuilder {
	var w whereBuilder
	w.add("s.structure_id = ?", sc.sid)
	w.add("s.starts_at >= ?", sc.f.Period.From)
	w.add("s.starts_at < ?", sc.f.Period.To)
	sc.activiteFilters(&w)
	return &w
}

// projectJoin joins the sessions (alias s) to their project (alias a)
// when a query reads it or a filter needs it: without filter, a yearly
// report spares a lookup of the project per session.
func (sc *reportScope) projectJoin(always bool) string {
	f := sc.f
	if always || f.MediatorID != 0 || f.TeamID != 0 || f.ZoneID != 0 || f.CommuneID != 0 || f.QPVOnly {
		return " join activites a on a.id = s.activite_id "
	}
	return " "
}

// Keys of the breakdowns.
var (
	seanceStates = maillon.Choices{{Code: "tenues", Label: "Séances tenues"},
		{Code: "a_saisir", Label: "Séances passées, présences à saisir"}, {Code: "a_venir", Label: "Séances à venir"}}
	participationKinds = maillon.Choices{{Code: "inscrits", Label: "Inscrits présents"},
		{Code: "non_inscrits", Label: "Participants non inscrits (comptage)"}}
	objectiveStates = maillon.Choices{{Code: "atteint", Label: "Objectifs atteints"},
		{Code: "non_atteint", Label: "Objectifs pas (encore) atteints"}, {Code: "non_saisi", Label: "Valeur non saisie"}}
	answerSources = maillon.Choices{{Code: "lien", Label: "En ligne (lien public)"}, {Code: "papier", Label: "Sur papier"}}
)

// openActiviteStatuses are the statuses of activites.projets: every
// status but the two final ones.
func openActiviteStatuses() maillon.Choices {
	var out maillon.Choices
	for _, c := range maillon.ActiviteStatuses {
		if c.Code != maillon.ActiviteEvaluee && c.Code != maillon.ActiviteAnnulee {
			out = append(out, c)
		}
	}
	return out
}

// answerLevels sums, for each level of the scale, the questions answered
// at that level: "coalesce(sum(case … q1 = 1 … + case … q2 = 1 …), 0), …".
var answerLevels = func() string {
	var cols []string
	for lv := 1; lv <= len(maillon.SatisfactionScale); lv++ {
		var terms []string
		for q := 1; q <= len(maillon.SatisfactionQuestions); q++ {
			terms = append(terms, "case when x.q"+strconv.Itoa(q)+" = "+strconv.Itoa(lv)+" then 1 else 0 end")
		}
		cols = append(cols, "coalesce(sum("+strings.Join(terms, " + ")+"), 0)")
	}
	return strings.Join(cols, ", ")
}()

// satisfactionLevels reads the answers of the period's sessions per level
// of the scale (index 0: "pas du tout").
func (t *tx) satisfactionLevels(ctx context.Context, sc *reportScope) ([]int64, error) {
	w := sc.seanceWhere()
	levels := make([]int64, len(maillon.SatisfactionScale))
	dest := make([]any, len(levels))
	for i := range levels {
		dest[i] = &levels[i]
	}
	err := t.rOne(ctx, "select "+answerLevels+" from seance_answers x join seances s on s.id = x.seance_id"+sc.projectJoin(false)+w.String(), w.args, dest...)
	return levels, err
}

func init() {
	reportQueries["activites.projets"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		var w whereBuilder
		w.add("a.structure_id = ?", sc.sid)
		w.add("a.status not in (?, ?)", maillon.ActiviteEvaluee, maillon.ActiviteAnnulee)
		sc.activiteFilters(&w)
		return t.byChoice(ctx, openActiviteStatuses(), "select a.status, count(*) from activites a "+w.String()+" group by a.status", w.args)
	}
	reportQueries["activites.seances"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.seanceWhere()
		w.add("(s.attendance_done or a.status <> ?)", maillon.ActiviteAnnulee)
		return t.byChoice(ctx, seanceStates, `select case when s.attendance_done then 'tenues' when s.starts_at < ? then 'a_saisir' else 'a_venir' end,
			count(*) from seances s`+sc.projectJoin(true)+w.String()+" group by 1", append([]any{t.now}, w.args...))
	}
	reportQueries["activites.seances_type"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.seanceWhere()
		w.add("s.attendance_done")
		return t.byChoice(ctx, maillon.ActiviteKinds, "select a.kind, count(*) from seances s"+sc.projectJoin(true)+w.String()+" group by a.kind", w.args)
	}
	// A session's present counter, kept by the store, holds its
	// registered people present and its tallies: the registered part is
	// the difference, without reading the registrations.
	reportQueries["activites.participations"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.seanceWhere()
		w.add("s.attendance_done")
		var present, tallied int64
		err := t.rOne(ctx, `select coalesce(sum(s.present), 0),
			coalesce(sum((select sum(g.count) from seance_tallies g where g.seance_id = s.id)), 0) from seances s`+sc.projectJoin(false)+w.String(), w.args, &present, &tallied)
		return []maillon.ReportRow{
			{Key: "inscrits", Label: participationKinds.Label("inscrits"), Value: float64(present - tallied)},
			{Key: "non_inscrits", Label: participationKinds.Label("non_inscrits"), Value: float64(tallied)},
		}, err
	}
	reportQueries["activites.participants"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.seanceWhere()
		w.add("s.attendance_done")
		w.add("r.attendance = ?", maillon.PresencePresent)
		w.add("not r.waiting")
		w.add("r.person_id is not null")
		var n int64
		err := t.rOne(ctx, "select count(distinct r.person_id) from seance_registrations r join seances s on s.id = r.seance_id"+
			sc.projectJoin(false)+w.String(), w.args, &n)
		return single("Participants inscrits distincts", float64(n)), err
	}
	reportQueries["activites.objectifs"] = activiteObjectives
	reportQueries["activites.questionnaires"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.seanceWhere()
		return t.byChoice(ctx, answerSources, "select x.source, count(*) from seance_answers x join seances s on s.id = x.seance_id"+sc.projectJoin(false)+
			w.String()+" group by x.source", w.args)
	}
	reportQueries["activites.satisfaction"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		levels, err := t.satisfactionLevels(ctx, sc)
		if err != nil {
			return nil, err
		}
		rows := make([]maillon.ReportRow, len(maillon.SatisfactionScale))
		for i, c := range maillon.SatisfactionScale {
			rows[i] = maillon.ReportRow{Key: c.Code, Label: c.Label, Value: float64(levels[i])}
		}
		return rows, nil
	}
	reportQueries["activites.satisfaction_positive"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		levels, err := t.satisfactionLevels(ctx, sc)
		if err != nil {
			return nil, err
		}
		var all int64
		for _, n := range levels {
			all += n
		}
		return []maillon.ReportRow{maillon.Percent("", "Bien ou très bien", levels[2]+levels[3], all)}, nil
	}
}

// activiteObjectives classes the objectives of the projects with a
// session held in the period by their achieved value, computed over all
// the project's sessions as activiteFigures does for the project's page:
// three grouped reads instead of one per project.
func activiteObjectives(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
	w := sc.seanceWhere()
	w.add("s.attendance_done")
	projects := "select s.activite_id from seances s" + sc.projectJoin(false) + w.String()
	type figures struct{ held, presences, newcomers int64 }
	byProject := map[int64]*figures{}
	get := func(id int64) *figures {
		if byProject[id] == nil {
			byProject[id] = &figures{}
		}
		return byProject[id]
	}
	err := t.rMany(ctx, `select s.activite_id, count(*), coalesce(sum(s.present), 0) from seances s
		where s.attendance_done and s.activite_id in (`+projects+`) group by s.activite_id`, w.args, func(r *sql.Rows) error {
		var id, held, present int64
		if err := r.Scan(&id, &held, &present); err != nil {
			return err
		}
		f := get(id)
		f.held, f.presences = held, present
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = t.rMany(ctx, `select s.activite_id, coalesce(sum(g.count), 0) from seance_tallies g join seances s on s.id = g.seance_id
		where g.newcomer and s.activite_id in (`+projects+`) group by s.activite_id`, w.args, func(r *sql.Rows) error {
		var id, n int64
		if err := r.Scan(&id, &n); err != nil {
			return err
		}
		get(id).newcomers = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	got := map[string]float64{}
	err = t.rMany(ctx, `select o.activite_id, o.indicator, o.target, o.entered from activite_objectives o
		where o.activite_id in (`+projects+`)`, w.args, func(r *sql.Rows) error {
		var id, target int64
		var indicator string
		var entered sql.NullInt64
		if err := r.Scan(&id, &indicator, &target, &entered); err != nil {
			return err
		}
		f := get(id)
		var achieved int64
		switch indicator {
		case maillon.IndicatorPresences:
			achieved = f.presences
		case maillon.IndicatorSeances:
			achieved = f.held
		case maillon.IndicatorNouveaux:
			achieved = f.newcomers
		default:
			if !entered.Valid {
				got["non_saisi"]++
				return nil
			}
			achieved = entered.Int64
		}
		if achieved >= target {
			got["atteint"]++
		} else {
			got["non_atteint"]++
		}
		return nil
	})
	rows := make([]maillon.ReportRow, 0, len(objectiveStates))
	for _, c := range objectiveStates {
		rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
	}
	return rows, err
}
