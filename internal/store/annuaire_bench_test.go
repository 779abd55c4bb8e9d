package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// directoryBenchServices is the size of the benchmarks' directory.
const directoryBenchServices = 100_000

type benchDirectory struct {
	db     *storetest.DB
	actor  maillon.Actor
	took   time.Duration
	rows   int
	failed error
}

var (
	benchDirMu sync.Mutex
	benchDirs  = map[string]*benchDirectory{}
)

// openBenchDirectory imports, once per engine and run, a directory of
// 100,000 services (and 40,000 structures) into a fresh database through
// ImportDirectory, timing the import: that is the import throughput of
// docs/performance.md.
func openBenchDirectory(b *testing.B, engine string) *benchDirectory {
	benchDirMu.Lock()
	defer benchDirMu.Unlock()
	if d, ok := benchDirs[engine]; ok {
		return d
	}
	db := storetest.Open(b, engine)
	st := storetest.MustCreateStructure(b, db, "Médiation")
	d := &benchDirectory{db: db, actor: storetest.Actor(st.Coordinator)}
	ds := demo.DirectoryDataset(directoryBenchServices, 1, maillon.InParis(db.Clock.Now()))
	start := time.Now()
	rep, err := db.ImportDirectory(ctx, d.actor, 0, ds, nil)
	d.took, d.failed = time.Since(start), err
	d.rows = rep.StructuresCreated + rep.ServicesCreated
	if err == nil && (rep.ServicesCreated != directoryBenchServices || len(rep.Rejected) > 0) {
		d.failed = fmt.Errorf("import report %d services, %d rejected", rep.ServicesCreated, len(rep.Rejected))
	}
	benchDirs[engine] = d
	return d
}

// BenchmarkDirectoryImport reports the time of the 100,000-service import
// (one import per engine; b.N is not used).
func BenchmarkDirectoryImport(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			d := openBenchDirectory(b, engine)
			if d.failed != nil {
				b.Fatal(d.failed)
			}
			b.ReportMetric(d.took.Seconds(), "import-s")
			b.ReportMetric(float64(d.rows)/d.took.Seconds(), "rows/s")
		})
	}
}

// BenchmarkDirectorySearch measures SearchDirectory over 100,000 services
// with the searches of the directory page: words, a thématique, a commune,
// a freshness, and the distance sort from a point, alone and combined.
func BenchmarkDirectorySearch(b *testing.B) {
	lat, lon := 45.6975, 4.8867 // Vénissieux
	filters := []maillon.DirectoryFilter{
		{Query: "epicerie"},
		{Query: "demarches en ligne"},
		{Query: "parentalite", Lat: &lat, Lon: &lon},
		{Thematique: "equipement-et-alimentation"},
		{Thematique: "logement-hebergement", CodeInsee: "69259"},
		{Lat: &lat, Lon: &lon},
		{Public: "jeunes", Lat: &lat, Lon: &lon},
		{Freshness: maillon.FreshToCheck, Frais: "gratuit"},
		{NearInsee: "69029", ModeAccueil: "en-presentiel"},
	}
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			d := openBenchDirectory(b, engine)
			if d.failed != nil {
				b.Fatal(d.failed)
			}
			var pct storetest.Percentiles
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				start := time.Now()
				res, total, err := d.db.SearchDirectory(ctx, d.actor, filters[i%len(filters)])
				pct.Add(time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
				if total == 0 || len(res) == 0 {
					b.Fatalf("no result for %+v", filters[i%len(filters)])
				}
			}
			b.StopTimer()
			pct.Report(b)
		})
	}
}
