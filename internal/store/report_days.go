package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"maillon"
)

// The daily summary of the report (docs/performance.md §13). A
// structure's annual report joined a year of interventions with their
// themes, mediators, people, procedures and obstacles, and of sessions
// with their registrations, tallies and answers: about 1.5 s for 50,000
// interventions, 10 s over a million. A report without filters now reads
// report_daily, per Paris day, report_person_days and
// report_participant_days.
//
// The summary is kept by recomputation, not by counting in triggers:
// triggers only mark the UTC day of every changed intervention, linked
// row, orientation, session or session row in report_dirty (migrations
// 20261130-06 and -08), and the
// next report that reads the summary first recomputes the marked days
// from the records, with the same definitions as the detailed queries
// (a test compares both on the demo). A report with filters reads the
// records directly, as before.

// Kinds of report_daily rows, and their keys.
const (
	dailyInterventions = "iv"           // k1 registre, k2 place type, k3 outside hours "1"/"0"; total minutes
	dailyPairs         = "binome"       // interventions with two mediators or more
	dailyThemes        = "theme"        // k1 theme
	dailyAnonymous     = "anon"         // k1 age band; n the sum of the counts
	dailyProcedures    = "proc"         // k1 organisme, k2 mode, k3 outcome
	dailyObstacles     = "obstacle"     // k1 obstacle
	dailyOrientations  = "orientation"  // k1 status, k2 outcome known "1"/"0"; total days of delay
	dailySeances       = "seance"       // k1 attendance done "1"/"0", k2 the project's kind, k3 project cancelled "1"/"0"; total present
	dailyTallies       = "tally"        // k1 attendance done, k2 newcomer "1"/"0"; n the sum of the counts
	dailyAnswers       = "answer"       // k1 source
	dailyAnswerLevels  = "answer_level" // k1 level 1–4; n the questions answered at that level
)

// maxDirtyPerRound bounds the marks one recomputation takes, so that the
// first report after a large change holds the writer for a bounded time
// per transaction.
const maxDirtyPerRound = 200

var (
	importDaily      = importTable{"report_daily", false, []string{"structure_id", "day", "kind", "k1", "k2", "k3", "n", "total"}}
	importPersonDays = importTable{"report_person_days", false, []string{"structure_id", "person_id", "day"}}
	// importParticipantDays: the registered people present at a held
	// session, once per Paris day.
	importParticipantDays = importTable{"report_participant_days", false, []string{"structure_id", "person_id", "day"}}
	importProjectDays     = importTable{"report_project_days", false, []string{"structure_id", "activite_id", "day", "held", "presences", "newcomers"}}
)

// dayKey is the Paris day of an instant, as stored in the summary.
func dayKey(t time.Time) string { return maillon.InParis(t).Format(time.DateOnly) }

// parisMidnight is the start of a Paris day given as YYYY-MM-DD.
func parisMidnight(day string) time.Time {
	d, _ := time.ParseInLocation(time.DateOnly, day, maillon.Paris)
	return d
}

// isParisMidnight tells whether a period bound falls on a day boundary,
// the only bounds the summary can answer.
func isParisMidnight(t time.Time) bool {
	p := maillon.InParis(t)
	return p.Hour() == 0 && p.Minute() == 0 && p.Second() == 0 && p.Nanosecond() == 0
}

// dailyOK tells whether the scope's interventions (and procedures) can be
// read from the summary: no filter, day bounds, and no test forcing the
// detailed queries.
func (sc *reportScope) dailyOK() bool {
	return sc.daily && len(sc.f.Active()) == 0
}

// dailyOrientationsOK is dailyOK for orientations, which only apply the
// team and mediator filters.
func (sc *reportScope) dailyOrientationsOK() bool {
	return sc.daily && sc.f.TeamID == 0 && sc.f.MediatorID == 0
}

// dayBounds are the period's first day and the day after its last.
func (sc *reportScope) dayBounds() (string, string) {
	return dayKey(sc.f.Period.From), dayKey(sc.f.Period.To)
}

// dailyWhere selects a kind of summary row over the period.
func (sc *reportScope) dailyWhere(kind string) *whereBuilder {
	from, to := sc.dayBounds()
	var w whereBuilder
	w.add("d.structure_id = ?", sc.sid)
	w.add("d.kind = ?", kind)
	w.add("d.day >= ?", from)
	w.add("d.day < ?", to)
	return &w
}

// refreshReportDays recomputes the marked days of a structure's summary,
// a bounded batch per write transaction, until none is left (each round
// takes the oldest marks, so writers marking today cannot starve it).
// The check for marks is one index probe on the reader.
func (s *Store) refreshReportDays(ctx context.Context, sid maillon.StructureID) error {
	for {
		var marked int
		err := s.readEach(ctx, func(t *tx) error {
			return t.one(ctx, "select count(*) from (select 1 from report_dirty where structure_id = ? limit 1) x", []any{sid}, &marked)
		})
		if err != nil || marked == 0 {
			return err
		}
		stmts, err := s.importStatements(ctx, importDaily, importPersonDays, importParticipantDays, importProjectDays)
		if err != nil {
			return err
		}
		if err := s.write(ctx, func(t *tx) error { return t.recomputeReportDays(ctx, sid, stmts) }); err != nil {
			return err
		}
	}
}

// reportMark is a UTC day of a structure to summarise again.
type reportMark struct {
	sid maillon.StructureID
	day string
}

// pauseReportMarks is what a bulk import does first in its transaction:
// the triggers stop marking (one check per row instead of a lookup and
// an insert), and the import's days are marked once each. The import
// calls resumeReportMarks before it commits.
func (t *tx) pauseReportMarks(ctx context.Context, marks map[reportMark]bool) error {
	if _, err := t.exec(ctx, "insert into report_paused (one) values (1)"); err != nil {
		return err
	}
	for m := range marks {
		if _, err := t.exec(ctx, "insert into report_dirty (structure_id, day) values (?, ?) on conflict do nothing", m.sid, m.day); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) resumeReportMarks(ctx context.Context) error {
	_, err := t.exec(ctx, "delete from report_paused")
	return err
}

// refreshAllReportDays recomputes every structure's marked days; the
// bulk import calls it once at the end, so that the first report is as
// fast as the next ones.
func (s *Store) refreshAllReportDays(ctx context.Context) error {
	var sids []maillon.StructureID
	err := s.readEach(ctx, func(t *tx) error {
		return t.many(ctx, "select distinct structure_id from report_dirty order by structure_id", nil, func(r *sql.Rows) error {
			var sid maillon.StructureID
			if err := r.Scan(&sid); err != nil {
				return err
			}
			sids = append(sids, sid)
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, sid := range sids {
		if err := s.refreshReportDays(ctx, sid); err != nil {
			return err
		}
	}
	return nil
}

// recomputeReportDays takes up to maxDirtyPerRound marks of the structure
// and recomputes the Paris days they touch. An instant of UTC day d falls
// on Paris day d or d+1.
func (t *tx) recomputeReportDays(ctx context.Context, sid maillon.StructureID, stmts map[string]*sql.Stmt) error {
	// Two recomputations of one structure take turns on this row
	// (PostgreSQL); SQLite has one writer anyway.
	if _, err := t.exec(ctx, `insert into report_refreshes (structure_id, refreshed_at) values (?, ?)
		on conflict (structure_id) do update set refreshed_at = excluded.refreshed_at`, sid, t.now); err != nil {
		return err
	}
	// The marks go first: a change committed after this statement marks
	// its day again, and the queries below see what was committed
	// before it.
	var marks []string
	err := t.many(ctx, `delete from report_dirty where structure_id = ? and day in
		(select day from report_dirty where structure_id = ? order by day limit ?) returning day`, []any{sid, sid, maxDirtyPerRound},
		func(r *sql.Rows) error {
			var d string
			if err := r.Scan(&d); err != nil {
				return err
			}
			marks = append(marks, d)
			return nil
		})
	if err != nil {
		return err
	}
	// The Paris days to recompute, as ranges of consecutive days.
	var days []string
	for _, m := range marks {
		if _, err := time.Parse(time.DateOnly, m); err != nil {
			continue // not a day: nothing is stored under it
		}
		days = append(days, m, nextDay(m))
	}
	slices.Sort(days)
	days = slices.Compact(days)
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && nextDay(days[j]) == days[j+1] {
			j++
		}
		if err := t.recomputeDayRange(ctx, sid, days[i], nextDay(days[j]), stmts); err != nil {
			return err
		}
		i = j + 1
	}
	return nil
}

func nextDay(day string) string {
	d, _ := time.Parse(time.DateOnly, day)
	return d.AddDate(0, 0, 1).Format(time.DateOnly)
}

// dailyKey is one summary row being computed.
type dailyKey struct{ day, kind, k1, k2, k3 string }

type dailyFigure struct {
	n     int64
	total float64
}

// recomputeDayRange replaces the summary of the Paris days [from, to) of
// a structure by the figures of its records.
func (t *tx) recomputeDayRange(ctx context.Context, sid maillon.StructureID, from, to string, stmts map[string]*sql.Stmt) error {
	if _, err := t.exec(ctx, "delete from report_daily where structure_id = ? and day >= ? and day < ?", sid, from, to); err != nil {
		return err
	}
	// The people of the range's days before and after: their first day
	// is looked up again at the end.
	touched := map[int64]bool{}
	err := t.many(ctx, "select distinct person_id from report_person_days where structure_id = ? and day >= ? and day < ?", []any{sid, from, to},
		func(r *sql.Rows) error {
			var pid int64
			if err := r.Scan(&pid); err != nil {
				return err
			}
			touched[pid] = true
			return nil
		})
	if err != nil {
		return err
	}
	// Likewise the projects, for their totals.
	touchedProjects := map[int64]bool{}
	err = t.many(ctx, "select distinct activite_id from report_project_days where structure_id = ? and day >= ? and day < ?", []any{sid, from, to},
		func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			touchedProjects[id] = true
			return nil
		})
	if err != nil {
		return err
	}
	for _, table := range []string{"report_person_days", "report_participant_days", "report_project_days"} {
		if _, err := t.exec(ctx, "delete from "+table+" where structure_id = ? and day >= ? and day < ?", sid, from, to); err != nil {
			return err
		}
	}
	start, end := parisMidnight(from), parisMidnight(to)
	figures := map[dailyKey]*dailyFigure{}
	add := func(k dailyKey, n int64, total float64) {
		f := figures[k]
		if f == nil {
			f = &dailyFigure{}
			figures[k] = f
		}
		f.n += n
		f.total += total
	}
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	// The interventions of the range (alias i), and the same joined with a
	// linked table.
	ivRange := " i.structure_id = ? and i.start_at >= ? and i.start_at < ?"
	args := []any{sid, start, end}
	var at time.Time
	var a, b, c string
	err = t.many(ctx, "select i.start_at, i.registre, i.place_type, i.outside_hours, i.minutes from interventions i where"+ivRange, args,
		func(r *sql.Rows) error {
			var outside bool
			var minutes int64
			if err := r.Scan(timeCol{&at}, &a, &b, &outside, &minutes); err != nil {
				return err
			}
			add(dailyKey{dayKey(at), dailyInterventions, a, b, flag(outside)}, 1, float64(minutes))
			return nil
		})
	if err != nil {
		return err
	}
	// one reads (start, key) rows of a linked table into kind.
	one := func(kind, q string) error {
		return t.many(ctx, q, args, func(r *sql.Rows) error {
			if err := r.Scan(timeCol{&at}, &a); err != nil {
				return err
			}
			add(dailyKey{dayKey(at), kind, a, "", ""}, 1, 0)
			return nil
		})
	}
	if err := one(dailyPairs, `select i.start_at, '' from interventions i join intervention_mediators m on m.intervention_id = i.id
		where`+ivRange+" group by i.id, i.start_at having count(*) > 1"); err != nil {
		return err
	}
	if err := one(dailyThemes, "select i.start_at, th.theme from interventions i join intervention_themes th on th.intervention_id = i.id where"+ivRange); err != nil {
		return err
	}
	if err := one(dailyObstacles, `select i.start_at, o.obstacle from procedure_obstacles o join procedures p on p.id = o.procedure_id
		join interventions i on i.id = p.intervention_id where`+ivRange); err != nil {
		return err
	}
	err = t.many(ctx, "select i.start_at, a.age_band, a.count from intervention_anonymous a join interventions i on i.id = a.intervention_id where"+ivRange, args,
		func(r *sql.Rows) error {
			var n int64
			if err := r.Scan(timeCol{&at}, &a, &n); err != nil {
				return err
			}
			add(dailyKey{dayKey(at), dailyAnonymous, a, "", ""}, n, 0)
			return nil
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select i.start_at, p.organisme, p.mode, p.outcome from procedures p join interventions i on i.id = p.intervention_id where"+ivRange, args,
		func(r *sql.Rows) error {
			if err := r.Scan(timeCol{&at}, &a, &b, &c); err != nil {
				return err
			}
			add(dailyKey{dayKey(at), dailyProcedures, a, b, c}, 1, 0)
			return nil
		})
	if err != nil {
		return err
	}
	// Orientations, placed by their creation; the delay is counted as
	// meanDays counts it for the detailed query.
	err = t.many(ctx, `select o.created_at, o.status, coalesce(o.transmitted_at, o.created_at), o.outcome_at from orientations o
		where o.structure_id = ? and o.created_at >= ? and o.created_at < ?`, args, func(r *sql.Rows) error {
		var sent, outcome time.Time
		if err := r.Scan(timeCol{&at}, &a, timeCol{&sent}, timeCol{&outcome}); err != nil {
			return err
		}
		known := !outcome.IsZero()
		delay := 0.0
		if known {
			delay = outcome.Sub(sent).Hours() / 24
		}
		add(dailyKey{dayKey(at), dailyOrientations, a, flag(known), ""}, 1, delay)
		return nil
	})
	if err != nil {
		return err
	}
	type personDay struct {
		id  int64
		day string
	}
	persons := map[personDay]bool{}
	err = t.many(ctx, "select i.start_at, ip.person_id from intervention_persons ip join interventions i on i.id = ip.intervention_id where"+ivRange, args,
		func(r *sql.Rows) error {
			var pid int64
			if err := r.Scan(timeCol{&at}, &pid); err != nil {
				return err
			}
			persons[personDay{pid, dayKey(at)}] = true
			return nil
		})
	if err != nil {
		return err
	}

	// Collective actions, placed by the session's start; the project is
	// read for its kind and whether it was cancelled.
	type projectDay struct {
		id  int64
		day string
	}
	type projectFigures struct{ held, presences, newcomers int64 }
	projects := map[projectDay]*projectFigures{}
	project := func(id int64, day string) *projectFigures {
		f := projects[projectDay{id, day}]
		if f == nil {
			f = &projectFigures{}
			projects[projectDay{id, day}] = f
		}
		return f
	}
	seRange := " s.structure_id = ? and s.starts_at >= ? and s.starts_at < ?"
	err = t.many(ctx, `select s.starts_at, s.activite_id, s.attendance_done, a.kind, a.status, s.present from seances s
		join activites a on a.id = s.activite_id where`+seRange, args, func(r *sql.Rows) error {
		var done bool
		var id, present int64
		if err := r.Scan(timeCol{&at}, &id, &done, &a, &b, &present); err != nil {
			return err
		}
		day := dayKey(at)
		add(dailyKey{day, dailySeances, flag(done), a, flag(b == maillon.ActiviteAnnulee)}, 1, float64(present))
		if done {
			f := project(id, day)
			f.held++
			f.presences += present
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select s.starts_at, s.activite_id, s.attendance_done, g.newcomer, g.count from seance_tallies g join seances s on s.id = g.seance_id where"+seRange, args,
		func(r *sql.Rows) error {
			var done, newcomer bool
			var id, n int64
			if err := r.Scan(timeCol{&at}, &id, &done, &newcomer, &n); err != nil {
				return err
			}
			day := dayKey(at)
			add(dailyKey{day, dailyTallies, flag(done), flag(newcomer), ""}, n, 0)
			if newcomer {
				project(id, day).newcomers += n
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select s.starts_at, x.source, x.q1, x.q2, x.q3, x.q4, x.q5 from seance_answers x join seances s on s.id = x.seance_id where"+seRange, args,
		func(r *sql.Rows) error {
			var q [5]int64
			if err := r.Scan(timeCol{&at}, &a, &q[0], &q[1], &q[2], &q[3], &q[4]); err != nil {
				return err
			}
			day := dayKey(at)
			add(dailyKey{day, dailyAnswers, a, "", ""}, 1, 0)
			for _, level := range q {
				if level > 0 {
					add(dailyKey{day, dailyAnswerLevels, strconv.FormatInt(level, 10), "", ""}, 1, 0)
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	participants := map[personDay]bool{}
	err = t.many(ctx, `select s.starts_at, r.person_id from seance_registrations r join seances s on s.id = r.seance_id
		where`+seRange+" and s.attendance_done and r.attendance = ? and not r.waiting and r.person_id is not null",
		append(args, maillon.PresencePresent), func(r *sql.Rows) error {
			var pid int64
			if err := r.Scan(timeCol{&at}, &pid); err != nil {
				return err
			}
			participants[personDay{pid, dayKey(at)}] = true
			return nil
		})
	if err != nil {
		return err
	}

	daily := t.newBatch(ctx, importDaily, stmts)
	personDays := t.newBatch(ctx, importPersonDays, stmts)
	participantDays := t.newBatch(ctx, importParticipantDays, stmts)
	projectDays := t.newBatch(ctx, importProjectDays, stmts)
	all := batches{daily, personDays, participantDays, projectDays}
	defer all.close()
	for k, f := range figures {
		if err := daily.add(ctx, sid, k.day, k.kind, k.k1, k.k2, k.k3, f.n, f.total); err != nil {
			return err
		}
	}
	for p := range persons {
		if err := personDays.add(ctx, sid, p.id, p.day); err != nil {
			return err
		}
	}
	for p := range participants {
		if err := participantDays.add(ctx, sid, p.id, p.day); err != nil {
			return err
		}
	}
	for p, f := range projects {
		if err := projectDays.add(ctx, sid, p.id, p.day, f.held, f.presences, f.newcomers); err != nil {
			return err
		}
	}
	if err := all.flush(ctx); err != nil {
		return err
	}
	for p := range persons {
		touched[p.id] = true
	}
	for p := range projects {
		touchedProjects[p.id] = true
	}
	// The first day of the people, and the totals of the projects, whose
	// days changed (removed when they have none left).
	err = t.recomputeByID(ctx, sid, touched, "delete from report_person_first where structure_id = ? and person_id in (%s)",
		`insert into report_person_first (structure_id, person_id, first_day)
			select structure_id, person_id, min(day) from report_person_days where structure_id = ? and person_id in (%s)
			group by structure_id, person_id`)
	if err != nil {
		return err
	}
	return t.recomputeByID(ctx, sid, touchedProjects, "delete from report_project_totals where structure_id = ? and activite_id in (%s)",
		`insert into report_project_totals (structure_id, activite_id, held, presences, newcomers)
			select structure_id, activite_id, sum(held), sum(presences), sum(newcomers) from report_project_days
			where structure_id = ? and activite_id in (%s) group by structure_id, activite_id`)
}

// recomputeByID runs a delete and an insert, each with "%s" standing for
// the list of IDs, over the IDs given, 500 at a time.
func (t *tx) recomputeByID(ctx context.Context, sid maillon.StructureID, set map[int64]bool, del, ins string) error {
	ids := make([]int64, 0, len(set))
	for id := range set {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), 500)]
		ids = ids[len(chunk):]
		in := strings.Repeat("?, ", len(chunk)-1) + "?"
		args := []any{sid}
		for _, id := range chunk {
			args = append(args, id)
		}
		for _, q := range []string{del, ins} {
			if _, err := t.exec(ctx, fmt.Sprintf(q, in), args...); err != nil {
				return err
			}
		}
	}
	return nil
}
