//go:build unix

package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/httpx"
	"maillon/internal/server"
	"maillon/internal/storetest"
	"maillon/internal/ui"
	"maillon/internal/web"
)

// benchHomeHandler wires the whole stack as cmd/maillon/serve.go does
// (store with the demo dataset, renderer, web handler, global middleware)
// and logs the demo mediator in. The access log goes to io.Discard at
// level, so its formatting cost is measured but nothing is printed.
func benchHomeHandler(b *testing.B, engine string, level slog.Level) (http.Handler, *http.Cookie) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, engine)
	svc := db.Services()
	if _, err := demo.Load(ctx, svc, demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
		b.Fatalf("demo: %v", err)
	}
	r, err := ui.New(ui.Options{})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: level}))
	metrics := httpx.NewMetrics()
	wh := web.New(svc, r, web.Options{Version: "bench", Ping: db.Ping, Metrics: metrics.Handler(), Logger: log, Clock: db.Clock.Now})
	h := server.Handler(wh, server.Options{MaxBodyBytes: 1 << 20, Logger: log, Metrics: metrics})
	sess, _, err := svc.Auth.Login(ctx, maillon.LoginInput{Email: "mediation@demo.maillon.test", Password: demo.Password,
		ClientIP: "127.0.0.1", Channel: maillon.ChannelWeb})
	if err != nil {
		b.Fatalf("login: %v", err)
	}
	cookie := &http.Cookie{Name: "maillon_session", Value: sess.Token}
	// One request outside the timer: checks the page and warms the pools.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cookie)
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET /: status %d, want 200", rec.Code)
	}
	return h, cookie
}

// BenchmarkHomePage measures a logged-in GET / through the full handler
// chain in-process, from several goroutines: session lookup, home handler,
// template rendering, security headers, metrics and the access log. No
// network: see cmd/maillon-load for the figures over HTTP.
//
//	go test ./internal/web -run '^$' -bench HomePage -benchmem
func BenchmarkHomePage(b *testing.B) {
	for _, c := range []struct {
		name  string
		level slog.Level
	}{{"log=info", slog.LevelInfo}, {"log=warn", slog.LevelWarn}} {
		b.Run(c.name, func(b *testing.B) {
			h, cookie := benchHomeHandler(b, "sqlite", c.level)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := startCPU()
			defer cpu.report(b)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodGet, "/", nil)
					req.AddCookie(cookie)
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Errorf("GET /: status %d", rec.Code)
						return
					}
				}
			})
		})
	}
}

// cpuMeter reports the process CPU time (user + system, all threads, GC
// included) per operation as "cpu-ns/op". Unlike ns/op, which is wall time
// and moves with whatever else the machine runs, it stays close to the
// cost of one request on a busy machine.
type cpuMeter struct{ start time.Duration }

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuMeter { return cpuMeter{start: cpuTime()} }

func (m cpuMeter) report(b *testing.B) {
	b.ReportMetric(float64(cpuTime()-m.start)/float64(b.N), "cpu-ns/op")
}

// BenchmarkPersonPage measures GET /people/{id} through the whole handler
// chain on the large dataset (see storetest.OpenLarge), for a person with
// about 300 timeline entries, and reports the median and the 95th
// percentile of one request (docs/performance.md):
//
//	go test ./internal/web -run '^$' -bench PersonPage -benchtime 1000x
func BenchmarkPersonPage(b *testing.B) {
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	svc := db.Services()
	a, u, _, followed := db.NetworkMediator(b)
	file, err := svc.People.FindPersonFile(ctx, a, followed[0])
	if err != nil {
		b.Fatal(err)
	}
	if n := len(file.Timeline); n < 250 {
		b.Fatalf("the first person of the network has %d timeline entries, want about 300", n)
	}
	r, err := ui.New(ui.Options{})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	metrics := httpx.NewMetrics()
	wh := web.New(svc, r, web.Options{Version: "bench", Ping: db.Ping, Metrics: metrics.Handler(), Logger: log, Clock: db.Clock.Now})
	h := server.Handler(wh, server.Options{MaxBodyBytes: 1 << 20, Logger: log, Metrics: metrics})
	sess, _, err := svc.Auth.Login(ctx, maillon.LoginInput{Email: u.Email, Password: demo.Password, ClientIP: "127.0.0.1",
		Channel: maillon.ChannelWeb})
	if err != nil {
		b.Fatalf("login: %v", err)
	}
	cookie := &http.Cookie{Name: "maillon_session", Value: sess.Token}
	path := fmt.Sprintf("/people/%d", followed[0])
	var pct storetest.Percentiles
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.AddCookie(cookie)
		start := time.Now()
		h.ServeHTTP(rec, req)
		pct.Add(time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", path, rec.Code)
		}
	}
	b.StopTimer()
	cpu.report(b)
	pct.Report(b)
	b.ReportMetric(float64(len(file.Timeline)), "timeline-entries")
}

// benchLargeHandler wires the whole stack over the large dataset, as
// BenchmarkPersonPage does, and logs u in.
func benchLargeHandler(b *testing.B, db *storetest.LargeDB, u *maillon.User) (http.Handler, *http.Cookie) {
	b.Helper()
	svc := db.Services()
	r, err := ui.New(ui.Options{})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	metrics := httpx.NewMetrics()
	wh := web.New(svc, r, web.Options{Version: "bench", Ping: db.Ping, Metrics: metrics.Handler(), Logger: log, Clock: db.Clock.Now})
	h := server.Handler(wh, server.Options{MaxBodyBytes: 1 << 20, Logger: log, Metrics: metrics})
	sess, _, err := svc.Auth.Login(context.Background(), maillon.LoginInput{Email: u.Email, Password: demo.Password,
		ClientIP: "127.0.0.1", Channel: maillon.ChannelWeb})
	if err != nil {
		b.Fatalf("login: %v", err)
	}
	return h, &http.Cookie{Name: "maillon_session", Value: sess.Token}
}

// BenchmarkAgendaTeamWeek measures GET /agenda for the week of a team of
// the large dataset (about 6 mediators, 3 appointments a day each, and the
// team's weekly permanences) through the whole handler, over the weeks of
// the last year and the coming quarter in turn:
//
//	go test ./internal/web -run '^$' -bench AgendaTeamWeek -benchtime 500x
func BenchmarkAgendaTeamWeek(b *testing.B) {
	db := storetest.OpenLarge(b)
	a, u, _, _ := db.NetworkMediator(b)
	if a.TeamID == 0 {
		b.Fatal("the network mediator has no team")
	}
	h, cookie := benchLargeHandler(b, db, u)
	var weeks []string
	for w := maillon.WeekStart(db.Clock.Now()).AddDate(0, 0, 7*12); len(weeks) < 64; w = w.AddDate(0, 0, -7) {
		weeks = append(weeks, fmt.Sprintf("/agenda?voir=e%d&semaine=%s", a.TeamID, w.Format("2006-01-02")))
	}
	var pct storetest.Percentiles
	rows := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, weeks[i%len(weeks)], nil)
		req.AddCookie(cookie)
		start := time.Now()
		h.ServeHTTP(rec, req)
		pct.Add(time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", weeks[i%len(weeks)], rec.Code)
		}
		rows += strings.Count(rec.Body.String(), "<tr>") - 7
	}
	b.StopTimer()
	cpu.report(b)
	pct.Report(b)
	b.ReportMetric(float64(rows)/float64(b.N), "events/week")
}

// BenchmarkAgendaFeed measures GET /ical/{token}.ics, a mediator's iCal
// feed (3 months back, 12 ahead: about 600 events and the team's weekly
// permanences) on the large dataset, as a calendar app polls it:
//
//	go test ./internal/web -run '^$' -bench AgendaFeed -benchtime 300x
func BenchmarkAgendaFeed(b *testing.B) {
	db := storetest.OpenLarge(b)
	a, u, _, _ := db.NetworkMediator(b)
	h, _ := benchLargeHandler(b, db, u)
	token, err := db.CreateAgendaFeed(context.Background(), a)
	if err != nil {
		b.Fatal(err)
	}
	path := "/ical/" + token + ".ics"
	var pct storetest.Percentiles
	events := 0
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startCPU()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, path, nil)
		start := time.Now()
		h.ServeHTTP(rec, req)
		pct.Add(time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET feed: status %d", rec.Code)
		}
		events += strings.Count(rec.Body.String(), "BEGIN:VEVENT")
	}
	b.StopTimer()
	cpu.report(b)
	pct.Report(b)
	b.ReportMetric(float64(events)/float64(b.N), "events")
}
