package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"maillon"
)

// Reports: every indicator of maillon.Indicators is one reportQuery here,
// aggregated in SQL on both engines. Dashboards, reports and report
// templates all call ActivityReport, so a figure has one definition.

// reportScope is the effective filter of a report: the actor's structure
// and the filters, narrowed for a mediator to their own and their team's
// records.
type reportScope struct {
	sid maillon.StructureID
	f   maillon.ReportFilter
	// core and procs are the grouped interventions and procedures, read
	// once per report.
	core  *ivCore
	procs *[]procGroup
	// daily: the summary of the structure is up to date and the period
	// falls on day bounds, so indicators without filters read it
	// (report_days.go).
	daily bool
}

// reportQuery computes an indicator's rows. Additive tables get their
// total from the rows.
type reportQuery func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error)

// reportQueries are the indicators' queries by ID; each module's block
// fills them in an init, next to its where builder.
var reportQueries = map[string]reportQuery{}

// ActivityReport implements maillon.ReportService.
func (s *Store) ActivityReport(ctx context.Context, actor maillon.Actor, f maillon.ReportFilter) (rep *maillon.Report, err error) {
	defer wrap(&err, "ActivityReport")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if f.Period.From.IsZero() || !f.Period.To.After(f.Period.From) {
		return nil, maillon.FieldErrors{"period": "Choisissez une période."}.Err()
	}
	var inds []maillon.Indicator
	if len(f.Indicators) == 0 {
		inds = maillon.Indicators()
	} else {
		for _, id := range f.Indicators {
			ind, ok := maillon.IndicatorByID(id)
			if !ok || reportQueries[id] == nil {
				return nil, maillon.FieldErrors{"indicators": "Choisissez les indicateurs dans la liste."}.Err()
			}
			inds = append(inds, ind)
		}
	}
	// The summary answers the structure's figures without team or
	// mediator: those of coordinators and administrators.
	daily := actor.CanViewTeamData(actor.StructureID) && f.TeamID == 0 && f.MediatorID == 0 &&
		isParisMidnight(f.Period.From) && isParisMidnight(f.Period.To) && ctx.Value(detailKey{}) == nil
	if daily {
		if err := s.refreshReportDays(ctx, actor.StructureID); err != nil {
			return nil, err
		}
	}
	rep = &maillon.Report{Filter: f}
	err = s.read(ctx, func(t *tx) error {
		sc, scope, err := t.reportScope(ctx, actor, f)
		if err != nil {
			return err
		}
		sc.daily = daily
		rep.Scope = scope
		rep.Filter = sc.f
		rep.GeneratedAt = t.now
		for _, ind := range inds {
			rows, err := reportQueries[ind.ID](ctx, t, sc)
			if err != nil {
				return err
			}
			tab := maillon.ReportTable{Indicator: ind, Rows: rows}
			if ind.Additive {
				total := maillon.ReportRow{Label: "Total"}
				for _, r := range rows {
					total.Value += r.Value
				}
				tab.Total = &total
			}
			for _, name := range sc.f.Active() {
				if !ind.Applies(name) {
					tab.NotApplied = append(tab.NotApplied, maillon.ReportFilterLabels.Label(name))
				}
			}
			rep.Tables = append(rep.Tables, tab)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rep.Format()
	return rep, nil
}

// reportScope checks the filter against the actor's rights and names the
// scope. Coordinators and administrators see the structure; a mediator
// sees their team (or, without a team, themselves): another team, or a
// mediator outside their team, is ErrForbidden.
func (t *tx) reportScope(ctx context.Context, actor maillon.Actor, f maillon.ReportFilter) (*reportScope, string, error) {
	sid := actor.StructureID
	if !actor.CanViewTeamData(sid) {
		switch {
		case f.TeamID != 0 && f.TeamID != actor.TeamID:
			return nil, "", maillon.Errorf(maillon.ErrForbidden, "Vous ne voyez que les chiffres de votre équipe.")
		case f.MediatorID != 0 && f.MediatorID != actor.UserID:
			var n int
			if actor.TeamID == 0 {
				return nil, "", maillon.Errorf(maillon.ErrForbidden, "Vous ne voyez que vos propres chiffres.")
			}
			if err := t.one(ctx, "select count(*) from users where id = ? and structure_id = ? and team_id = ?",
				[]any{f.MediatorID, sid, actor.TeamID}, &n); err != nil {
				return nil, "", err
			}
			if n == 0 {
				return nil, "", maillon.Errorf(maillon.ErrForbidden, "Vous ne voyez que les chiffres de votre équipe.")
			}
		case f.TeamID == 0 && f.MediatorID == 0:
			if actor.TeamID != 0 {
				f.TeamID = actor.TeamID
			} else {
				f.MediatorID = actor.UserID
			}
		}
	}
	scope := "toute la structure"
	if f.TeamID != 0 {
		var name string
		err := t.one(ctx, "select name from teams where id = ? and structure_id = ?", []any{f.TeamID, sid}, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, "", maillon.FieldErrors{"team": "Choisissez une équipe dans la liste."}.Err()
		} else if err != nil {
			return nil, "", err
		}
		scope = "équipe " + name
	}
	if f.MediatorID != 0 {
		var name string
		err := t.one(ctx, "select display_name from users where id = ? and structure_id = ?", []any{f.MediatorID, sid}, &name)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, "", maillon.FieldErrors{"mediator": "Choisissez une personne dans la liste."}.Err()
		} else if err != nil {
			return nil, "", err
		}
		if f.TeamID != 0 {
			scope += ", " + name
		} else {
			scope = name
		}
	}
	return &reportScope{sid: sid, f: f}, scope, nil
}

// Commanditaires implements maillon.ReportService.
func (s *Store) Commanditaires(ctx context.Context, actor maillon.Actor) (out []string, err error) {
	defer wrap(&err, "Commanditaires")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.readEach(ctx, func(t *tx) error {
		return t.many(ctx, `select distinct commanditaire from interventions
			where structure_id = ? and commanditaire <> '' order by commanditaire limit 200`, []any{actor.StructureID},
			func(r *sql.Rows) error {
				var c string
				if err := r.Scan(&c); err != nil {
					return err
				}
				out = append(out, c)
				return nil
			})
	})
	return out, err
}

// ---------------------------------------------------------------------
// Helpers shared by the queries.

// byChoice runs a "select code, figure … group by code" query and gives a
// row per choice, in list order, zeros included (a breakdown always has
// the same rows); unknown codes are left out.
func (t *tx) byChoice(ctx context.Context, cs maillon.Choices, q string, args []any) ([]maillon.ReportRow, error) {
	got := map[string]float64{}
	err := t.rMany(ctx, q, args, func(r *sql.Rows) error {
		var code string
		var n int64
		if err := r.Scan(&code, &n); err != nil {
			return err
		}
		got[code] += float64(n)
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows := make([]maillon.ReportRow, 0, len(cs))
	for _, c := range cs {
		rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
	}
	return rows, nil
}

// detailKey, in tests, makes a report read the records even where the
// summary could answer, to compare the two.
type detailKey struct{}

// traceKey carries, in tests, the list where the report queries record
// their statements, to time the same SQL without the store around it.
type traceKey struct{}

// rawStatement is a statement as the engine receives it.
type rawStatement struct {
	q    string
	args []any
}

func (t *tx) trace(ctx context.Context, q string, args []any) {
	if list, ok := ctx.Value(traceKey{}).(*[]rawStatement); ok {
		*list = append(*list, rawStatement{t.d.rebind(q), t.args(args)})
	}
}

// rOne and rMany are t.one and t.many for the report queries.
func (t *tx) rOne(ctx context.Context, q string, args []any, dest ...any) error {
	t.trace(ctx, q, args)
	return t.one(ctx, q, args, dest...)
}

func (t *tx) rMany(ctx context.Context, q string, args []any, scan func(*sql.Rows) error) error {
	t.trace(ctx, q, args)
	return t.many(ctx, q, args, scan)
}

// single is the row of a one-figure indicator.
func single(label string, v float64) []maillon.ReportRow {
	return []maillon.ReportRow{{Label: label, Value: v}}
}

// meanDays averages the days between pairs of instants read by q (start,
// end), in Go: the difference of two timestamps is written differently
// by each engine.
func (t *tx) meanDays(ctx context.Context, label, q string, args []any) ([]maillon.ReportRow, error) {
	var sum float64
	var n int64
	err := t.rMany(ctx, q, args, func(r *sql.Rows) error {
		var from, to time.Time
		if err := r.Scan(timeCol{&from}, timeCol{&to}); err != nil {
			return err
		}
		if from.IsZero() || to.IsZero() {
			return nil
		}
		sum += to.Sub(from).Hours() / 24
		n++
		return nil
	})
	if err != nil {
		return nil, err
	}
	row := maillon.ReportRow{Label: label, Count: n, Of: n}
	if n > 0 {
		row.Value = sum / float64(n)
	}
	return []maillon.ReportRow{row}, nil
}

// placeWhere adds the commune, quartier and QPV filters on a record's
// zone (and commune, when the record has one).
func (sc *reportScope) placeWhere(w *whereBuilder, zoneCol, communeCol string) {
	f := sc.f
	if f.ZoneID != 0 {
		w.add(zoneCol+" = ?", f.ZoneID)
	} else if f.CommuneID != 0 {
		if communeCol != "" {
			w.add(communeCol+" = ?", f.CommuneID)
		} else {
			w.add(zoneCol+" in (select id from zones where commune_id = ?)", f.CommuneID)
		}
	}
	if f.QPVOnly {
		w.add(zoneCol+" in (select id from zones where structure_id = ? and qpv_code <> '')", sc.sid)
	}
}

// authorWhere adds the mediator and team filters for records with one
// author column: the author, or any member of the team.
func (sc *reportScope) authorWhere(w *whereBuilder, col string) {
	if sc.f.MediatorID != 0 {
		w.add(col+" = ?", sc.f.MediatorID)
	}
	if sc.f.TeamID != 0 {
		w.add(col+" in (select id from users where team_id = ?)", sc.f.TeamID)
	}
}

// ---------------------------------------------------------------------
// Interventions, people reached, procedures, autonomy.

// interventionWhere filters interventions (alias i) on every filter.
func (sc *reportScope) interventionWhere() *whereBuilder {
	f := sc.f
	var w whereBuilder
	w.add("i.structure_id = ?", sc.sid)
	w.add("i.start_at >= ?", f.Period.From)
	w.add("i.start_at < ?", f.Period.To)
	if f.MediatorID != 0 {
		w.add("exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)", f.MediatorID)
	}
	if f.TeamID != 0 {
		w.add(`exists (select 1 from intervention_mediators m join users u on u.id = m.user_id
			where m.intervention_id = i.id and u.team_id = ?)`, f.TeamID)
	}
	sc.placeWhere(&w, "i.zone_id", "i.commune_id")
	if f.Registre != "" {
		w.add("i.registre = ?", f.Registre)
	}
	if f.Theme != "" {
		w.add("exists (select 1 from intervention_themes th where th.intervention_id = i.id and th.theme = ?)", f.Theme)
	}
	if f.Commanditaire != "" {
		w.add("i.commanditaire = ?", f.Commanditaire)
	}
	return &w
}

// procGroup is one group of the period's procedures.
type procGroup struct {
	organisme, mode, outcome string
	count                    float64
}

func (t *tx) procedureCore(ctx context.Context, sc *reportScope) ([]procGroup, error) {
	if sc.procs != nil {
		return *sc.procs, nil
	}
	w := sc.interventionWhere()
	q := `select p.organisme, p.mode, p.outcome, count(*) from procedures p
		join interventions i on i.id = p.intervention_id ` + w.String() + " group by p.organisme, p.mode, p.outcome"
	if sc.dailyOK() {
		w = sc.dailyWhere(dailyProcedures)
		q = "select d.k1, d.k2, d.k3, sum(d.n) from report_daily d " + w.String() + " group by d.k1, d.k2, d.k3"
	}
	var out []procGroup
	err := t.rMany(ctx, q, w.args,
		func(r *sql.Rows) error {
			var g procGroup
			var n int64
			if err := r.Scan(&g.organisme, &g.mode, &g.outcome, &n); err != nil {
				return err
			}
			g.count = float64(n)
			out = append(out, g)
			return nil
		})
	if err != nil {
		return nil, err
	}
	sc.procs = &out
	return out, nil
}

// ivGroup is one group of the period's interventions: those sharing a
// main registre, a place type, a month (or year) and the outside-hours
// flag, with their count and minutes.
type ivGroup struct {
	registre, place, bucket string
	outside                 bool
	count, minutes          float64
}

// ivCore is the period's interventions grouped once per report: six
// indicators read it, so the rows are scanned once (through the index
// interventions_report, which holds every column read).
type ivCore struct {
	groups  []ivGroup
	buckets maillon.Choices // the months of the period, or its years beyond ten years
}

func (t *tx) interventionCore(ctx context.Context, sc *reportScope) (*ivCore, error) {
	if sc.core != nil {
		return sc.core, nil
	}
	p := sc.f.Period
	c := &ivCore{}
	// The month of a Paris date is not the month of its UTC instant:
	// each bucket is a bound, and a "case" places each row in one pass.
	var ends []time.Time
	first := maillon.InParis(p.From)
	byYear := p.To.Sub(p.From) > 10*366*24*time.Hour
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, maillon.Paris); m.Before(p.To); {
		next := m.AddDate(0, 1, 0)
		code, label := m.Format("2006-01"), maillon.MonthPeriod(m).Label()
		if byYear {
			next = time.Date(m.Year()+1, 1, 1, 0, 0, 0, 0, maillon.Paris)
			code, label = m.Format("2006"), m.Format("2006")
		}
		c.buckets = append(c.buckets, maillon.Choice{Code: code, Label: label})
		ends = append(ends, next)
		m = next
	}
	expr := "case"
	var args []any
	for i, end := range ends {
		expr += " when i.start_at < ? then '" + c.buckets[i].Code + "'"
		args = append(args, end)
	}
	expr += " else '' end"
	w := sc.interventionWhere()
	q := "select i.registre, i.place_type, " + expr + ", case when i.outside_hours then '1' else '0' end, count(*), coalesce(sum(i.minutes), 0) from interventions i " +
		w.String() + " group by i.registre, i.place_type, 3, i.outside_hours"
	if sc.dailyOK() {
		// The summary's days give the month (or year) directly.
		w = sc.dailyWhere(dailyInterventions)
		month := "substr(d.day, 1, 7)"
		if byYear {
			month = "substr(d.day, 1, 4)"
		}
		q, args = "select d.k1, d.k2, "+month+", d.k3, sum(d.n), sum(d.total) from report_daily d "+w.String()+
			" group by d.k1, d.k2, "+month+", d.k3", nil
	}
	err := t.rMany(ctx, q, append(args, w.args...), func(r *sql.Rows) error {
		var g ivGroup
		var n int64
		var m float64
		var outside string
		if err := r.Scan(&g.registre, &g.place, &g.bucket, &outside, &n, &m); err != nil {
			return err
		}
		g.outside = outside == "1"
		g.count, g.minutes = float64(n), m
		c.groups = append(c.groups, g)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sc.core = c
	return c, nil
}

func init() {
	reportQueries["interventions.nombre"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		c, err := t.interventionCore(ctx, sc)
		if err != nil {
			return nil, err
		}
		n := 0.0
		for _, g := range c.groups {
			n += g.count
		}
		return single("Interventions", n), nil
	}
	// coreBy reads a breakdown of the grouped interventions.
	coreBy := func(cs func(*ivCore) maillon.Choices, key func(ivGroup) string, minutes bool) reportQuery {
		return func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
			c, err := t.interventionCore(ctx, sc)
			if err != nil {
				return nil, err
			}
			got := map[string]float64{}
			for _, g := range c.groups {
				if minutes {
					got[key(g)] += g.minutes
				} else {
					got[key(g)] += g.count
				}
			}
			var rows []maillon.ReportRow
			for _, ch := range cs(c) {
				rows = append(rows, maillon.ReportRow{Key: ch.Code, Label: ch.Label, Value: got[ch.Code]})
			}
			return rows, nil
		}
	}
	fixed := func(cs maillon.Choices) func(*ivCore) maillon.Choices {
		return func(*ivCore) maillon.Choices { return cs }
	}
	reportQueries["interventions.registre"] = coreBy(fixed(maillon.Registres), func(g ivGroup) string { return g.registre }, false)
	reportQueries["interventions.lieu"] = coreBy(fixed(maillon.PlaceTypes), func(g ivGroup) string { return g.place }, false)
	reportQueries["interventions.mois"] = coreBy(func(c *ivCore) maillon.Choices { return c.buckets }, func(g ivGroup) string { return g.bucket }, false)
	reportQueries["temps.registre"] = coreBy(fixed(maillon.Registres), func(g ivGroup) string { return g.registre }, true)
	reportQueries["interventions.hors_horaires"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		c, err := t.interventionCore(ctx, sc)
		if err != nil {
			return nil, err
		}
		var n, of float64
		for _, g := range c.groups {
			of += g.count
			if g.outside {
				n += g.count
			}
		}
		return []maillon.ReportRow{maillon.Percent("", "Hors horaires", int64(n), int64(of))}, nil
	}
	reportQueries["interventions.thematique"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.interventionWhere()
		q := `select th.theme, count(*) from interventions i
			join intervention_themes th on th.intervention_id = i.id ` + w.String() + " group by th.theme"
		if sc.dailyOK() {
			w = sc.dailyWhere(dailyThemes)
			q = "select d.k1, sum(d.n) from report_daily d " + w.String() + " group by d.k1"
		}
		rows, err := t.byChoice(ctx, maillon.Themes, q, w.args)
		maillon.SortRowsByValue(rows)
		return rows, err
	}
	reportQueries["interventions.binome"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		c, err := t.interventionCore(ctx, sc)
		if err != nil {
			return nil, err
		}
		var of float64
		for _, g := range c.groups {
			of += g.count
		}
		w := sc.interventionWhere()
		q := `select count(*) from (select m2.intervention_id from intervention_mediators m2
			join interventions i on i.id = m2.intervention_id ` + w.String() + ` group by m2.intervention_id having count(*) > 1) x`
		if sc.dailyOK() {
			w = sc.dailyWhere(dailyPairs)
			q = "select coalesce(sum(d.n), 0) from report_daily d " + w.String()
		}
		var n int64
		err = t.rOne(ctx, q, w.args, &n)
		return []maillon.ReportRow{maillon.Percent("", "En binôme", n, int64(of))}, err
	}
	reportQueries["personnes.identifiees"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		if sc.dailyOK() {
			return t.peopleFromDays(ctx, sc)
		}
		w := sc.interventionWhere()
		var all, fresh int64
		// Without any intervention before the period, everyone is new:
		// the check of each person's history is skipped (a report of the
		// whole history reads a million rows less).
		var first time.Time
		if err := t.rOne(ctx, "select min(start_at) from interventions where structure_id = ?", []any{sc.sid}, timeCol{&first}); err != nil {
			return nil, err
		}
		if first.IsZero() || !first.Before(sc.f.Period.From) {
			err := t.rOne(ctx, `select count(distinct ip.person_id) from intervention_persons ip
				join interventions i on i.id = ip.intervention_id `+w.String(), w.args, &all)
			return []maillon.ReportRow{
				{Key: "nouvelles", Label: "Nouvelles personnes", Value: float64(all)},
				{Key: "connues", Label: "Personnes déjà connues", Value: 0},
			}, err
		}
		// Known people: those of the period named on an earlier
		// intervention. A semi-join on the period's people is one pass
		// over the earlier rows (ten times faster on PostgreSQL than a
		// check per person).
		if err := t.rOne(ctx, `select count(distinct ip.person_id) from intervention_persons ip
			join interventions i on i.id = ip.intervention_id `+w.String(), w.args, &all); err != nil {
			return nil, err
		}
		var known int64
		err := t.rOne(ctx, `select count(distinct ip0.person_id) from intervention_persons ip0
			join interventions i0 on i0.id = ip0.intervention_id
			where i0.structure_id = ? and i0.start_at < ? and ip0.person_id in (select ip.person_id from intervention_persons ip
				join interventions i on i.id = ip.intervention_id `+w.String()+`)`, append([]any{sc.sid, sc.f.Period.From}, w.args...), &known)
		fresh = all - known
		return []maillon.ReportRow{
			{Key: "nouvelles", Label: "Nouvelles personnes", Value: float64(fresh)},
			{Key: "connues", Label: "Personnes déjà connues", Value: float64(all - fresh)},
		}, err
	}
	reportQueries["personnes.anonymes"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.interventionWhere()
		q := `select a.age_band, coalesce(sum(a.count), 0) from intervention_anonymous a
			join interventions i on i.id = a.intervention_id ` + w.String() + " group by a.age_band"
		if sc.dailyOK() {
			w = sc.dailyWhere(dailyAnonymous)
			q = "select d.k1, sum(d.n) from report_daily d " + w.String() + " group by d.k1"
		}
		return t.byChoice(ctx, maillon.AgeBands, q, w.args)
	}
	// The three breakdowns of procedures read one grouped scan.
	procedures := func(cs maillon.Choices, key func(procGroup) string) reportQuery {
		return func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
			groups, err := t.procedureCore(ctx, sc)
			if err != nil {
				return nil, err
			}
			got := map[string]float64{}
			for _, g := range groups {
				got[key(g)] += g.count
			}
			rows := make([]maillon.ReportRow, 0, len(cs))
			for _, c := range cs {
				rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: got[c.Code]})
			}
			return rows, nil
		}
	}
	reportQueries["demarches.organisme"] = procedures(maillon.Organismes, func(g procGroup) string { return g.organisme })
	reportQueries["demarches.mode"] = procedures(maillon.ProcedureModes, func(g procGroup) string { return g.mode })
	reportQueries["demarches.issue"] = procedures(maillon.ProcedureOutcomes, func(g procGroup) string { return g.outcome })
	reportQueries["demarches.obstacle"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.interventionWhere()
		q := `select o.obstacle, count(*) from procedure_obstacles o
			join procedures p on p.id = o.procedure_id join interventions i on i.id = p.intervention_id ` + w.String() + " group by o.obstacle"
		if sc.dailyOK() {
			w = sc.dailyWhere(dailyObstacles)
			q = "select d.k1, sum(d.n) from report_daily d " + w.String() + " group by d.k1"
		}
		rows, err := t.byChoice(ctx, maillon.Obstacles, q, w.args)
		maillon.SortRowsByValue(rows)
		return rows, err
	}
	reportQueries["autonomie.evolution"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		// Each person's assessments up to the end of the period, in
		// order, read from an index holding every column read: those of
		// the people the period's (matching) assessments name, or, when
		// the period starts before the structure's first assessment and
		// has no filter, simply all of them (a report of the whole
		// history then makes one pass instead of a probe per person).
		q := `select a.person_id, a.assessed_at, a.level from autonomy_assessments a
			where a.structure_id = ? and a.assessed_at < ? order by a.person_id, a.assessed_at, a.id`
		args := []any{sc.sid, sc.f.Period.To}
		var first time.Time
		if sc.f.MediatorID == 0 && sc.f.TeamID == 0 {
			if err := t.rOne(ctx, "select min(assessed_at) from autonomy_assessments where structure_id = ?", []any{sc.sid}, timeCol{&first}); err != nil {
				return nil, err
			}
		}
		if first.IsZero() || first.Before(sc.f.Period.From) {
			var w whereBuilder
			w.add("a2.structure_id = ?", sc.sid)
			w.add("a2.assessed_at >= ?", sc.f.Period.From)
			w.add("a2.assessed_at < ?", sc.f.Period.To)
			sc.authorWhere(&w, "a2.recorded_by")
			q = `select a.person_id, a.assessed_at, a.level from autonomy_assessments a
			where a.structure_id = ? and a.assessed_at < ? and a.person_id in (select a2.person_id from autonomy_assessments a2 ` +
				w.String() + `) order by a.person_id, a.assessed_at, a.id`
			args = append(args, w.args...)
		}
		var up, same, down int64
		var cur maillon.PersonID
		var ref, last int
		seen := false // an assessment of cur in the period
		flush := func() {
			switch {
			case !seen:
			case last > ref:
				up++
			case last < ref:
				down++
			default:
				same++
			}
		}
		err := t.rMany(ctx, q, args, func(r *sql.Rows) error {
			var pid maillon.PersonID
			var at time.Time
			var level int
			if err := r.Scan(&pid, timeCol{&at}, &level); err != nil {
				return err
			}
			if pid != cur {
				flush()
				cur, ref, last, seen = pid, 0, 0, false
			}
			if at.Before(sc.f.Period.From) {
				ref = level
				return nil
			}
			seen = true
			if ref == 0 {
				ref = level
			}
			last = level
			return nil
		})
		flush()
		return []maillon.ReportRow{
			{Key: "hausse", Label: "Niveau en hausse", Value: float64(up)},
			{Key: "stable", Label: "Niveau stable", Value: float64(same)},
			{Key: "baisse", Label: "Niveau en baisse", Value: float64(down)},
		}, err
	}
}

// peopleFromDays is personnes.identifiees read from the summary: the
// period's people, of whom the new ones are those whose first day falls
// in it.
func (t *tx) peopleFromDays(ctx context.Context, sc *reportScope) ([]maillon.ReportRow, error) {
	from, to := sc.dayBounds()
	var all, fresh int64
	if err := t.rOne(ctx, `select count(distinct person_id) from report_person_days
		where structure_id = ? and day >= ? and day < ?`, []any{sc.sid, from, to}, &all); err != nil {
		return nil, err
	}
	if err := t.rOne(ctx, `select count(*) from report_person_first
		where structure_id = ? and first_day >= ? and first_day < ?`, []any{sc.sid, from, to}, &fresh); err != nil {
		return nil, err
	}
	return []maillon.ReportRow{
		{Key: "nouvelles", Label: "Nouvelles personnes", Value: float64(fresh)},
		{Key: "connues", Label: "Personnes déjà connues", Value: float64(all - fresh)},
	}, nil
}

// ---------------------------------------------------------------------
// Tournées.

func (sc *reportScope) tourneeWhere() *whereBuilder {
	f := sc.f
	var w whereBuilder
	w.add("tr.structure_id = ?", sc.sid)
	w.add("tr.start_at >= ?", f.Period.From)
	w.add("tr.start_at < ?", f.Period.To)
	if f.MediatorID != 0 {
		w.add("exists (select 1 from tournee_members m where m.tournee_id = tr.id and m.user_id = ?)", f.MediatorID)
	}
	if f.TeamID != 0 {
		w.add(`exists (select 1 from tournee_members m join users u on u.id = m.user_id
			where m.tournee_id = tr.id and u.team_id = ?)`, f.TeamID)
	}
	sc.placeWhere(&w, "tr.zone_id", "tr.commune_id")
	return &w
}

func init() {
	reportQueries["tournees.nombre"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.tourneeWhere()
		var n int64
		err := t.rOne(ctx, "select count(*) from tournees tr "+w.String(), w.args, &n)
		return single("Tournées", float64(n)), err
	}
	reportQueries["tournees.duree"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.tourneeWhere()
		w.add("tr.end_at is not null")
		var minutes float64
		err := t.rMany(ctx, "select tr.start_at, tr.end_at from tournees tr "+w.String(), w.args, func(r *sql.Rows) error {
			var from, to time.Time
			if err := r.Scan(timeCol{&from}, timeCol{&to}); err != nil {
				return err
			}
			minutes += float64(to.Sub(from) / time.Minute)
			return nil
		})
		return single("Heures de présence", minutes), err
	}
	reportQueries["tournees.comptages"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.tourneeWhere()
		return t.byChoice(ctx, maillon.TourneeCounters, `select c.counter, coalesce(sum(c.n), 0) from tournee_counts c
			join tournees tr on tr.id = c.tournee_id `+w.String()+" group by c.counter", w.args)
	}
}

// ---------------------------------------------------------------------
// Mediations.

// mediationWhere filters mediations (alias m) placed in the period by
// dateCol. The team filter takes the mediation's team or its mediator's,
// as Mediation.VisibleTo does.
func (sc *reportScope) mediationWhere(dateCol string) *whereBuilder {
	f := sc.f
	var w whereBuilder
	w.add("m.structure_id = ?", sc.sid)
	w.add(dateCol+" >= ?", f.Period.From)
	w.add(dateCol+" < ?", f.Period.To)
	sc.mediationPeople(&w)
	return &w
}

// mediationPeople adds the mediator, team and place filters.
func (sc *reportScope) mediationPeople(w *whereBuilder) {
	f := sc.f
	if f.MediatorID != 0 {
		w.add("m.mediator_id = ?", f.MediatorID)
	}
	if f.TeamID != 0 {
		w.add("(m.team_id = ? or m.mediator_id in (select id from users where team_id = ?))", f.TeamID, f.TeamID)
	}
	sc.placeWhere(w, "m.zone_id", "m.commune_id")
}

func init() {
	reportQueries["mediations.type"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.mediationWhere("m.origin_on")
		return t.byChoice(ctx, maillon.MediationKinds, "select m.kind, count(*) from mediations m "+w.String()+" group by m.kind", w.args)
	}
	reportQueries["mediations.issue"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.mediationWhere("m.closed_at")
		w.add("m.status = ?", maillon.MediationCloturee)
		return t.byChoice(ctx, maillon.MediationOutcomes, "select m.outcome, count(*) from mediations m "+w.String()+" group by m.outcome", w.args)
	}
	reportQueries["mediations.ouvertes"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		var rows []maillon.ReportRow
		for _, c := range maillon.MediationAges {
			var w whereBuilder
			w.add("m.structure_id = ?", sc.sid)
			w.add("m.status <> ?", maillon.MediationCloturee)
			from, to := maillon.MediationFilter{Age: c.Code}.AgeBounds(t.now)
			if !from.IsZero() {
				w.add("m.origin_on >= ?", from)
			}
			if !to.IsZero() {
				w.add("m.origin_on < ?", to)
			}
			sc.mediationPeople(&w)
			var n int64
			if err := t.rOne(ctx, "select count(*) from mediations m "+w.String(), w.args, &n); err != nil {
				return nil, err
			}
			rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: float64(n)})
		}
		return rows, nil
	}
	reportQueries["mediations.duree"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.mediationWhere("m.closed_at")
		w.add("m.status = ?", maillon.MediationCloturee)
		return t.meanDays(ctx, "Durée moyenne", "select m.origin_on, m.closed_at from mediations m "+w.String(), w.args)
	}
}

// ---------------------------------------------------------------------
// Orientations.

func (sc *reportScope) orientationWhere() *whereBuilder {
	var w whereBuilder
	w.add("o.structure_id = ?", sc.sid)
	w.add("o.created_at >= ?", sc.f.Period.From)
	w.add("o.created_at < ?", sc.f.Period.To)
	sc.authorWhere(&w, "o.created_by")
	return &w
}

func init() {
	reportQueries["orientations.statut"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.orientationWhere()
		q := "select o.status, count(*) from orientations o " + w.String() + " group by o.status"
		if sc.dailyOrientationsOK() {
			w = sc.dailyWhere(dailyOrientations)
			q = "select d.k1, sum(d.n) from report_daily d " + w.String() + " group by d.k1"
		}
		return t.byChoice(ctx, maillon.OrientationStatuses, q, w.args)
	}
	reportQueries["orientations.retour"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.orientationWhere()
		q := "select coalesce(sum(case when o.outcome_at is not null then 1 else 0 end), 0), count(*) from orientations o " + w.String()
		if sc.dailyOrientationsOK() {
			w = sc.dailyWhere(dailyOrientations)
			q = "select coalesce(sum(case when d.k2 = '1' then d.n else 0 end), 0), coalesce(sum(d.n), 0) from report_daily d " + w.String()
		}
		var n, of int64
		err := t.rOne(ctx, q, w.args, &n, &of)
		return []maillon.ReportRow{maillon.Percent("", "Avec retour", n, of)}, err
	}
	reportQueries["orientations.en_attente"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		var w whereBuilder
		w.add("o.structure_id = ?", sc.sid)
		w.add("o.status in (?, ?)", maillon.OrientationProposee, maillon.OrientationTransmise)
		sc.authorWhere(&w, "o.created_by")
		today, _ := maillon.ParseDay("", t.now)
		var late, other int64
		err := t.rOne(ctx, `select coalesce(sum(case when o.expected_on < ? then 1 else 0 end), 0),
			coalesce(sum(case when o.expected_on is null or o.expected_on >= ? then 1 else 0 end), 0) from orientations o `+w.String(),
			append([]any{today, today}, w.args...), &late, &other)
		return []maillon.ReportRow{
			{Key: "depasse", Label: "Date de retour dépassée", Value: float64(late)},
			{Key: "a_venir", Label: "Retour attendu plus tard ou sans date", Value: float64(other)},
		}, err
	}
	reportQueries["orientations.delai"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		if sc.dailyOrientationsOK() {
			w := sc.dailyWhere(dailyOrientations)
			w.add("d.k2 = '1'")
			var n int64
			var sum float64
			if err := t.rOne(ctx, "select coalesce(sum(d.n), 0), coalesce(sum(d.total), 0) from report_daily d "+w.String(), w.args, &n, &sum); err != nil {
				return nil, err
			}
			row := maillon.ReportRow{Label: "Délai moyen", Count: n, Of: n}
			if n > 0 {
				row.Value = sum / float64(n)
			}
			return []maillon.ReportRow{row}, nil
		}
		w := sc.orientationWhere()
		w.add("o.outcome_at is not null")
		return t.meanDays(ctx, "Délai moyen", "select coalesce(o.transmitted_at, o.created_at), o.outcome_at from orientations o "+w.String(), w.args)
	}
}

// ---------------------------------------------------------------------
// Veille.

func (sc *reportScope) veilleWhere(dateCol string, placed bool) *whereBuilder {
	var w whereBuilder
	w.add("v.structure_id = ?", sc.sid)
	w.add(dateCol+" >= ?", sc.f.Period.From)
	w.add(dateCol+" < ?", sc.f.Period.To)
	sc.authorWhere(&w, "v.created_by")
	if placed {
		sc.placeWhere(&w, "v.zone_id", "")
	}
	return &w
}

func init() {
	reportQueries["veille.observations"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.veilleWhere("v.observed_on", true)
		return t.byChoice(ctx, maillon.VeilleKinds, "select v.kind, count(*) from veille_observations v "+w.String()+" group by v.kind", w.args)
	}
	reportQueries["veille.risques"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.veilleWhere("v.seen_on", false)
		return t.byChoice(ctx, maillon.RiskCategories, "select v.category, count(*) from veille_risks v "+w.String()+" group by v.category", w.args)
	}
	reportQueries["veille.technique"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.veilleWhere("v.reported_on", true)
		return t.byChoice(ctx, maillon.TechCategories, "select v.category, count(*) from veille_tech v "+w.String()+" group by v.category", w.args)
	}
	reportQueries["veille.technique_resolus"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.veilleWhere("v.reported_on", true)
		var n, of int64
		err := t.rOne(ctx, "select coalesce(sum(case when v.resolved_on is not null then 1 else 0 end), 0), count(*) from veille_tech v "+
			w.String(), w.args, &n, &of)
		return []maillon.ReportRow{maillon.Percent("", "Résolus", n, of)}, err
	}
	reportQueries["veille.technique_delai"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		w := sc.veilleWhere("v.reported_on", true)
		w.add("v.resolved_on is not null")
		return t.meanDays(ctx, "Délai moyen", "select v.reported_on, v.resolved_on from veille_tech v "+w.String(), w.args)
	}
}

// ---------------------------------------------------------------------
// The partner directory.

func init() {
	reportQueries["annuaire.fraicheur"] = func(ctx context.Context, t *tx, sc *reportScope) ([]maillon.ReportRow, error) {
		ds, err := t.directorySettings(ctx, sc.sid)
		if err != nil {
			return nil, err
		}
		var rows []maillon.ReportRow
		for _, c := range maillon.FreshnessStatuses {
			var w whereBuilder
			w.add("v.owner_id = ?", sc.sid)
			after, upTo := ds.Bounds(c.Code, t.now)
			if !after.IsZero() {
				w.add("v.fresh_on > ?", after)
			}
			if !upTo.IsZero() {
				w.add("v.fresh_on <= ?", upTo)
			}
			var n int64
			if err := t.rOne(ctx, "select count(*) from directory_services v "+w.String(), w.args, &n); err != nil {
				return nil, err
			}
			rows = append(rows, maillon.ReportRow{Key: c.Code, Label: c.Label, Value: float64(n)})
		}
		return rows, nil
	}
}
