package store_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"maillon"
	"maillon/internal/store"
	"maillon/internal/storetest"
)

// Benchmarks of the activity report (docs/performance.md §13): a
// structure's annual report, and the report of every structure over the
// whole dataset, each beside the same SQL statements run directly on the
// engine (ReportSQLForTest records them; RunRawForTest runs them on the
// reader pool, without transaction, scope checks or formatting).
//
//	go test ./internal/store -run '^$' -bench 'Report' -benchtime 20x
//
// SQLite runs on the cached large dataset (storetest.OpenLarge).
// PostgreSQL runs when MAILLON_BENCH_REPORT_POSTGRES names a database
// holding the large demo (maillon demo --scale large): its dates follow
// the day it was loaded, so the periods are taken from its newest
// intervention.

func BenchmarkReportAnnualSQLite(b *testing.B) {
	db := storetest.OpenLarge(b)
	benchAnnual(b, db.Store, false)
}

func BenchmarkReport50kSQLite(b *testing.B) {
	db := storetest.OpenLarge(b)
	benchAnnual(b, db.Store, true)
}

func BenchmarkReportWholeSQLite(b *testing.B) {
	db := storetest.OpenLarge(b)
	benchWhole(b, db.Store)
}

func BenchmarkReportAnnualPostgres(b *testing.B) { benchAnnual(b, openReportPostgres(b), false) }
func BenchmarkReport50kPostgres(b *testing.B)    { benchAnnual(b, openReportPostgres(b), true) }
func BenchmarkReportWholePostgres(b *testing.B)  { benchWhole(b, openReportPostgres(b)) }

func openReportPostgres(b *testing.B) *store.Store {
	dsn := os.Getenv("MAILLON_BENCH_REPORT_POSTGRES")
	if dsn == "" {
		b.Skip("set MAILLON_BENCH_REPORT_POSTGRES to a PostgreSQL database holding the large demo")
	}
	s, err := store.Open(context.Background(), dsn, store.Options{Hasher: storetest.Hasher, Sessions: maillon.DefaultSessionPolicy})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// coordinators returns a coordinator's actor for every structure, the
// first being the one with the most interventions in the last year, and
// the
// last year of data (the calendar year before the newest intervention).
func coordinators(b *testing.B, s *store.Store) ([]maillon.Actor, maillon.Period) {
	ctx := context.Background()
	list, err := s.FindStructures(ctx, maillon.OperatorActor())
	if err != nil {
		b.Fatal(err)
	}
	var out []maillon.Actor
	for _, st := range list {
		// Any member acts as coordinator: the report reads no user row
		// but the scope's names.
		out = append(out, maillon.Actor{UserID: 1, StructureID: st.ID, Role: maillon.RoleCoordinateur, Channel: maillon.ChannelWeb})
	}
	newest, err := s.NewestInterventionForTest(ctx)
	if err != nil {
		b.Fatal(err)
	}
	year := maillon.InParis(newest).Year() - 1
	// The structure with the most interventions that year.
	period := maillon.YearPeriod(year)
	best, bestN := 0, -1.0
	for i, a := range out {
		rep, err := s.ActivityReport(ctx, a, maillon.ReportFilter{Period: period, Indicators: []string{"interventions.nombre"}})
		if err != nil {
			b.Fatal(err)
		}
		if v, _ := rep.Value("interventions.nombre", ""); v > bestN {
			best, bestN = i, v
		}
	}
	out[0], out[best] = out[best], out[0]
	return out, period
}

// benchAnnual measures the largest structure's report of the last year
// or, with fifty, of the months at the end of that year that hold 50,000
// interventions, the size of the target.
func benchAnnual(b *testing.B, s *store.Store, fifty bool) {
	ctx := context.Background()
	actors, period := coordinators(b, s)
	a := actors[0]
	if fifty {
		period = fiftyK(b, s, a, period)
	}
	f := maillon.ReportFilter{Period: period}
	rep, stmts, err := s.ReportSQLForTest(ctx, a, f)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := rep.Value("interventions.nombre", "")
	b.Logf("structure %d, %s: %.0f interventions, %d indicators, %d statements", a.StructureID, period.Label(), n, len(rep.Tables), len(stmts))
	var full, raw durations
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if _, err := s.ActivityReport(ctx, a, f); err != nil {
			b.Fatal(err)
		}
		full.Add(time.Since(start))
		start = time.Now()
		if err := s.RunRawForTest(ctx, stmts); err != nil {
			b.Fatal(err)
		}
		raw.Add(time.Since(start))
	}
	b.StopTimer()
	reportRaw(b, full, raw)
}

func benchWhole(b *testing.B, s *store.Store) {
	ctx := context.Background()
	actors, _ := coordinators(b, s)
	// The whole history: from 2000 to the day after the newest record.
	f := maillon.ReportFilter{Period: maillon.Period{Kind: "custom", From: time.Date(2000, 1, 1, 0, 0, 0, 0, maillon.Paris),
		To: wholeEnd()}}
	var raws []func() error
	total := 0.0
	for _, a := range actors {
		rep, st, err := s.ReportSQLForTest(ctx, a, f)
		if err != nil {
			b.Fatal(err)
		}
		v, _ := rep.Value("interventions.nombre", "")
		total += v
		raws = append(raws, func() error { return s.RunRawForTest(ctx, st) })
	}
	b.Logf("%d structures, %.0f interventions in all", len(actors), total)
	var full, raw durations
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		for _, a := range actors {
			if _, err := s.ActivityReport(ctx, a, f); err != nil {
				b.Fatal(err)
			}
		}
		full.Add(time.Since(start))
		start = time.Now()
		for _, run := range raws {
			if err := run(); err != nil {
				b.Fatal(err)
			}
		}
		raw.Add(time.Since(start))
	}
	b.StopTimer()
	reportRaw(b, full, raw)
}

// durations collects the time of each run of the report and of its raw
// SQL, for their percentiles.
type durations []time.Duration

func (d *durations) Add(t time.Duration) { *d = append(*d, t) }

// quantile is in milliseconds (nearest rank).
func (d durations) quantile(q float64) float64 {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	i := int(q*float64(len(s))+0.999999) - 1
	return float64(s[max(0, min(i, len(s)-1))]) / float64(time.Millisecond)
}

// reportRaw reports the percentiles of the report and of the raw SQL,
// and the ratio of the medians.
func reportRaw(b *testing.B, full, raw durations) {
	b.ReportMetric(full.quantile(0.5), "p50-ms")
	b.ReportMetric(full.quantile(0.95), "p95-ms")
	b.ReportMetric(raw.quantile(0.5), "raw-p50-ms")
	b.ReportMetric(raw.quantile(0.95), "raw-p95-ms")
	if rm := raw.quantile(0.5); rm > 0 {
		b.ReportMetric(full.quantile(0.5)/rm, "ratio")
	}
}

// BenchmarkReportStatements logs the time of each statement of the annual
// report of the largest structure on the large SQLite dataset (of its
// whole history with MAILLON_BENCH_REPORT_WHOLE=1).
func BenchmarkReportStatements(b *testing.B) {
	db := storetest.OpenLarge(b)
	actors, period := coordinators(b, db.Store)
	if os.Getenv("MAILLON_BENCH_REPORT_50K") != "" {
		period = fiftyK(b, db.Store, actors[0], period)
	}
	if os.Getenv("MAILLON_BENCH_REPORT_WHOLE") != "" {
		period = maillon.Period{Kind: "custom", From: time.Date(2000, 1, 1, 0, 0, 0, 0, maillon.Paris), To: wholeEnd()}
	}
	_, stmts, err := db.ReportSQLForTest(context.Background(), actors[0], maillon.ReportFilter{Period: period})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		lines, err := db.StatementTimesForTest(context.Background(), stmts)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range lines {
			b.Log(l)
		}
	}
}

// BenchmarkReportStatementsPostgres is BenchmarkReportStatements on the
// PostgreSQL database of MAILLON_BENCH_REPORT_POSTGRES.
func BenchmarkReportStatementsPostgres(b *testing.B) {
	s := openReportPostgres(b)
	actors, period := coordinators(b, s)
	_, stmts, err := s.ReportSQLForTest(context.Background(), actors[0], maillon.ReportFilter{Period: period})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		lines, err := s.StatementTimesForTest(context.Background(), stmts)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range lines {
			b.Log(l)
		}
	}
}

// wholeEnd ends the whole-history period on a day bound (1 January two
// years ahead), as every period of the report form does.
func wholeEnd() time.Time { return time.Date(time.Now().Year()+2, 1, 1, 0, 0, 0, 0, maillon.Paris) }

// BenchmarkReportSummaryBuild times the daily summary of the whole large
// dataset computed from nothing, as after the migration that adds it
// (FinishImport does the same after a bulk import).
func BenchmarkReportSummaryBuild(b *testing.B) { benchSummaryBuild(b, storetest.OpenLarge(b).Store) }

// BenchmarkReportSummaryBuildPostgres is BenchmarkReportSummaryBuild on
// the database of MAILLON_BENCH_REPORT_POSTGRES (which it leaves as it
// found it: the summary is recomputed from the same records).
func BenchmarkReportSummaryBuildPostgres(b *testing.B) { benchSummaryBuild(b, openReportPostgres(b)) }

func benchSummaryBuild(b *testing.B, s *store.Store) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		if err := s.MarkAllReportDaysForTest(ctx); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.RefreshReportDaysForTest(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReportSummaryRefresh times what the first report after a
// change pays: one UTC day of the largest structure marked, two Paris
// days recomputed.
func BenchmarkReportSummaryRefresh(b *testing.B) {
	benchSummaryRefresh(b, storetest.OpenLarge(b).Store)
}

// BenchmarkReportSummaryRefreshPostgres is BenchmarkReportSummaryRefresh
// on the database of MAILLON_BENCH_REPORT_POSTGRES.
func BenchmarkReportSummaryRefreshPostgres(b *testing.B) {
	benchSummaryRefresh(b, openReportPostgres(b))
}

func benchSummaryRefresh(b *testing.B, db *store.Store) {
	ctx := context.Background()
	actors, period := coordinators(b, db)
	sid := actors[0].StructureID
	day := maillon.InParis(period.From).AddDate(0, 6, 0).Format(time.DateOnly)
	var times durations
	for i := 0; i < b.N; i++ {
		if _, err := db.ExecForTest(ctx, "insert into report_dirty (structure_id, day) values (?, ?)", sid, day); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := db.RefreshReportDaysForTest(ctx, sid); err != nil {
			b.Fatal(err)
		}
		times.Add(time.Since(start))
	}
	b.ReportMetric(times.quantile(0.5), "p50-ms")
	b.ReportMetric(times.quantile(0.95), "p95-ms")
}

// fiftyK is the period at the end of the year that holds 50,000 of the
// structure's interventions (whole months), the size of the target.
func fiftyK(b *testing.B, s *store.Store, a maillon.Actor, period maillon.Period) maillon.Period {
	ctx := context.Background()
	for from := period.To; ; {
		from = maillon.InParis(from).AddDate(0, -1, 0)
		p := maillon.Period{Kind: "custom", From: from, To: period.To}
		rep, err := s.ActivityReport(ctx, a, maillon.ReportFilter{Period: p, Indicators: []string{"interventions.nombre"}})
		if err != nil {
			b.Fatal(err)
		}
		if v, _ := rep.Value("interventions.nombre", ""); v >= 50000 || !from.After(period.From) {
			return p
		}
	}
}
