package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestPercentileNearestRank(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	cases := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", ms(7), 50, 7 * time.Millisecond},
		{"one sample p99", ms(7), 99, 7 * time.Millisecond},
		{"p50 of 1..100", hundred, 50, 50 * time.Millisecond},
		{"p95 of 1..100", hundred, 95, 95 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 100, 100 * time.Millisecond},
		// Nearest rank: ceil(0.5 × 4) = 2nd sample, never an average.
		{"p50 of four", ms(10, 20, 30, 40), 50, 20 * time.Millisecond},
		{"p95 of four", ms(10, 20, 30, 40), 95, 40 * time.Millisecond},
		{"tiny p gives the min", ms(10, 20, 30, 40), 0.01, 10 * time.Millisecond},
	}
	for _, c := range cases {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("%s: percentile(p%g) = %v, want %v", c.name, c.p, got, c.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	var samples []sample
	// 98 successes from 1 to 98 ms, then a 404 at 99 ms and a transport
	// error at 100 ms, given out of order.
	for i := 98; i >= 1; i-- {
		samples = append(samples, sample{latency: time.Duration(i) * time.Millisecond, status: "200"})
	}
	samples = append(samples, sample{latency: 100 * time.Millisecond, status: "transport"},
		sample{latency: 99 * time.Millisecond, status: "404"})
	s := summarize("/", samples, 10*time.Second)
	if s.Requests != 100 || s.Errors != 2 {
		t.Errorf("requests, errors = %d, %d; want 100, 2", s.Requests, s.Errors)
	}
	if s.Statuses["200"] != 98 || s.Statuses["404"] != 1 || s.Statuses["transport"] != 1 {
		t.Errorf("statuses = %v", s.Statuses)
	}
	if s.RPS != 10 || s.OKRPS != 9.8 {
		t.Errorf("rps, ok rps = %v, %v; want 10, 9.8", s.RPS, s.OKRPS)
	}
	if s.P50MS != 50 || s.P95MS != 95 || s.P99MS != 99 || s.MaxMS != 100 || s.MeanMS != 50.5 {
		t.Errorf("mean/p50/p95/p99/max = %v/%v/%v/%v/%v; want 50.5/50/95/99/100", s.MeanMS, s.P50MS, s.P95MS, s.P99MS, s.MaxMS)
	}
	if z := summarize("/", nil, time.Second); z.Requests != 0 || z.P99MS != 0 || z.RPS != 0 {
		t.Errorf("empty summary = %+v", z)
	}
}

func TestIsError(t *testing.T) {
	for status, want := range map[string]bool{"200": false, "204": false, "303": true, "404": true, "500": true, "transport": true} {
		if got := isError(status); got != want {
			t.Errorf("isError(%q) = %v, want %v", status, got, want)
		}
	}
}

func TestBuildResultMergesClients(t *testing.T) {
	c := config{baseURL: "http://x", clients: 2, paths: []string{"/", "/account"}, emails: []string{"a@x"}, warmup: time.Second}
	ok := func(d int) sample { return sample{latency: time.Duration(d) * time.Millisecond, status: "200"} }
	records := []clientRecord{
		{{ok(1), ok(2)}, {ok(10)}},
		{{ok(3)}, {ok(20), {latency: 30 * time.Millisecond, status: "500"}}},
	}
	r := buildResult(c, records, 2*time.Second)
	if len(r.PerPath) != 2 || r.PerPath[0].Path != "/" || r.PerPath[1].Path != "/account" {
		t.Fatalf("per path = %+v", r.PerPath)
	}
	if r.PerPath[0].Requests != 3 || r.PerPath[0].MaxMS != 3 || r.PerPath[0].RPS != 1.5 {
		t.Errorf("/ = %+v", r.PerPath[0])
	}
	if r.PerPath[1].Requests != 3 || r.PerPath[1].Errors != 1 || r.PerPath[1].Statuses["500"] != 1 {
		t.Errorf("/account = %+v", r.PerPath[1])
	}
	if r.Overall.Requests != 6 || r.Overall.Errors != 1 || r.Overall.RPS != 3 || r.Overall.MaxMS != 30 || r.Overall.Path != "*" {
		t.Errorf("overall = %+v", r.Overall)
	}

	var buf bytes.Buffer
	if err := r.writeJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var back result
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON does not read back: %v\n%s", err, buf.String())
	}
	if back.Overall.Requests != 6 || back.DurationS != 2 || back.PerPath[1].Statuses["500"] != 1 {
		t.Errorf("JSON round trip = %+v", back)
	}
	for _, key := range []string{`"p99_ms"`, `"requests_per_second"`, `"statuses"`, `"per_path"`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("JSON lacks %s", key)
		}
	}

	buf.Reset()
	r.writeText(&buf)
	text := buf.String()
	for _, want := range []string{"req/s", "p99 ms", "/account", "ensemble", "500×1", "200×2"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}

func TestStatusList(t *testing.T) {
	if got := statusList(map[string]int{"500": 2, "200": 10, "transport": 1}); got != "200×10 500×2 transport×1" {
		t.Errorf("statusList = %q", got)
	}
}
