package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"maillon"
)

// An export is one query per table whose rows are handed to the sink as
// the driver reads them: nothing is gathered, so exporting a million
// interventions takes the memory of one row. Multi-valued fields are
// aggregated in correlated subqueries (string_agg … order by, which
// SQLite ≥ 3.44 and PostgreSQL both know), and derived figures (days
// between two dates in Paris time) are computed in Go, so that the SQL is
// the same on both engines.

// exportQuery describes how to read one table.
type exportQuery struct {
	// sel is the select list, in the table's column order; nominative
	// columns are written {{nom expr}} and read as '' when not asked.
	sel  string
	from string
	// structure and period are the columns filtered by the structure and
	// the period; order sorts oldest first.
	structure, period, order string
	// team, mediator and scope are conditions: team takes a team ID,
	// mediator a user ID, scope (a mediator's own and team's facts) a
	// user ID then a team ID.
	team, mediator, scope string
	// scan reads a row into values (one per column exported).
	scan func(r *sql.Rows, s *exportScan, values []any, nominative bool) error
}

// personNameSQL is Person.DisplayName in SQL.
const personNameSQL = `case when p.first_name = '' and p.last_name = '' then
	(case when p.pseudonym <> '' then p.pseudonym else 'Personne n° ' || p.id end)
	else trim(p.first_name || ' ' || p.last_name) end`

var exportQueries = map[string]exportQuery{
	maillon.ExportInterventions: {
		sel: `i.id, i.start_at, i.minutes, i.outside_hours, i.registre,
	(select string_agg(r.registre, '|' order by r.registre) from intervention_registres r where r.intervention_id = i.id and r.registre <> i.registre),
	(select string_agg(th.theme, '|' order by th.theme) from intervention_themes th where th.intervention_id = i.id),
	i.place_type, c.name, z.name, i.initiative, i.outcome, i.commanditaire, i.institutions,
	(select string_agg(u.display_name, '|' order by u.display_name) from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id),
	(select count(*) from intervention_persons ip where ip.intervention_id = i.id),
	(select coalesce(sum(a.count), 0) from intervention_anonymous a where a.intervention_id = i.id),
	(select count(*) from procedures pr where pr.intervention_id = i.id),
	i.follow_up_on, i.follow_up_done,
	{{nom (select string_agg(` + personNameSQL + `, '|' order by p.sort_key) from intervention_persons ip join persons p on p.id = ip.person_id where ip.intervention_id = i.id)}},
	{{nom i.description}}`,
		from: `interventions i
left join communes c on c.id = i.commune_id
left join zones z on z.id = i.zone_id`,
		structure: "i.structure_id", period: "i.start_at", order: "i.start_at, i.id",
		team:     "exists (select 1 from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id and u.team_id = ?)",
		mediator: "exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)",
		scope:    "exists (select 1 from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id and (m.user_id = ? or u.team_id = ?))",
		scan: func(r *sql.Rows, s *exportScan, v []any, nom bool) error {
			var start time.Time
			if err := r.Scan(&s.id, timeCol{&start}, &s.i[0], &s.b[0], &s.s[0], &s.s[1], &s.s[2], &s.s[3], &s.s[4], &s.s[5],
				&s.s[6], &s.s[7], &s.s[8], &s.s[9], &s.s[10], &s.i[1], &s.i[2], &s.i[3], timeCol{&s.t[0]}, &s.b[1],
				&s.s[11], &s.s[12]); err != nil {
				return err
			}
			n := copy(v, []any{s.id, parisDay(start), start, s.i[0].Int64, s.b[0], str(s.s[0]), str(s.s[1]), str(s.s[2]),
				str(s.s[3]), str(s.s[4]), str(s.s[5]), str(s.s[6]), str(s.s[7]), str(s.s[8]), str(s.s[9]), str(s.s[10]),
				s.i[1].Int64, s.i[2].Int64, s.i[3].Int64, optTime(s.t[0]), s.b[1]})
			if nom {
				v[n], v[n+1] = str(s.s[11]), str(s.s[12])
			}
			return nil
		},
	},
	maillon.ExportProcedures: {
		sel: `pr.id, i.id, i.start_at, pr.organisme, pt.label, pr.label, pr.channel, pr.mode, pr.mandate,
	(select string_agg(o.obstacle, '|' order by o.obstacle) from procedure_obstacles o where o.procedure_id = pr.id),
	pr.outcome, pr.autonomy_level, pr.person_id,
	(select string_agg(u.display_name, '|' order by u.display_name) from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id),
	{{nom ` + personNameSQL + `}}`,
		from: `procedures pr
join interventions i on i.id = pr.intervention_id
left join procedure_types pt on pt.id = pr.type_id
left join persons p on p.id = pr.person_id`,
		structure: "i.structure_id", period: "i.start_at", order: "i.start_at, i.id, pr.id",
		team:     "exists (select 1 from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id and u.team_id = ?)",
		mediator: "exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)",
		scope:    "exists (select 1 from intervention_mediators m join users u on u.id = m.user_id where m.intervention_id = i.id and (m.user_id = ? or u.team_id = ?))",
		scan: func(r *sql.Rows, s *exportScan, v []any, nom bool) error {
			var start time.Time
			if err := r.Scan(&s.id, &s.i[0], timeCol{&start}, &s.s[0], &s.s[1], &s.s[2], &s.s[3], &s.s[4], &s.b[0],
				&s.s[5], &s.s[6], &s.i[1], &s.i[2], &s.s[7], &s.s[8]); err != nil {
				return err
			}
			var level any
			if s.i[1].Int64 > 0 {
				level = s.i[1].Int64
			}
			n := copy(v, []any{s.id, s.i[0].Int64, parisDay(start), str(s.s[0]), str(s.s[1]), str(s.s[2]), str(s.s[3]),
				str(s.s[4]), s.b[0], str(s.s[5]), str(s.s[6]), level, s.i[2].Valid, str(s.s[7])})
			if nom {
				v[n] = str(s.s[8])
			}
			return nil
		},
	},
	maillon.ExportTournees: {
		sel: `t.id, t.start_at, t.end_at, t.outside_hours, c.name, z.name,
	(select string_agg(u.display_name, '|' order by u.display_name) from tournee_members tm join users u on u.id = tm.user_id where tm.tournee_id = t.id),
	(select count(*) from tournee_observations o where o.tournee_id = t.id and o.kind = 'observation'),
	(select count(*) from tournee_observations o where o.tournee_id = t.id and o.kind = 'incident')` + tourneeCountsSQL(),
		from: `tournees t
left join communes c on c.id = t.commune_id
left join zones z on z.id = t.zone_id`,
		structure: "t.structure_id", period: "t.start_at", order: "t.start_at, t.id",
		team:     "exists (select 1 from tournee_members tm join users u on u.id = tm.user_id where tm.tournee_id = t.id and u.team_id = ?)",
		mediator: "exists (select 1 from tournee_members tm where tm.tournee_id = t.id and tm.user_id = ?)",
		scope:    "exists (select 1 from tournee_members tm join users u on u.id = tm.user_id where tm.tournee_id = t.id and (tm.user_id = ? or u.team_id = ?))",
		scan: func(r *sql.Rows, s *exportScan, v []any, _ bool) error {
			var start, end time.Time
			dest := []any{&s.id, timeCol{&start}, timeCol{&end}, &s.b[0], &s.s[0], &s.s[1], &s.s[2], &s.i[0], &s.i[1]}
			for i := range s.counts {
				dest = append(dest, &s.counts[i])
			}
			if err := r.Scan(dest...); err != nil {
				return err
			}
			var minutes any
			if !end.IsZero() {
				minutes = int64(end.Sub(start) / time.Minute)
			}
			n := copy(v, []any{s.id, parisDay(start), start, optTime(end), minutes, s.b[0], str(s.s[0]), str(s.s[1]),
				str(s.s[2]), s.i[0].Int64, s.i[1].Int64})
			for i, c := range s.counts {
				v[n+i] = c
			}
			return nil
		},
	},
	maillon.ExportMediations: {
		sel: `m.id, m.origin_on, m.kind, m.topic, m.origin, m.status, m.outcome, m.relay_target, m.scope_issues,
	m.closed_at, tm.name, u.display_name, c.name, z.name, m.party_count,
	(select count(*) from mediation_steps st where st.mediation_id = m.id),
	(select count(*) from mediation_commitments co where co.mediation_id = m.id),
	m.follow_up_on, m.follow_up_result, {{nom m.subject}},
	{{nom (select string_agg(case when pa.person_id is not null then ` + personNameSQL + ` else pa.label end, '|' order by pa.id)
		from mediation_parties pa left join persons p on p.id = pa.person_id where pa.mediation_id = m.id)}}`,
		from: `mediations m
left join teams tm on tm.id = m.team_id
left join users u on u.id = m.mediator_id
left join communes c on c.id = m.commune_id
left join zones z on z.id = m.zone_id`,
		structure: "m.structure_id", period: "m.origin_on", order: "m.origin_on, m.id",
		team:     "m.team_id = ?",
		mediator: "m.mediator_id = ?",
		scope:    "(m.mediator_id = ? or m.team_id = ?)",
		scan: func(r *sql.Rows, s *exportScan, v []any, nom bool) error {
			var origin, closed, follow time.Time
			if err := r.Scan(&s.id, timeCol{&origin}, &s.s[0], &s.s[1], &s.s[2], &s.s[3], &s.s[4], &s.s[5], &s.s[6],
				timeCol{&closed}, &s.s[7], &s.s[8], &s.s[9], &s.s[10], &s.i[0], &s.i[1], &s.i[2], timeCol{&follow},
				&s.s[11], &s.s[12], &s.s[13]); err != nil {
				return err
			}
			var days any
			if !closed.IsZero() {
				days = daysBetween(origin, closed)
			}
			n := copy(v, []any{s.id, parisDay(origin), str(s.s[0]), str(s.s[1]), str(s.s[2]), str(s.s[3]), str(s.s[4]),
				str(s.s[5]), strings.ReplaceAll(str(s.s[6]), ",", "|"), optDay(closed), days, str(s.s[7]), str(s.s[8]),
				str(s.s[9]), str(s.s[10]), s.i[0].Int64, s.i[1].Int64, s.i[2].Int64, optDay(follow), str(s.s[11])})
			if nom {
				v[n], v[n+1] = str(s.s[12]), str(s.s[13])
			}
			return nil
		},
	},
	maillon.ExportOrientations: {
		sel: `o.id, o.created_at, o.partner_name, o.mode, o.status, o.shared_items, o.transmitted_at, o.expected_on,
	o.outcome_at, o.outcome_source, o.closure_reason, o.intervention_id, o.person_id, u.display_name,
	{{nom ` + personNameSQL + `}}, {{nom o.reason}}`,
		from: `orientations o
left join users u on u.id = o.created_by
left join persons p on p.id = o.person_id`,
		structure: "o.structure_id", period: "o.created_at", order: "o.created_at, o.id",
		team:     "o.created_by in (select id from users where team_id = ?)",
		mediator: "o.created_by = ?",
		scope:    "(o.created_by = ? or o.created_by in (select id from users where team_id = ?))",
		scan: func(r *sql.Rows, s *exportScan, v []any, nom bool) error {
			var created, transmitted, expected, outcome time.Time
			if err := r.Scan(&s.id, timeCol{&created}, &s.s[0], &s.s[1], &s.s[2], &s.s[3], timeCol{&transmitted},
				timeCol{&expected}, timeCol{&outcome}, &s.s[4], &s.s[5], &s.i[0], &s.i[1], &s.s[6], &s.s[7],
				&s.s[8]); err != nil {
				return err
			}
			var delay, ivID any
			if !outcome.IsZero() {
				delay = daysBetween(created, outcome)
			}
			if s.i[0].Valid {
				ivID = s.i[0].Int64
			}
			src := str(s.s[4])
			n := copy(v, []any{s.id, parisDay(created), str(s.s[0]), str(s.s[1]), str(s.s[2]),
				strings.ReplaceAll(str(s.s[3]), ",", "|"), optDay(transmitted), optDay(expected), optDay(outcome), src,
				src == "partenaire" || src == "partenaire_lien", delay, str(s.s[5]), ivID, s.i[1].Valid, str(s.s[6])})
			if nom {
				v[n], v[n+1] = str(s.s[7]), str(s.s[8])
			}
			return nil
		},
	},
}

// The collective actions' tables. A mediator's scope is the actions
// they own or their team's, as on the actions' list.
func init() {
	exportQueries[maillon.ExportSeances] = exportQuery{
		sel: `s.id, a.id, a.title, a.kind, a.status, s.starts_at, s.ends_at, s.place, s.capacity, s.registered, s.waiting,
	s.attendance_done, s.present, (select coalesce(sum(tl.count), 0) from seance_tallies tl where tl.seance_id = s.id), s.answers`,
		from:      `seances s join activites a on a.id = s.activite_id`,
		structure: "s.structure_id", period: "s.starts_at", order: "s.starts_at, s.id",
		team:     "a.team_id = ?",
		mediator: "a.owner_id = ?",
		scope:    "(a.owner_id = ? or a.team_id = ?)",
		scan: func(r *sql.Rows, s *exportScan, v []any, _ bool) error {
			var start, end time.Time
			var capacity, registered, waiting, present, tallied, answers int64
			if err := r.Scan(&s.id, &s.i[0], &s.s[0], &s.s[1], &s.s[2], timeCol{&start}, timeCol{&end}, &s.s[3], &capacity,
				&registered, &waiting, &s.b[0], &present, &tallied, &answers); err != nil {
				return err
			}
			copy(v, []any{s.id, s.i[0].Int64, str(s.s[0]), str(s.s[1]), str(s.s[2]), parisDay(start), start,
				int64(end.Sub(start) / time.Minute), str(s.s[3]), capacity, registered, waiting, s.b[0], present, tallied, answers})
			return nil
		},
	}
	exportQueries[maillon.ExportTallies] = exportQuery{
		sel: `tl.seance_id, a.id, s.starts_at, tl.age_band, tl.gender, z.name, tl.newcomer, tl.count`,
		from: `seance_tallies tl
join seances s on s.id = tl.seance_id
join activites a on a.id = s.activite_id
left join zones z on z.id = tl.zone_id`,
		structure: "s.structure_id", period: "s.starts_at", order: "s.starts_at, s.id, tl.id",
		team:     "a.team_id = ?",
		mediator: "a.owner_id = ?",
		scope:    "(a.owner_id = ? or a.team_id = ?)",
		scan: func(r *sql.Rows, s *exportScan, v []any, _ bool) error {
			var start time.Time
			var count int64
			if err := r.Scan(&s.id, &s.i[0], timeCol{&start}, &s.s[0], &s.s[1], &s.s[2], &s.b[0], &count); err != nil {
				return err
			}
			copy(v, []any{s.id, s.i[0].Int64, parisDay(start), str(s.s[0]), str(s.s[1]), str(s.s[2]), s.b[0], count})
			return nil
		},
	}
}

// tourneeCountsSQL reads every counter of a tournée, one column each, in
// TourneeCounterCodes order (a missing row is a zero).
func tourneeCountsSQL() string {
	var b strings.Builder
	for _, code := range maillon.TourneeCounterCodes() {
		fmt.Fprintf(&b, ",\n\tcoalesce((select n from tournee_counts k where k.tournee_id = t.id and k.counter = '%s'), 0)", code)
	}
	return b.String()
}

// exportScan holds the scan destinations of a row, reused for every row.
type exportScan struct {
	id     int64
	s      [16]sql.NullString
	i      [4]sql.NullInt64
	b      [2]bool
	t      [1]time.Time
	counts []int64
}

func str(s sql.NullString) string { return s.String }

// parisDay is the Paris day of t, as the Paris midnight the writers print
// as a date.
func parisDay(t time.Time) time.Time {
	p := maillon.InParis(t)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, maillon.Paris)
}

// optTime and optDay give nil (an empty cell) for a zero time.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func optDay(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return parisDay(t)
}

// daysBetween counts the calendar days from a to b in Paris time.
func daysBetween(a, b time.Time) int64 {
	da, db := maillon.InParis(a), maillon.InParis(b)
	ua := time.Date(da.Year(), da.Month(), da.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(db.Year(), db.Month(), db.Day(), 0, 0, 0, 0, time.UTC)
	return int64(ub.Sub(ua) / (24 * time.Hour))
}

// exportSQL builds the query of a table: its select list (nominative
// columns or empty strings) or a count, and its conditions.
func exportSQL(actor maillon.Actor, q exportQuery, o maillon.ExportOptions, count bool) (string, []any) {
	var w whereBuilder
	if !o.AllStructures {
		w.add(q.structure+" = ?", o.StructureID)
	}
	w.add(q.period+" >= ?", o.From)
	w.add(q.period+" < ?", o.To)
	if o.TeamID != 0 {
		w.add(q.team, o.TeamID)
	}
	if o.MediatorID != 0 {
		w.add(q.mediator, o.MediatorID)
	}
	if !actor.Operator && !actor.ExportScopeAll(o.StructureID) {
		w.add(q.scope, actor.UserID, actor.TeamID)
	}
	if count {
		return "select count(*)\nfrom " + q.from + "\n" + w.String(), w.args
	}
	sel := q.sel
	for {
		i := strings.Index(sel, "{{nom ")
		if i < 0 {
			break
		}
		j := strings.Index(sel[i:], "}}") + i
		expr := sel[i+len("{{nom ") : j]
		if !o.Nominative {
			expr = "''"
		}
		sel = sel[:i] + expr + sel[j+2:]
	}
	// The structure first: one structure's rows come in its index order,
	// and the operator's export of every structure needs no sort either.
	return "select " + sel + "\nfrom " + q.from + "\n" + w.String() + "\norder by " + q.structure + ", " + q.order, w.args
}

// checkExport applies the rights shared by Export and CountExport.
func checkExport(actor maillon.Actor, o maillon.ExportOptions) error {
	if err := actor.Check(); err != nil {
		return err
	}
	switch {
	case o.AllStructures:
		if !actor.Operator {
			return maillon.Forbidden()
		}
	case o.StructureID == 0 || !actor.CanExport(o.StructureID):
		return maillon.Forbidden()
	}
	if o.Nominative && !actor.CanExportNominative(o.StructureID) {
		return maillon.Forbidden()
	}
	if o.Nominative && o.Shared {
		return maillon.Errorf(maillon.ErrInvalid, "Un export à diffuser hors de la structure ne peut pas être nominatif.")
	}
	if len(o.Tables) == 0 || o.From.IsZero() || !o.To.After(o.From) {
		return maillon.Errorf(maillon.ErrInvalid, "Export incomplet : indiquez le type et la période.")
	}
	for _, t := range o.Tables {
		if _, ok := exportQueries[t.Kind]; !ok {
			return maillon.Errorf(maillon.ErrInvalid, "Export inconnu : %s.", t.Kind)
		}
	}
	return nil
}

// Export implements maillon.ExportService. The audit row (its fields
// say "diffusion" for the shared variant) is committed
// before the rows are read: the export is traced even when the download
// is interrupted, and the writer connection is not held while a large
// file streams.
func (s *Store) Export(ctx context.Context, actor maillon.Actor, o maillon.ExportOptions, sink maillon.ExportSink) (err error) {
	defer wrap(&err, "Export")
	if err := checkExport(actor, o); err != nil {
		return err
	}
	err = s.write(ctx, func(t *tx) error {
		return t.audit(ctx, actor, auditRow{structureID: o.StructureID, action: maillon.AuditExport,
			recordType: "export", fields: o.AuditFields()})
	})
	if err != nil {
		return err
	}
	// The shared variant reads the plain columns and leaves the sink
	// only what may leave the structure.
	var shared *maillon.SharedSink
	if o.Shared {
		shared = maillon.NewSharedSink(sink)
		sink = shared
	}
	return s.read(ctx, func(t *tx) error {
		for _, table := range o.Tables {
			q := exportQueries[table.Kind]
			cols := table.ColumnsFor(o.Nominative)
			if err := sink.Begin(table, cols); err != nil {
				return err
			}
			sc := &exportScan{counts: make([]int64, len(maillon.TourneeCounterCodes()))}
			values := make([]any, len(cols))
			query, args := exportSQL(actor, q, o, false)
			err := t.many(ctx, query, args, func(r *sql.Rows) error {
				clear(values)
				if err := q.scan(r, sc, values, o.Nominative); err != nil {
					return err
				}
				return sink.Row(values)
			})
			if err != nil {
				return err
			}
		}
		if shared != nil {
			return shared.Flush()
		}
		return nil
	})
}

// CountExport implements maillon.ExportService.
func (s *Store) CountExport(ctx context.Context, actor maillon.Actor, o maillon.ExportOptions) (counts []int, err error) {
	defer wrap(&err, "CountExport")
	if err := checkExport(actor, o); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		for _, table := range o.Tables {
			query, args := exportSQL(actor, exportQueries[table.Kind], o, true)
			var n int
			if err := t.one(ctx, query, args, &n); err != nil {
				return err
			}
			counts = append(counts, n)
		}
		return nil
	})
	return counts, err
}
