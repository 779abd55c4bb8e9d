//go:build unix

package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// benchActivite finds, on the large dataset, a project of the first
// network structure at status with 50 sessions (held ones with their
// attendance and answers) and logs its structure's administrator in.
func benchActivite(b *testing.B, status string) (http.Handler, *http.Cookie, maillon.ActiviteID) {
	b.Helper()
	ctx := context.Background()
	db := storetest.OpenLarge(b)
	u, err := db.FindUserByEmail(ctx, maillon.OperatorActor(), "admin1@demo.maillon.test")
	if err != nil {
		b.Fatal(err)
	}
	a := maillon.Actor{UserID: u.ID, StructureID: u.StructureID, TeamID: u.TeamID, Role: u.Role, Channel: maillon.ChannelWeb}
	var id maillon.ActiviteID
	for off := 0; id == 0 && off < 5000; off += 500 {
		list, _, err := db.FindActivites(ctx, a, maillon.ActiviteFilter{Status: status, Limit: 500, Offset: off})
		if err != nil {
			b.Fatal(err)
		}
		for _, x := range list {
			if x.SeanceCount == 50 {
				id = x.ID
				break
			}
		}
	}
	if id == 0 {
		b.Fatalf("no project %q with 50 sessions in the large dataset", status)
	}
	h, cookie := benchLargeHandler(b, db, u)
	return h, cookie, id
}

// benchGet requests path b.N times and reports the median and the 95th
// percentile of one request.
func benchGet(b *testing.B, h http.Handler, cookie *http.Cookie, path string) {
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
}

// BenchmarkActivitePage measures GET /activites/{id} for a project of 50
// sessions of the large dataset (objectives computed from attendance,
// figures, satisfaction, the read audited), running (with its forms and
// the directory's structures offered as partners) and evaluated; target
// p95 < 15 ms (docs/performance.md §12):
//
//	go test ./internal/web -run '^$' -bench ActivitePage -benchtime 500x
func BenchmarkActivitePage(b *testing.B) {
	for _, status := range []string{maillon.ActiviteEnCours, maillon.ActiviteEvaluee} {
		b.Run(status, func(b *testing.B) {
			h, cookie, id := benchActivite(b, status)
			benchGet(b, h, cookie, fmt.Sprintf("/activites/%d", id))
		})
	}
}

// BenchmarkActiviteBilan measures GET /activites/{id}/bilan for the same
// project, target p95 < 50 ms:
//
//	go test ./internal/web -run '^$' -bench ActiviteBilan -benchtime 500x
func BenchmarkActiviteBilan(b *testing.B) {
	h, cookie, id := benchActivite(b, maillon.ActiviteEvaluee)
	benchGet(b, h, cookie, fmt.Sprintf("/activites/%d/bilan", id))
}
