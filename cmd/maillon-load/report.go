package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// stats are the figures of one path, or of all paths together.
type stats struct {
	Path     string         `json:"path"` // "*" for the overall figures
	Requests int            `json:"requests"`
	Errors   int            `json:"errors"`
	Statuses map[string]int `json:"statuses"` // "200": n, …, "transport": n
	// RPS counts every completed request, errors included; OKRPS only the
	// successful ones.
	RPS   float64 `json:"requests_per_second"`
	OKRPS float64 `json:"ok_requests_per_second"`
	// Latencies in milliseconds, over every counted request.
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
	P95MS  float64 `json:"p95_ms"`
	P99MS  float64 `json:"p99_ms"`
	MaxMS  float64 `json:"max_ms"`
}

// result is the report of one run.
type result struct {
	URL       string   `json:"url"`
	Clients   int      `json:"clients"`
	Accounts  []string `json:"accounts"`
	Paths     []string `json:"paths"`
	WarmupS   float64  `json:"warmup_s"`
	DurationS float64  `json:"duration_s"` // measured time (shorter if interrupted)
	// The load tool's own environment: it shares the machine with the
	// server when both run on one host.
	Host       string  `json:"host"`
	GOMAXPROCS int     `json:"gomaxprocs"`
	Overall    stats   `json:"overall"`
	PerPath    []stats `json:"per_path"`
	Finished   string  `json:"finished"` // RFC 3339
}

// percentile returns the p-th percentile (0 < p ≤ 100) of sorted samples by
// the nearest-rank method: the smallest sample such that at least p % of
// the samples are less than or equal to it. It is exact (no bucketing) and
// always one of the samples. Empty input gives 0.
func percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	rank = max(1, min(rank, n))
	return sorted[rank-1]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// isError tells whether a status counts as an error: anything but 2xx.
func isError(status string) bool { return len(status) != 3 || status[0] != '2' }

// summarize computes the figures of samples measured over d.
func summarize(path string, samples []sample, d time.Duration) stats {
	s := stats{Path: path, Requests: len(samples), Statuses: map[string]int{}}
	lat := make([]time.Duration, len(samples))
	var sum time.Duration
	for i, x := range samples {
		lat[i] = x.latency
		sum += x.latency
		s.Statuses[x.status]++
		if isError(x.status) {
			s.Errors++
		}
	}
	slices.Sort(lat)
	secs := d.Seconds()
	if secs > 0 {
		s.RPS = float64(s.Requests) / secs
		s.OKRPS = float64(s.Requests-s.Errors) / secs
	}
	if n := len(lat); n > 0 {
		s.MeanMS = ms(sum / time.Duration(n))
		s.P50MS = ms(percentile(lat, 50))
		s.P95MS = ms(percentile(lat, 95))
		s.P99MS = ms(percentile(lat, 99))
		s.MaxMS = ms(lat[n-1])
	}
	return s
}

// buildResult merges the clients' records.
func buildResult(c config, records []clientRecord, measured time.Duration) *result {
	host, _ := os.Hostname()
	r := &result{
		URL: c.baseURL, Clients: c.clients, Accounts: c.emails, Paths: c.paths,
		WarmupS: c.warmup.Seconds(), DurationS: measured.Seconds(),
		Host: host, GOMAXPROCS: runtime.GOMAXPROCS(0),
		Finished: time.Now().UTC().Format(time.RFC3339),
	}
	var all []sample
	for pi, p := range c.paths {
		var samples []sample
		for _, rec := range records {
			if pi < len(rec) {
				samples = append(samples, rec[pi]...)
			}
		}
		all = append(all, samples...)
		r.PerPath = append(r.PerPath, summarize(p, samples, measured))
	}
	r.Overall = summarize("*", all, measured)
	return r
}

func (r *result) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// statusList renders status counts as "200×123 500×2", sorted by status.
func statusList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, " ")
}

func (r *result) writeText(w io.Writer) {
	fmt.Fprintf(w, "Maillon – test de charge\n")
	fmt.Fprintf(w, "URL %s, %d client(s), %d compte(s), chauffe %s, mesure %.1f s (GOMAXPROCS du client : %d)\n\n",
		r.URL, r.Clients, len(r.Accounts), time.Duration(r.WarmupS*float64(time.Second)), r.DurationS, r.GOMAXPROCS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "page\trequêtes\terreurs\treq/s\tmoy. ms\tp50 ms\tp95 ms\tp99 ms\tmax ms\tstatuts\t")
	line := func(label string, s stats) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\t\n",
			label, s.Requests, s.Errors, s.RPS, s.MeanMS, s.P50MS, s.P95MS, s.P99MS, s.MaxMS, statusList(s.Statuses))
	}
	for _, s := range r.PerPath {
		line(s.Path, s)
	}
	if len(r.PerPath) > 1 {
		line("ensemble", r.Overall)
	}
	tw.Flush()
}
