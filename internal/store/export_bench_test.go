//go:build unix

package store_test

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/export"
	"maillon/internal/storetest"
)

// BenchmarkExportCSV exports every intervention of the large dataset
// (about 1,000,000, all structures, as the operator) to CSV, discarding
// the bytes, and reports rows per second and the peak of the Go heap,
// sampled every 20 ms: the export streams, so the heap stays flat
// whatever the number of rows (docs/performance.md §14).
//
//	go test ./internal/store -run '^$' -bench ExportCSV -benchtime 1x
func BenchmarkExportCSV(b *testing.B) {
	db := storetest.OpenLarge(b)
	o, err := maillon.ExportInput{Kind: maillon.ExportInterventions, From: "2000-01-01", To: "2100-01-01", Format: "csv"}.Validate()
	if err != nil {
		b.Fatal(err)
	}
	o.AllStructures = true
	runtime.GC()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var peak uint64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	rows := 0
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		w, err := export.New(io.Discard, o)
		if err != nil {
			b.Fatal(err)
		}
		if err := db.Export(ctx, maillon.OperatorActor(), o, w); err != nil {
			b.Fatal(err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		rows += w.Rows()
	}
	elapsed := time.Since(start)
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
