package store

import (
	"context"
	"database/sql"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"maillon"
)

// Rebind exposes the PostgreSQL placeholder rewriting to tests.
func Rebind(q string) string { return postgresDialect{}.rebind(q) }

// StoreOpenForTest lets external tests try DSNs.
func StoreOpenForTest(dsn string) (*Store, error) {
	return Open(context.Background(), dsn, Options{})
}

// ExecForTest runs a raw statement in a write transaction, so that tests
// can check guards the database itself enforces (such as the append-only
// audit log). Write "?" placeholders, as in the store.
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		var err error
		n, err = t.exec(ctx, q, args...)
		return err
	})
	return n, err
}

// CountForTest runs a raw "select count(*) …" query, so that tests can see
// rows no service exposes (expired sessions, instance-level audit rows).
func (s *Store) CountForTest(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.read(ctx, func(t *tx) error {
		return t.one(ctx, q, args, &n)
	})
	return n, err
}

// SearchDirectoryOracleForTest answers a directory search the plain SQL
// way (every filter in the where clause, the order by in the engine): the
// reference the in-memory search index is checked against. It returns
// the page's IDs and the total.
func (s *Store) SearchDirectoryOracleForTest(ctx context.Context, owner maillon.StructureID, f maillon.DirectoryFilter) (ids []int64, total int, err error) {
	err = s.read(ctx, func(t *tx) error {
		var w whereBuilder
		w.add("v.owner_id = ?", owner)
		if tokens := searchTokens(f.Query); len(tokens) > 0 {
			// Every token starts a word of the folded text: a regular
			// expression per token, apart from the index's tokeniser.
			var res []*regexp.Regexp
			for _, tok := range tokens {
				res = append(res, regexp.MustCompile(`(^|[^\p{L}\p{N}])`+regexp.QuoteMeta(tok)))
			}
			var in []any
			if err := t.many(ctx, "select id, search_text from directory_services where owner_id = ?", []any{owner}, func(r *sql.Rows) error {
				var id int64
				var text string
				if err := r.Scan(&id, &text); err != nil {
					return err
				}
				for _, re := range res {
					if !re.MatchString(text) {
						return nil
					}
				}
				in = append(in, id)
				return nil
			}); err != nil {
				return err
			}
			w.add("v.id in (0"+strings.Repeat(", ?", len(in))+")", in...)
		}
		for _, code := range []string{"t:" + f.Thematique, "p:" + f.Public, "a:" + f.ModeAccueil, "f:" + f.Frais, "c:" + f.CodeInsee} {
			if len(code) > 2 {
				w.add("v.id in (select service_id from directory_service_codes where owner_id = ? and code = ?)", owner, code)
			}
		}
		if f.Freshness != "" {
			ds, err := t.directorySettings(ctx, owner)
			if err != nil {
				return err
			}
			after, upTo := ds.Bounds(f.Freshness, t.now)
			if !after.IsZero() {
				w.add("v.fresh_on > ?", after)
			}
			if !upTo.IsZero() {
				w.add("v.fresh_on <= ?", upTo)
			}
		}
		if err := t.one(ctx, "select count(*) from directory_services v "+w.String(), w.args, &total); err != nil {
			return err
		}
		lat, lon := f.Lat, f.Lon
		if f.NearInsee != "" && lat == nil {
			var la, lo sql.NullFloat64
			if err := t.one(ctx, `select avg(pos_lat), avg(pos_lon) from directory_services where pos_lat is not null and pos_lon is not null
				and id in (select service_id from directory_service_codes where owner_id = ? and code = ?)`,
				[]any{owner, "c:" + f.NearInsee}, &la, &lo); err != nil {
				return err
			}
			if la.Valid {
				lat, lon = &la.Float64, &lo.Float64
			}
		}
		order, args := t.d.binaryOrder("v.sort_key")+", v.id", w.args
		if lat != nil {
			k := math.Cos(*lat * math.Pi / 180)
			order = "case when v.pos_lat is null or v.pos_lon is null then 1 else 0 end, " +
				"((v.pos_lat - ?) * (v.pos_lat - ?)) + (((v.pos_lon - ?) * ?) * ((v.pos_lon - ?) * ?)), v.id"
			args = append(append([]any{}, args...), *lat, *lat, *lon, k, *lon, k)
		}
		limit := f.Limit
		if limit <= 0 {
			limit = 20
		}
		return t.many(ctx, "select v.id from directory_services v "+w.String()+" order by "+order+" limit ? offset ?",
			append(args, limit, f.Offset), func(r *sql.Rows) error {
				var id int64
				ids = append(ids, id)
				return r.Scan(&ids[len(ids)-1])
			})
	})
	return ids, total, err
}

// ReportSQLForTest computes a report and returns the statements its
// indicator queries ran, as the engine received them.
func (s *Store) ReportSQLForTest(ctx context.Context, actor maillon.Actor, f maillon.ReportFilter) (*maillon.Report, []rawStatement, error) {
	var list []rawStatement
	rep, err := s.ActivityReport(context.WithValue(ctx, traceKey{}, &list), actor, f)
	return rep, list, err
}

// RunRawForTest runs statements on the reader pool directly, reading
// every row: the same aggregation without the store around it.
func (s *Store) RunRawForTest(ctx context.Context, stmts []rawStatement) error {
	for _, st := range stmts {
		rows, err := s.reader.QueryContext(ctx, st.q, st.args...)
		if err != nil {
			return err
		}
		cols, _ := rows.Columns()
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = new(any)
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// NewestInterventionForTest gives the start of the newest intervention.
func (s *Store) NewestInterventionForTest(ctx context.Context) (time.Time, error) {
	var at time.Time
	err := s.read(ctx, func(t *tx) error {
		return t.one(ctx, "select max(start_at) from interventions", nil, timeCol{&at})
	})
	return at, err
}

// StatementTimesForTest runs each statement once and gives its time and
// first line, to see which aggregation costs.
func (s *Store) StatementTimesForTest(ctx context.Context, stmts []rawStatement) ([]string, error) {
	var out []string
	for _, st := range stmts {
		start := time.Now()
		if err := s.RunRawForTest(ctx, []rawStatement{st}); err != nil {
			return nil, err
		}
		q := st.q
		if len(q) > 140 {
			q = q[:140]
		}
		out = append(out, time.Since(start).Round(time.Millisecond).String()+" "+strings.Join(strings.Fields(q), " "))
	}
	return out, nil
}

// DetailedReportForTest computes a report from the records even where the
// daily summary could answer: the reference the summary is checked
// against.
func (s *Store) DetailedReportForTest(ctx context.Context, actor maillon.Actor, f maillon.ReportFilter) (*maillon.Report, error) {
	return s.ActivityReport(context.WithValue(ctx, detailKey{}, true), actor, f)
}

// String shows a statement in test messages.
func (st rawStatement) String() string { return st.q }

// Reads tells whether one of the statement's arguments is v.
func (st rawStatement) Reads(v any) bool { return slices.Contains(st.args, v) }

// MarkAllReportDaysForTest empties the report's summary and marks every
// day of every structure, as the migration does on existing records.
func (s *Store) MarkAllReportDaysForTest(ctx context.Context) error {
	return s.write(ctx, func(t *tx) error {
		for _, q := range []string{"delete from report_daily", "delete from report_person_days", "delete from report_person_first",
			"delete from report_participant_days", "delete from report_project_days", "delete from report_project_totals", "delete from report_dirty"} {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		days := map[[2]string]bool{}
		for _, q := range []string{"select structure_id, start_at from interventions", "select structure_id, created_at from orientations",
			"select structure_id, starts_at from seances"} {
			err := t.many(ctx, q, nil, func(r *sql.Rows) error {
				var sid string
				var at time.Time
				if err := r.Scan(&sid, timeCol{&at}); err != nil {
					return err
				}
				days[[2]string{sid, at.UTC().Format(time.DateOnly)}] = true
				return nil
			})
			if err != nil {
				return err
			}
		}
		for d := range days {
			if _, err := t.exec(ctx, "insert into report_dirty (structure_id, day) values (?, ?)", d[0], d[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// RefreshReportDaysForTest recomputes the marked days of one structure
// (sid > 0) or of all.
func (s *Store) RefreshReportDaysForTest(ctx context.Context, sid maillon.StructureID) error {
	if sid == 0 {
		return s.refreshAllReportDays(ctx)
	}
	return s.refreshReportDays(ctx, sid)
}
