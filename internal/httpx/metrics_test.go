package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sample is one parsed line of the Prometheus text format.
type sample struct {
	name   string
	labels map[string]string
	value  float64
}

var (
	sampleLine = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$`)
	labelPair  = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)`)
	typeLine   = regexp.MustCompile(`^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$`)
	helpLine   = regexp.MustCompile(`^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$`)
)

// parseExposition checks that text follows the Prometheus text exposition
// format (every sample of a declared family, no duplicate series) and
// returns the samples.
func parseExposition(t *testing.T, text string) []sample {
	t.Helper()
	if !strings.HasSuffix(text, "\n") {
		t.Fatal("exposition does not end with a newline")
	}
	types := map[string]string{}
	seen := map[string]bool{}
	var out []sample
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "#") {
			if m := typeLine.FindStringSubmatch(line); m != nil {
				if _, dup := types[m[1]]; dup {
					t.Errorf("line %d: second TYPE for %s", i+1, m[1])
				}
				types[m[1]] = m[2]
			} else if !helpLine.MatchString(line) {
				t.Errorf("line %d: malformed comment %q", i+1, line)
			}
			continue
		}
		m := sampleLine.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d: malformed sample %q", i+1, line)
			continue
		}
		s := sample{name: m[1], labels: map[string]string{}}
		for rest := m[2]; rest != ""; {
			lm := labelPair.FindStringSubmatch(rest)
			if lm == nil {
				t.Errorf("line %d: malformed labels %q", i+1, m[2])
				break
			}
			s.labels[lm[1]] = lm[2]
			rest = rest[len(lm[0]):]
		}
		v, err := strconv.ParseFloat(m[3], 64)
		if err != nil {
			t.Errorf("line %d: value %q: %v", i+1, m[3], err)
		}
		s.value = v
		family := s.name
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			if base := strings.TrimSuffix(s.name, suffix); base != s.name && types[base] == "histogram" {
				family = base
			}
		}
		if types[family] == "" {
			t.Errorf("line %d: sample %s before its TYPE", i+1, s.name)
		}
		if types[family] == "counter" && !strings.HasSuffix(s.name, "_total") {
			t.Errorf("line %d: counter %s without _total", i+1, s.name)
		}
		key := s.name + "{" + m[2] + "}"
		if seen[key] {
			t.Errorf("line %d: duplicate series %s", i+1, key)
		}
		seen[key] = true
		out = append(out, s)
	}
	return out
}

func TestMetricsWriteIsValidExposition(t *testing.T) {
	m := NewMetrics()
	ms := time.Millisecond
	m.observe("GET", "GET /people/{id}", 200, 3*ms)
	m.observe("GET", "GET /people/{id}", 200, 40*ms)
	m.observe("GET", "GET /people/{id}", 404, 400*ms)
	m.observe("GET", "GET /people/{id}", 200, 7*time.Second) // beyond the last bucket
	m.observe("POST", "POST /login", 303, ms)                // on a bucket boundary
	m.observe("GET", "GET /", 200, 0)
	m.Gauges = func(w io.Writer) {
		fmt.Fprintln(w, "# HELP maillon_db_open_connections Open database connections.")
		fmt.Fprintln(w, "# TYPE maillon_db_open_connections gauge")
		fmt.Fprintln(w, "maillon_db_open_connections 3")
	}
	var buf bytes.Buffer
	m.Write(&buf)
	samples := parseExposition(t, buf.String())

	requests := map[string]float64{}
	buckets := map[string][]sample{}
	sums, counts := map[string]float64{}, map[string]float64{}
	var gauge, uptime bool
	for _, s := range samples {
		switch s.name {
		case "maillon_http_requests_total":
			requests[s.labels["method"]+" "+s.labels["route"]+" "+s.labels["status"]] = s.value
		case "maillon_http_request_duration_seconds_bucket":
			buckets[s.labels["route"]] = append(buckets[s.labels["route"]], s)
		case "maillon_http_request_duration_seconds_sum":
			sums[s.labels["route"]] = s.value
		case "maillon_http_request_duration_seconds_count":
			counts[s.labels["route"]] = s.value
		case "maillon_db_open_connections":
			gauge = s.value == 3
		case "maillon_uptime_seconds":
			uptime = s.value >= 0
		}
	}
	wantRequests := map[string]float64{
		"GET GET /people/{id} 200": 3,
		"GET GET /people/{id} 404": 1,
		"POST POST /login 303":     1,
		"GET GET / 200":            1,
	}
	if fmt.Sprint(requests) != fmt.Sprint(wantRequests) {
		t.Errorf("request counters = %v, want %v", requests, wantRequests)
	}
	wantCounts := map[string]float64{"GET /people/{id}": 4, "POST /login": 1, "GET /": 1}
	for route, want := range wantCounts {
		bs := buckets[route]
		if len(bs) != 13 {
			t.Fatalf("%s: %d buckets, want 12 and +Inf", route, len(bs))
		}
		prevLe, prev := -1.0, 0.0
		for _, b := range bs[:12] {
			le, err := strconv.ParseFloat(b.labels["le"], 64)
			if err != nil || le <= prevLe {
				t.Errorf("%s: bucket le=%q not increasing", route, b.labels["le"])
			}
			if b.value < prev {
				t.Errorf("%s: bucket le=%s = %v below the previous %v: buckets must be cumulative", route, b.labels["le"], b.value, prev)
			}
			prevLe, prev = le, b.value
		}
		inf := bs[12]
		if inf.labels["le"] != "+Inf" {
			t.Errorf("%s: last bucket le=%q, want +Inf", route, inf.labels["le"])
		}
		if inf.value != counts[route] || counts[route] != want {
			t.Errorf("%s: +Inf bucket %v, count %v, want both %v", route, inf.value, counts[route], want)
		}
	}
	people := buckets["GET /people/{id}"]
	le := func(bound string) float64 {
		for _, b := range people {
			if b.labels["le"] == bound {
				return b.value
			}
		}
		t.Fatalf("no bucket le=%s", bound)
		return 0
	}
	for bound, want := range map[string]float64{"0.001": 0, "0.005": 1, "0.05": 2, "0.5": 3, "5": 3, "+Inf": 4} {
		if got := le(bound); got != want {
			t.Errorf("GET /people/{id} bucket le=%s = %v, want %v", bound, got, want)
		}
	}
	if b := buckets["POST /login"][0]; b.labels["le"] != "0.001" || b.value != 1 {
		t.Errorf("a 1 ms request is not counted in the le=0.001 bucket: %+v", b)
	}
	if got := sums["GET /people/{id}"]; got < 7.44 || got > 7.45 {
		t.Errorf("sum = %v, want 7.443", got)
	}
	if !gauge {
		t.Error("the engine gauges are missing")
	}
	if !uptime {
		t.Error("the uptime gauge is missing")
	}
}

func TestMetricsWriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	NewMetrics().Write(&buf)
	parseExposition(t, buf.String())
	if !strings.Contains(buf.String(), "maillon_uptime_seconds ") {
		t.Fatalf("exposition:\n%s", buf.String())
	}
}

func TestMetricsHandler(t *testing.T) {
	m := NewMetrics()
	m.observe("GET", "GET /", 200, time.Millisecond)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("Content-Type = %q", ct)
	}
	parseExposition(t, rec.Body.String())
}

// Ensure concurrent requests and scrapes do not race (run with -race).
func TestMetricsConcurrentUse(t *testing.T) {
	m := NewMetrics()
	done := make(chan bool)
	for g := range 4 {
		go func() {
			for i := range 100 {
				m.observe("GET", fmt.Sprintf("GET /r%d", g), 200+i%3, time.Duration(i)*time.Millisecond)
			}
			done <- true
		}()
	}
	for range 20 {
		m.Write(io.Discard)
	}
	for range 4 {
		<-done
	}
	var buf bytes.Buffer
	m.Write(&buf)
	total := 0.0
	for _, s := range parseExposition(t, buf.String()) {
		if s.name == "maillon_http_requests_total" {
			total += s.value
		}
	}
	if total != 400 {
		t.Fatalf("counted %v requests, want 400", total)
	}
}
