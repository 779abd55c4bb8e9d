package httpx_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"maillon/internal/httpx"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// logRecorder captures JSON log lines.
type logRecorder struct{ buf bytes.Buffer }

func (l *logRecorder) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(&l.buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// lines decodes every line logged so far.
func (l *logRecorder) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

// requestLines returns the access-log lines.
func (l *logRecorder) requestLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range l.lines(t) {
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

func failOnPanic(t *testing.T) http.HandlerFunc {
	return func(http.ResponseWriter, *http.Request) { t.Error("onPanic called without a panic") }
}

func TestObserveRequestIDAndAccessLog(t *testing.T) {
	var logs logRecorder
	m := httpx.NewMetrics()
	var seenID string
	h := httpx.Observe(logs.logger(), m, failOnPanic(t), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "POST /people/{id}")
		httpx.SetUser(r, 7)
		seenID = httpx.RequestID(r.Context())
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		http.Redirect(w, r, "/people/42", http.StatusSeeOther)
	}))
	req := httptest.NewRequest("POST", "/people/42?q=Dupont&token=abc123", strings.NewReader("email=samira.benali%40exemple.fr&name=Samira+Benali"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)

	id := rec.Header().Get("X-Request-Id")
	if !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(id) {
		t.Fatalf("X-Request-Id = %q, want 16 hex digits", id)
	}
	if seenID != id {
		t.Fatalf("RequestID in the handler = %q, header %q", seenID, id)
	}
	lines := logs.requestLines(t)
	if len(lines) != 1 {
		t.Fatalf("%d access-log lines, want 1: %s", len(lines), logs.buf.String())
	}
	line := lines[0]
	want := map[string]any{
		"level": "INFO", "request_id": id, "method": "POST", "route": "POST /people/{id}",
		"status": float64(303), "user_id": float64(7),
	}
	for k, v := range want {
		if line[k] != v {
			t.Errorf("log %s = %v, want %v", k, line[k], v)
		}
	}
	for _, k := range []string{"bytes", "duration"} {
		if _, ok := line[k]; !ok {
			t.Errorf("log line lacks %s", k)
		}
	}
	for _, secret := range []string{"Dupont", "abc123", "samira", "Samira", "/people/42", "q="} {
		if strings.Contains(logs.buf.String(), secret) {
			t.Errorf("the log holds %q: %s", secret, logs.buf.String())
		}
	}

	var out bytes.Buffer
	m.Write(&out)
	if s := `maillon_http_requests_total{method="POST",route="POST /people/{id}",status="303"} 1`; !strings.Contains(out.String(), s) {
		t.Errorf("metrics lack %s:\n%s", s, out.String())
	}
}

func TestObserveEachRequestGetsItsOwnID(t *testing.T) {
	h := httpx.Observe(discardLogger(), nil, nil, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	seen := map[string]bool{}
	for range 50 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		id := rec.Header().Get("X-Request-Id")
		if seen[id] {
			t.Fatalf("request ID %q given twice", id)
		}
		seen[id] = true
	}
}

func TestObserveStatus(t *testing.T) {
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantCode  int
		wantLevel string
		wantRoute string
	}{
		{"handler writing nothing answers 200", func(http.ResponseWriter, *http.Request) {}, 200, "INFO", "unmatched"},
		{"body without explicit status is 200", func(w http.ResponseWriter, r *http.Request) {
			httpx.SetRoute(r, "GET /")
			io.WriteString(w, "bonjour")
		}, 200, "INFO", "GET /"},
		{"client error is logged at info", func(w http.ResponseWriter, r *http.Request) {
			http.NotFound(w, r)
		}, 404, "INFO", "unmatched"},
		{"server error is logged at error", func(w http.ResponseWriter, r *http.Request) {
			httpx.SetRoute(r, "GET /boom")
			w.WriteHeader(http.StatusServiceUnavailable)
		}, 503, "ERROR", "GET /boom"},
		{"first status wins", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			w.WriteHeader(http.StatusInternalServerError)
		}, 201, "INFO", "unmatched"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs logRecorder
			m := httpx.NewMetrics()
			rec := httptest.NewRecorder()
			httpx.Observe(logs.logger(), m, failOnPanic(t), tt.handler).ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
			if rec.Code != tt.wantCode {
				t.Fatalf("response status = %d, want %d", rec.Code, tt.wantCode)
			}
			lines := logs.requestLines(t)
			if len(lines) != 1 {
				t.Fatalf("%d access-log lines", len(lines))
			}
			if got := lines[0]["status"]; got != float64(tt.wantCode) {
				t.Errorf("logged status = %v, want %d", got, tt.wantCode)
			}
			if got := lines[0]["level"]; got != tt.wantLevel {
				t.Errorf("level = %v, want %s", got, tt.wantLevel)
			}
			if got := lines[0]["route"]; got != tt.wantRoute {
				t.Errorf("route = %v, want %s", got, tt.wantRoute)
			}
			var out bytes.Buffer
			m.Write(&out)
			want := `route="` + tt.wantRoute + `",status="` + strconv.Itoa(tt.wantCode) + `"} 1`
			if !strings.Contains(out.String(), want) {
				t.Errorf("metrics lack %s:\n%s", want, out.String())
			}
		})
	}
}

func TestObservePanic(t *testing.T) {
	var logs logRecorder
	m := httpx.NewMetrics()
	called := 0
	onPanic := func(w http.ResponseWriter, r *http.Request) {
		called++
		if httpx.RequestID(r.Context()) == "" {
			t.Error("onPanic gets a request without ID")
		}
		http.Error(w, "Erreur inattendue", http.StatusInternalServerError)
	}
	h := httpx.Observe(logs.logger(), m, onPanic, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "GET /boom")
		panic("nil map")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/boom?email=x@y.fr", nil))

	if called != 1 {
		t.Fatalf("onPanic called %d times, want 1", called)
	}
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	var panicLine, requestLine map[string]any
	for _, l := range logs.lines(t) {
		switch l["msg"] {
		case "panic":
			panicLine = l
		case "request":
			requestLine = l
		}
	}
	if panicLine == nil || panicLine["level"] != "ERROR" || panicLine["panic"] != "nil map" || panicLine["route"] != "GET /boom" {
		t.Errorf("panic line = %v", panicLine)
	}
	if s, _ := panicLine["stack"].(string); !strings.Contains(s, "middleware_test.go") {
		t.Errorf("panic line lacks the stack: %v", panicLine["stack"])
	}
	if requestLine == nil || requestLine["level"] != "ERROR" || requestLine["status"] != float64(500) {
		t.Errorf("request line = %v", requestLine)
	}
	if strings.Contains(logs.buf.String(), "x@y.fr") {
		t.Error("the log holds the query string")
	}
	var out bytes.Buffer
	m.Write(&out)
	if !strings.Contains(out.String(), `maillon_http_requests_total{method="GET",route="GET /boom",status="500"} 1`) {
		t.Errorf("metrics:\n%s", out.String())
	}
}

func TestObservePanicAfterWriting(t *testing.T) {
	var logs logRecorder
	h := httpx.Observe(logs.logger(), nil, failOnPanic(t), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, "<html>")
		panic("template")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
	if !strings.Contains(logs.buf.String(), `"msg":"panic"`) {
		t.Fatal("the panic was not logged")
	}
}

func TestObserveRepanicsAbortHandler(t *testing.T) {
	h := httpx.Observe(discardLogger(), nil, failOnPanic(t), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic(http.ErrAbortHandler)
	}))
	defer func() {
		if p := recover(); p != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", p)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
}

func TestRequestIDOutsideObserve(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if id := httpx.RequestID(r.Context()); id != "" {
		t.Fatalf("RequestID = %q", id)
	}
	// Must not panic without Observe.
	httpx.SetRoute(r, "GET /")
	httpx.SetUser(r, 1)
}

func TestSecurityHeaders(t *testing.T) {
	for _, hsts := range []bool{false, true} {
		rec := httptest.NewRecorder()
		httpx.SecurityHeaders(hsts, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})).
			ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q lacks %q", csp, want)
			}
		}
		for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("CSP %q allows %s", csp, bad)
			}
		}
		want := map[string]string{
			"X-Content-Type-Options":     "nosniff",
			"X-Frame-Options":            "DENY",
			"Referrer-Policy":            "same-origin",
			"Cross-Origin-Opener-Policy": "same-origin",
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s = %q, want %q", k, got, v)
			}
		}
		if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
			t.Errorf("Permissions-Policy = %q", pp)
		}
		hstsHeader := h.Get("Strict-Transport-Security")
		if hsts && !strings.HasPrefix(hstsHeader, "max-age=") {
			t.Errorf("HSTS asked, header %q", hstsHeader)
		}
		if !hsts && hstsHeader != "" {
			t.Errorf("HSTS not asked, header %q", hstsHeader)
		}
	}
}

func TestLimitBody(t *testing.T) {
	const limit = 64
	tooLarge := func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "trop gros", http.StatusRequestEntityTooLarge)
	}
	form := func(n int) string { return "note=" + strings.Repeat("a", n-len("note=")) }
	tests := []struct {
		name          string
		body          string
		streamed      bool // no Content-Length, as with chunked encoding
		wantStatus    int
		wantNextCalls int
	}{
		{"declared length within the limit", form(limit), false, http.StatusOK, 1},
		{"declared length over the limit is refused at once", form(limit + 1), false, http.StatusRequestEntityTooLarge, 0},
		{"streamed body within the limit", form(limit), true, http.StatusOK, 1},
		{"streamed body over the limit fails form parsing with 413", form(limit + 1), true, http.StatusRequestEntityTooLarge, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			h := httpx.LimitBody(limit, tooLarge, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls++
				if err := r.ParseForm(); err != nil {
					w.WriteHeader(httpx.StatusOf(err))
					return
				}
				if len(r.PostForm.Get("note")) != len(tt.body)-len("note=") {
					t.Errorf("form value truncated")
				}
			}))
			req := httptest.NewRequest("POST", "/notes", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.streamed {
				req.ContentLength = -1
				req.Body = io.NopCloser(strings.NewReader(tt.body))
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if calls != tt.wantNextCalls {
				t.Errorf("next called %d times, want %d", calls, tt.wantNextCalls)
			}
		})
	}
}

func cidrs(t *testing.T, ss ...string) []*net.IPNet {
	t.Helper()
	var out []*net.IPNet
	for _, s := range ss {
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	return out
}

func TestClientIP(t *testing.T) {
	proxies := cidrs(t, "10.0.0.0/8", "fd00::/8")
	tests := []struct {
		name    string
		remote  string
		xff     []string
		trusted []*net.IPNet
		want    string
	}{
		{"direct client", "203.0.113.5:51234", nil, proxies, "203.0.113.5"},
		{"no trusted proxies: X-Forwarded-For ignored", "203.0.113.5:51234", []string{"198.51.100.7"}, nil, "203.0.113.5"},
		{"spoofed header from an untrusted peer ignored", "203.0.113.5:51234", []string{"198.51.100.7"}, proxies, "203.0.113.5"},
		{"trusted proxy: forwarded client", "10.0.0.2:443", []string{"198.51.100.7"}, proxies, "198.51.100.7"},
		{"right-most untrusted hop wins over a spoofed left part", "10.0.0.2:443", []string{"1.2.3.4, 198.51.100.7"}, proxies, "198.51.100.7"},
		{"trusted hops are skipped", "10.0.0.2:443", []string{"1.2.3.4, 198.51.100.7, 10.0.0.3"}, proxies, "198.51.100.7"},
		{"several header lines are one list", "10.0.0.2:443", []string{"1.2.3.4", "198.51.100.7", "10.0.0.3"}, proxies, "198.51.100.7"},
		{"spaces and empty items", "10.0.0.2:443", []string{" , 198.51.100.7 ,, "}, proxies, "198.51.100.7"},
		{"trusted proxy without header", "10.0.0.2:443", nil, proxies, "10.0.0.2"},
		{"garbage stops the walk", "10.0.0.2:443", []string{"198.51.100.7, unknown"}, proxies, "10.0.0.2"},
		{"internal client behind the proxy", "10.0.0.2:443", []string{"10.1.2.3"}, proxies, "10.1.2.3"},
		{"IPv6 direct client", "[2001:db8::1]:51234", []string{"198.51.100.7"}, proxies, "2001:db8::1"},
		{"IPv6 trusted proxy, IPv6 client", "[fd00::2]:443", []string{"2001:db8::7"}, proxies, "2001:db8::7"},
		{"IPv6 trusted proxy, IPv4 client", "[fd00::2]:443", []string{"198.51.100.7"}, proxies, "198.51.100.7"},
		{"IPv4-mapped IPv6 peer in a trusted IPv4 network", "[::ffff:10.0.0.2]:443", []string{"198.51.100.7"}, proxies, "198.51.100.7"},
		{"remote address without port", "203.0.113.5", nil, proxies, "203.0.113.5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := httpx.ClientIP(r, tt.trusted); got != tt.want {
				t.Fatalf("ClientIP = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestIsLoopback(t *testing.T) {
	tests := []struct {
		remote string
		want   bool
	}{
		{"127.0.0.1:5000", true},
		{"[::1]:5000", true},
		{"10.0.0.1:5000", false},
		{"[2001:db8::1]:5000", false},
		{"127.0.0.1", false}, // not a host:port: not trusted
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = tt.remote
		if got := httpx.IsLoopback(r); got != tt.want {
			t.Errorf("IsLoopback(%q) = %v, want %v", tt.remote, got, tt.want)
		}
	}
}

// Ensure an error returned by the handler chain keeps working with
// errors.As after wrapping: StatusOf sees the MaxBytesError of a JSON decode.
func TestLimitBodyJSONDecode(t *testing.T) {
	h := httpx.LimitBody(16, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var v map[string]string
		err := json.NewDecoder(r.Body).Decode(&v)
		var mbe *http.MaxBytesError
		if !errors.As(err, &mbe) {
			t.Errorf("Decode = %v, want a MaxBytesError", err)
		}
		w.WriteHeader(httpx.StatusOf(err))
	}))
	req := httptest.NewRequest("POST", "/api/v1/teams", strings.NewReader(`{"name":"`+strings.Repeat("x", 100)+`"}`))
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status = %d", rec.Code)
	}
}
