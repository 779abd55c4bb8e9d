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
	levels := make([]int64, len(maillon.SatisfactionScale))
	if sc.dailyOK() {
		w := sc.dailyWhere(dailyAnswerLevels)
		err := t.rMany(ctx, "select d.k1, sum(d.n) from report_daily d "+w.String()+" group by d.k1", w.args, func(r *sql.Rows) error {
			var level string
			var n int64
			if err := r.Scan(&level, &n); err != nil {
				return err
			}
			if i, err := strconv.Atoi(level); err == nil && i >= 1 && i <= len(levels) {
				levels[i-1] += n
			}
			return nil
		})
		return levels, err
	}
	w := sc.seanceWhere()
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
		if sc.dailyOK() {
			return t.seanceStatesFromDays(ctx, sc)
		}
		w := sc.seanceWhere()
		w.add("(s.attendance_done or a.status <> ?)", maillon.ActiviteAnnulee)
		return t.byChoice(ctx, seanceStates, `select case when s.attendance_done then 'tenues' when s.starts_at < ? then 'a_saisir' else 'a_venir' end,
			count(*) from seances s`+sc.projectJoin(true)+w.String()+" group by 1", append([]any{t.now}, w.args...))
	}
	reportQueries["activites.seances_type"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		if sc.dailyOK() {
			w := sc.dailyWhere(dailySeances)
			w.add("d.k1 = '1'")
			return t.byChoice(ctx, maillon.ActiviteKinds, "select d.k2, sum(d.n) from report_daily d "+w.String()+" group by d.k2", w.args)
		}
		w := sc.seanceWhere()
		w.add("s.attendance_done")
		return t.byChoice(ctx, maillon.ActiviteKinds, "select a.kind, count(*) from seances s"+sc.projectJoin(true)+w.String()+" group by a.kind", w.args)
	}
	// A session's present counter, kept by the store, holds its
	// registered people present and its tallies: the registered part is
	// the difference, without reading the registrations.
	reportQueries["activites.participations"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		var present, tallied int64
		var err error
		if sc.dailyOK() {
			held := sc.dailyWhere(dailySeances)
			held.add("d.k1 = '1'")
			var total float64
			if err = t.rOne(ctx, "select coalesce(sum(d.total), 0) from report_daily d "+held.String(), held.args, &total); err == nil {
				present = int64(total)
				tallies := sc.dailyWhere(dailyTallies)
				tallies.add("d.k1 = '1'")
				err = t.rOne(ctx, "select coalesce(sum(d.n), 0) from report_daily d "+tallies.String(), tallies.args, &tallied)
			}
		} else {
			w := sc.seanceWhere()
			w.add("s.attendance_done")
			err = t.rOne(ctx, `select coalesce(sum(s.present), 0),
			coalesce(sum((select sum(g.count) from seance_tallies g where g.seance_id = s.id)), 0) from seances s`+sc.projectJoin(false)+w.String(), w.args, &present, &tallied)
		}
		return []maillon.ReportRow{
			{Key: "inscrits", Label: participationKinds.Label("inscrits"), Value: float64(present - tallied)},
			{Key: "non_inscrits", Label: participationKinds.Label("non_inscrits"), Value: float64(tallied)},
		}, err
	}
	reportQueries["activites.participants"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		if sc.dailyOK() {
			from, to := sc.dayBounds()
			var n int64
			err := t.rOne(ctx, `select count(distinct person_id) from report_participant_days
				where structure_id = ? and day >= ? and day < ?`, []any{sc.sid, from, to}, &n)
			return single("Participants inscrits distincts", float64(n)), err
		}
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
		if sc.dailyOK() {
			w := sc.dailyWhere(dailyAnswers)
			return t.byChoice(ctx, answerSources, "select d.k1, sum(d.n) from report_daily d "+w.String()+" group by d.k1", w.args)
		}
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

// seanceStatesFromDays is activites.seances read from the summary: held
// sessions, and the others of projects not cancelled, before or after
// now; those of today, on either side of now, are read from the sessions.
func (t *tx) seanceStatesFromDays(ctx context.Context, sc *reportScope) ([]maillon.ReportRow, error) {
	today := dayKey(t.now)
	w := sc.dailyWhere(dailySeances)
	w.add("(d.k1 = '1' or d.k3 = '0')")
	got := map[string]float64{}
	err := t.rMany(ctx, `select case when d.k1 = '1' then 'tenues' when d.day < ? then 'a_saisir' when d.day > ? then 'a_venir' else 'today' end,
		sum(d.n) from report_daily d `+w.String()+" group by 1", append([]any{today, today}, w.args...), func(r *sql.Rows) error {
		var state string
		var n int64
		if err := r.Scan(&state, &n); err != nil {
			return err
		}
		got[state] += float64(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if got["today"] > 0 {
		w := sc.seanceWhere()
		w.add("not s.attendance_done")
		w.add("a.status <> ?", maillon.ActiviteAnnulee)
		w.add("s.starts_at >= ?", parisMidnight(today))
		w.add("s.starts_at < ?", parisMidnight(nextDay(today)))
		err := t.rMany(ctx, "select case when s.starts_at < ? then 'a_saisir' else 'a_venir' end, count(*) from seances s"+
			sc.projectJoin(true)+w.String()+" group by 1", append([]any{t.now}, w.args...), func(r *sql.Rows) error {
			var state string
			var n int64
			if err := r.Scan(&state, &n); err != nil {
				return err
			}
			got[state] += float64(n)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	rows := make([]maillon.ReportRow, 0, len(seanceStates))
	for _, c := range seanceStates {
		rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
	}
	return rows, nil
}

// activiteObjectives classes the objectives of the projects with a
// session held in the period by their achieved value, computed over all
// the project's sessions as activiteFigures does for the project's page:
// three grouped reads instead of one per project.
func activiteObjectives(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
	if sc.dailyOK() {
		return t.objectivesFromDays(ctx, sc)
	}
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
	got, err := t.classifyObjectives(ctx, projects, w.args, func(id int64) (held, presences, newcomers int64) {
		f := get(id)
		return f.held, f.presences, f.newcomers
	})
	rows := make([]maillon.ReportRow, 0, len(objectiveStates))
	for _, c := range objectiveStates {
		rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
	}
	return rows, err
}

// objectivesFromDays is activites.objectifs read from the summary: the
// projects with a session held in the period, with their totals.
func (t *tx) objectivesFromDays(ctx context.Context, sc *reportScope) ([]maillon.ReportRow, error) {
	from, to := sc.dayBounds()
	got := map[string]float64{}
	err := t.rMany(ctx, `select o.indicator, o.target, o.entered, f.held, f.presences, f.newcomers from report_project_totals f
		join activite_objectives o on o.activite_id = f.activite_id
		where f.structure_id = ? and f.activite_id in (select distinct p.activite_id from report_project_days p
			where p.structure_id = ? and p.day >= ? and p.day < ? and p.held > 0)`, []any{sc.sid, sc.sid, from, to}, func(r *sql.Rows) error {
		var target, held, presences, newcomers int64
		var indicator string
		var entered sql.NullInt64
		if err := r.Scan(&indicator, &target, &entered, &held, &presences, &newcomers); err != nil {
			return err
		}
		classifyObjective(got, indicator, target, entered, held, presences, newcomers)
		return nil
	})
	rows := make([]maillon.ReportRow, 0, len(objectiveStates))
	for _, c := range objectiveStates {
		rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
	}
	return rows, err
}

// classifyObjectives reads the objectives of the projects a query names
// and classes each by its achieved value, computed as the project's page
// does from the project's figures.
func (t *tx) classifyObjectives(ctx context.Context, projects string, args []any,
	figures func(id int64) (held, presences, newcomers int64)) (map[string]float64, error) {
	got := map[string]float64{}
	err := t.rMany(ctx, `select o.activite_id, o.indicator, o.target, o.entered from activite_objectives o
		where o.activite_id in (`+projects+`)`, args, func(r *sql.Rows) error {
		var id, target int64
		var indicator string
		var entered sql.NullInt64
		if err := r.Scan(&id, &indicator, &target, &entered); err != nil {
			return err
		}
		held, presences, newcomers := figures(id)
		classifyObjective(got, indicator, target, entered, held, presences, newcomers)
		return nil
	})
	return got, err
}

// classifyObjective counts one objective as reached, not (yet) reached or
// without a value, its achieved value computed as the project's page
// does from the project's figures.
func classifyObjective(got map[string]float64, indicator string, target int64, entered sql.NullInt64, held, presences, newcomers int64) {
	var achieved int64
	switch indicator {
	case maillon.IndicatorPresences:
		achieved = presences
	case maillon.IndicatorSeances:
		achieved = held
	case maillon.IndicatorNouveaux:
		achieved = newcomers
	default:
		if !entered.Valid {
			got["non_saisi"]++
			return
		}
		achieved = entered.Int64
	}
	if achieved >= target {
		got["atteint"]++
	} else {
		got["non_atteint"]++
	}
}
