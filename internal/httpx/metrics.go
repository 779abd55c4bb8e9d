package httpx

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Metrics collects request counts and latencies per route and renders them
// in the Prometheus text exposition format. It is small on purpose: a
// client library would bring many dependencies for three metric families.
type Metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
	// Gauges adds engine-specific gauges (the database pools) at scrape
	// time.
	Gauges func(w io.Writer)
	start  time.Time
}

type reqKey struct {
	method, route string
	status        int
}

// Latency buckets in seconds.
var buckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	total  uint64
}

// NewMetrics returns an empty collector.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}, start: time.Now()}
}

func (m *Metrics) observe(method, route string, status int, d time.Duration) {
	s := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.latency[route] = h
	}
	for i, b := range buckets {
		if s <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.total++
}

// Handler serves the metrics. Access control is the caller's job.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.Write(w)
	})
}

// Write renders every family.
func (m *Metrics) Write(w io.Writer) {
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	fmt.Fprintln(w, "# HELP maillon_http_requests_total HTTP requests by method, route and status.")
	fmt.Fprintln(w, "# TYPE maillon_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "maillon_http_requests_total{method=%q,route=%q,status=\"%d\"} %d\n", k.method, k.route, k.status, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	fmt.Fprintln(w, "# HELP maillon_http_request_duration_seconds Time to answer HTTP requests, by route.")
	fmt.Fprintln(w, "# TYPE maillon_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, b := range buckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "maillon_http_request_duration_seconds_bucket{route=%q,le=%q} %d\n", r, strconv.FormatFloat(b, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "maillon_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.total)
		fmt.Fprintf(w, "maillon_http_request_duration_seconds_sum{route=%q} %s\n", r, strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(w, "maillon_http_request_duration_seconds_count{route=%q} %d\n", r, h.total)
	}
	m.mu.Unlock()
	fmt.Fprintln(w, "# HELP maillon_uptime_seconds Seconds since the process started.")
	fmt.Fprintln(w, "# TYPE maillon_uptime_seconds gauge")
	fmt.Fprintf(w, "maillon_uptime_seconds %s\n", strconv.FormatFloat(math.Round(time.Since(m.start).Seconds()), 'f', 0, 64))
	if m.Gauges != nil {
		m.Gauges(w)
	}
}
