package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/store"
)

// The benchmarks of docs/performance.md run on the demo's large dataset
// (SQLite). Generating it takes minutes, so it is built once and kept in a
// file named after the schema version, a digest of the generator's
// sources, the seed and the size: a new migration or a change to the
// generator builds a new one. Each benchmark works on a copy, so the records it
// writes do not pile up from one run to the next.
//
// MAILLON_BENCH_DB names the file to use or create instead;
// MAILLON_BENCH_PEOPLE sets the number of people (demo.LargePeople by
// default), for a quick run on a smaller dataset.

// LargeSeed is the seed of the benchmark dataset.
const LargeSeed = 1

// LargePath returns the path of the cached large dataset and its number of
// people.
func LargePath() (string, int) {
	people := demo.LargePeople
	if n, err := strconv.Atoi(os.Getenv("MAILLON_BENCH_PEOPLE")); err == nil && n > 0 {
		people = n
	}
	if p := os.Getenv("MAILLON_BENCH_DB"); p != "" {
		return p, people
	}
	name := fmt.Sprintf("maillon-bench-%s-%s-seed%d-%d.db", store.SchemaVersion(), generatorDigest(), LargeSeed, people)
	return filepath.Join(os.TempDir(), name), people
}

// generatorDigest is a short hash of the sources that shape the large
// dataset: the demo generator and the bulk import, domain and store side.
// The schema version alone misses a change to the drawn data (more
// orientations, new records) made without a migration; hashing the files
// makes every such change build a new dataset, with nothing to remember.
// The sources are read next to this file (tests run from a checkout);
// when they cannot be read the digest says so and the schema version
// alone keys the file, as before.
func generatorDigest() string {
	_, self, _, ok := runtime.Caller(0)
	if !ok {
		return "nosrc"
	}
	root := filepath.Join(filepath.Dir(self), "..", "..")
	var files []string
	for _, pattern := range []string{"internal/demo/*.go", "internal/store/import*.go", "import*.go", "orientation_import.go"} {
		m, _ := filepath.Glob(filepath.Join(root, pattern))
		files = append(files, m...)
	}
	sort.Strings(files)
	h := sha256.New()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
		h.Write(b)
		n++
	}
	if n == 0 {
		return "nosrc"
	}
	return hex.EncodeToString(h.Sum(nil))[:10]
}

// LargeDB is a copy of the large dataset and the summary of its load.
type LargeDB struct {
	*DB
	Summary demo.Summary
}

// OpenLarge returns a copy of the large dataset, built on first use, open
// with the fixed clock it was generated with (Start).
func OpenLarge(tb testing.TB) *LargeDB {
	tb.Helper()
	path, people := LargePath()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		tb.Logf("building the large dataset (%d people) in %s; later runs reuse it", people, path)
		start := time.Now()
		if err := buildLarge(path, people); err != nil {
			tb.Fatalf("build the large dataset: %v", err)
		}
		tb.Logf("built in %s", time.Since(start).Round(time.Second))
	} else if err != nil {
		tb.Fatal(err)
	}
	var sum demo.Summary
	b, err := os.ReadFile(path + ".json")
	if err == nil {
		err = json.Unmarshal(b, &sum)
	}
	if err != nil {
		tb.Fatalf("the summary of the large dataset: %v (remove %s to build it again)", err, path)
	}
	dir := tb.TempDir()
	copyPath := filepath.Join(dir, "large.db")
	if err := copyFile(path, copyPath); err != nil {
		tb.Fatalf("copy the large dataset: %v", err)
	}
	clock := NewClock(Start)
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+copyPath, store.Options{Hasher: Hasher, Clock: clock.Now, Sessions: maillon.DefaultSessionPolicy})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if pending, err := s.Pending(ctx); err != nil || len(pending) > 0 {
		tb.Fatalf("the large dataset %s is not at the current schema (pending %v, %v): remove it", path, pending, err)
	}
	return &LargeDB{DB: &DB{Store: s, Clock: clock, Engine: "sqlite", DSN: "sqlite:" + copyPath}, Summary: sum}
}

// buildLarge generates the dataset into a temporary file, then renames it:
// an interrupted build leaves no half dataset behind.
func buildLarge(path string, people int) error {
	ctx := context.Background()
	tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
	defer removeDB(tmp)
	clock := NewClock(Start)
	s, err := store.Open(ctx, "sqlite:"+tmp, store.Options{Hasher: Hasher, Clock: clock.Now, Sessions: maillon.DefaultSessionPolicy})
	if err != nil {
		return err
	}
	if _, err := s.Migrate(ctx); err != nil {
		s.Close()
		return err
	}
	sum, err := demo.Load(ctx, s.Services(), demo.Options{Scale: demo.Large, Seed: LargeSeed, People: people})
	if err != nil {
		s.Close()
		return err
	}
	// The summary goes with the file: it names the closely followed
	// people, which no query finds cheaply.
	b, err := json.Marshal(sum)
	if err != nil {
		s.Close()
		return err
	}
	if err := os.WriteFile(path+".json", b, 0o644); err != nil {
		s.Close()
		return err
	}
	// Closing the last connection checkpoints the WAL into the file.
	if err := s.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func removeDB(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

func copyFile(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return err
		}
		dst, err := os.Create(to + suffix)
		if err != nil {
			src.Close()
			return err
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if cerr := dst.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Percentiles collects the duration of each operation of a benchmark and
// reports the median and the 95th percentile, in milliseconds: the targets
// of docs/performance.md are percentiles, which ns/op (a mean) hides.
type Percentiles struct{ d []time.Duration }

// Add records one operation.
func (p *Percentiles) Add(d time.Duration) { p.d = append(p.d, d) }

// Report adds p50-ms and p95-ms to the benchmark's results.
func (p *Percentiles) Report(b *testing.B) {
	if len(p.d) == 0 {
		return
	}
	sort.Slice(p.d, func(i, j int) bool { return p.d[i] < p.d[j] })
	at := func(q float64) float64 {
		// Nearest rank.
		i := int(q*float64(len(p.d))+0.999999) - 1
		return float64(p.d[max(0, min(i, len(p.d)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.95), "p95-ms")
}

// NetworkMediator returns the actor of the first mediator of the first
// network structure of the large dataset, 200 active people of that
// structure (the first page of the list) and its closely followed people
// (about 300 timeline entries each).
func (db *LargeDB) NetworkMediator(tb testing.TB) (maillon.Actor, *maillon.User, []maillon.PersonID, []maillon.PersonID) {
	tb.Helper()
	ctx := context.Background()
	u, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "s1.m1@demo.maillon.test")
	if err != nil {
		tb.Fatal(err)
	}
	a := maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
	page, _, err := db.FindPersons(ctx, a, maillon.PersonFilter{Limit: 200})
	if err != nil {
		tb.Fatal(err)
	}
	var ids []maillon.PersonID
	for _, p := range page {
		ids = append(ids, p.ID)
	}
	if len(db.Summary.Followed) < 3 {
		tb.Fatalf("the large dataset names %d closely followed people", len(db.Summary.Followed))
	}
	return a, u, ids, db.Summary.Followed[:3]
}
