//go:build unix

package store_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

// BenchmarkSession measures Store.Session, the lookup every logged-in
// request makes, on the demo dataset, from several goroutines. PostgreSQL
// runs when MAILLON_TEST_POSTGRES is set, as for the tests.
//
//	go test ./internal/store -run '^$' -bench Session -benchmem
func BenchmarkSession(b *testing.B) {
	for _, engine := range storetest.Engines {
		b.Run(engine, func(b *testing.B) {
			bctx := context.Background()
			db := storetest.Open(b, engine)
			svc := db.Services()
			if _, err := demo.Load(bctx, svc, demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
				b.Fatalf("demo: %v", err)
			}
			sess, _, err := svc.Auth.Login(bctx, maillon.LoginInput{Email: "mediation@demo.maillon.test",
				Password: demo.Password, ClientIP: "127.0.0.1", Channel: maillon.ChannelWeb})
			if err != nil {
				b.Fatalf("login: %v", err)
			}
			// The clock stands still: last_seen_at is never due for an
			// update, as for all but one request a minute per session.
			if _, err := db.Session(bctx, sess.Token); err != nil {
				b.Fatalf("session: %v", err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := benchCPUTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					cs, err := db.Session(bctx, sess.Token)
					if err != nil || cs.User.Email != "mediation@demo.maillon.test" {
						b.Errorf("session: %v", err)
						return
					}
				}
			})
			// Process CPU time (all threads) per lookup: steadier than
			// ns/op when the machine is busy with something else. On
			// PostgreSQL the server's own CPU is not included.
			b.ReportMetric(float64(benchCPUTime()-start)/float64(b.N), "cpu-ns/op")
		})
	}
}

func benchCPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
