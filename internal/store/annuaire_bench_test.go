package store_test

import (
	"fmt"
	"os"
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
// that import's wall-clock and CPU time and the first search, which
// builds the directory's search index in memory (import/), then measures
// SearchDirectory on it (search/) with the searches of the directory
// page: words, a thématique, a commune, a freshness, and the distance
// sort from a point, alone and combined; search/each/<name> measures
// each alone.
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
			if path := os.Getenv("MAILLON_BENCH_DIRECTORY_COPY"); path != "" && engine == "sqlite" {
				if err := db.Backup(ctx, path); err != nil {
					b.Fatal(err)
				}
			}
			// The first search builds the directory's index in memory.
			first := time.Now()
			if _, _, err := db.SearchDirectory(ctx, actor, maillon.DirectoryFilter{}); err != nil {
				b.Fatal(err)
			}
			indexBuild := time.Since(first)
			rows := rep.StructuresCreated + rep.ServicesCreated
			b.Run("import", func(b *testing.B) {
				b.ReportMetric(took.Seconds(), "import-s")
				b.ReportMetric(cpuTook.Seconds(), "import-cpu-s")
				b.ReportMetric(float64(rows)/took.Seconds(), "rows/s")
				b.ReportMetric(float64(indexBuild.Microseconds())/1000, "first-search-ms")
			})
			b.Run("search", func(b *testing.B) { benchDirectorySearch(b, db, actor, directoryBenchFilters) })
			for _, c := range directoryBenchFilters {
				b.Run("each/"+c.name, func(b *testing.B) { benchDirectorySearch(b, db, actor, []directoryBenchFilter{c}) })
			}
			// The mix again, once the engine has digested the import
			// (PostgreSQL's autovacuum and checkpoint follow it).
			b.Run("search-again", func(b *testing.B) { benchDirectorySearch(b, db, actor, directoryBenchFilters) })
		})
	}
}

type directoryBenchFilter struct {
	name string
	f    maillon.DirectoryFilter
}

// directoryBenchFilters are the searches of the directory page the
// benchmark cycles through; search/each/<name> measures each alone.
var directoryBenchFilters = func() []directoryBenchFilter {
	lat, lon := 45.6975, 4.8867 // Vénissieux
	return []directoryBenchFilter{
		{"words", maillon.DirectoryFilter{Query: "epicerie"}},
		{"three-words", maillon.DirectoryFilter{Query: "demarches en ligne"}},
		{"words+distance", maillon.DirectoryFilter{Query: "parentalite", Lat: &lat, Lon: &lon}},
		{"thematique", maillon.DirectoryFilter{Thematique: "equipement-et-alimentation"}},
		{"thematique+commune", maillon.DirectoryFilter{Thematique: "equipement-et-alimentation", CodeInsee: "69259"}},
		{"distance", maillon.DirectoryFilter{Lat: &lat, Lon: &lon}},
		{"public+distance", maillon.DirectoryFilter{Public: "jeunes", Lat: &lat, Lon: &lon}},
		{"freshness+frais", maillon.DirectoryFilter{Freshness: maillon.FreshToCheck, Frais: "gratuit"}},
		{"near-commune+accueil", maillon.DirectoryFilter{NearInsee: "69029", ModeAccueil: "en-presentiel"}},
	}
}()

func benchDirectorySearch(b *testing.B, db *storetest.DB, actor maillon.Actor, cases []directoryBenchFilter) {
	var pct storetest.Percentiles
	b.ResetTimer()
	cpu := benchCPUTime()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		c := cases[i%len(cases)]
		res, total, err := db.SearchDirectory(ctx, actor, c.f)
		pct.Add(time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if total == 0 || len(res) == 0 {
			b.Fatalf("no result for %s", c.name)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(benchCPUTime()-cpu)/float64(b.N), "cpu-ns/op")
	pct.Report(b)
}
