package store_test

import (
	"fmt"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// directoryBenchServices is the size of the benchmarks' directory.
const directoryBenchServices = 100_000

// BenchmarkDirectory imports, once per engine, a directory of 100,000
// services (and 40,001 structures) into a fresh database through
// ImportDirectory — the path of `maillon annuaire import` — and reports
// that import's wall-clock and CPU time (import/), then measures
// SearchDirectory on it (search/) with the searches of the directory
// page: words, a thématique, a commune, a freshness, and the distance
// sort from a point, alone and combined.
func BenchmarkDirectory(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			db := storetest.Open(b, engine)
			st := storetest.MustCreateStructure(b, db, "Médiation")
			actor := storetest.Actor(st.Coordinator)
			ds := demo.DirectoryDataset(directoryBenchServices, 1, maillon.InParis(db.Clock.Now()))
			cpu, start := benchCPUTime(), time.Now()
			rep, err := db.ImportDirectory(ctx, actor, 0, ds, nil)
			took, cpuTook := time.Since(start), benchCPUTime()-cpu
			if err == nil && (rep.ServicesCreated != directoryBenchServices || len(rep.Rejected) > 0) {
				err = fmt.Errorf("import report %d services, %d rejected", rep.ServicesCreated, len(rep.Rejected))
			}
			if err != nil {
				b.Fatal(err)
			}
			rows := rep.StructuresCreated + rep.ServicesCreated
			b.Run("import", func(b *testing.B) {
				b.ReportMetric(took.Seconds(), "import-s")
				b.ReportMetric(cpuTook.Seconds(), "import-cpu-s")
				b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
			})
			b.Run("search", func(b *testing.B) { benchDirectorySearch(b, db, actor) })
		})
	}
}

func benchDirectorySearch(b *testing.B, db *storetest.DB, actor maillon.Actor) {
	lat, lon := 45.6975, 4.8867 // Vénissieux
	filters := []maillon.DirectoryFilter{
		{Query: "epicerie"},
		{Query: "demarches en ligne"},
		{Query: "parentalite", Lat: &lat, Lon: &lon},
		{Thematique: "equipement-et-alimentation"},
		{Thematique: "equipement-et-alimentation", CodeInsee: "69259"},
		{Lat: &lat, Lon: &lon},
		{Public: "jeunes", Lat: &lat, Lon: &lon},
		{Freshness: maillon.FreshToCheck, Frais: "gratuit"},
		{NearInsee: "69029", ModeAccueil: "en-presentiel"},
	}
	var pct storetest.Percentiles
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, total, err := db.SearchDirectory(ctx, actor, filters[i%len(filters)])
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if total == 0 || len(res) == 0 {
			b.Fatalf("no result for %+v", filters[i%len(filters)])
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	pct.Report(b)
}
