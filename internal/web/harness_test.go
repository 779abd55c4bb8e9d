package web_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/server"
	"maillon/internal/storetest"
	"maillon/internal/ui"
	"maillon/internal/web"
)

// renderer is shared by every test so that TestMain can check that each
// page template was rendered at least once.
var renderer *ui.Renderer

func TestMain(m *testing.M) {
	var err error
	renderer, err = ui.New(ui.Options{Track: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	// Only a full run must render every template; a -run filter need not.
	if code == 0 && !flagged("-test.run") && !flagged("-test.bench") {
		if missing := renderer.Unrendered(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: templates never rendered by a test: %v\n", missing)
			code = 1
		}
	}
	os.Exit(code)
}

func flagged(name string) bool {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, name+"=") && !strings.HasSuffix(a, "=") {
			return true
		}
	}
	return false
}

// app is the whole HTTP stack (middleware included) over a fresh database
// holding two structures: the one under test and another, for isolation
// checks.
type app struct {
	t       testing.TB
	db      *storetest.DB
	handler *web.Handler
	srv     *httptest.Server
	st      *storetest.Structure
	other   *storetest.Structure
	logs    *strings.Builder
}

type appOption func(*web.Options, *server.Options)

func newApp(t testing.TB, db *storetest.DB, opts ...appOption) *app {
	t.Helper()
	logs := &strings.Builder{}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	wopt := web.Options{Version: "test", Ping: db.Ping, Logger: log, Clock: db.Clock.Now, Metrics: httpx.NewMetrics().Handler()}
	sopt := server.Options{MaxBodyBytes: 64 << 10, Logger: log, Metrics: httpx.NewMetrics()}
	for _, o := range opts {
		o(&wopt, &sopt)
	}
	h := web.New(db.Services(), renderer, wopt)
	a := &app{t: t, db: db, handler: h, logs: logs}
	a.srv = httptest.NewServer(server.Handler(h, sopt))
	t.Cleanup(a.srv.Close)
	return a
}

// withStructures adds the two fixture structures.
func (a *app) withStructures() *app {
	a.st = storetest.MustCreateStructure(a.t, a.db, "Médiation Test")
	a.other = storetest.MustCreateStructure(a.t, a.db, "Autre structure")
	return a
}

type lockedWriter struct {
	mu chan struct{}
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	if l.mu == nil {
		l.mu = make(chan struct{}, 1)
	}
	l.mu <- struct{}{}
	defer func() { <-l.mu }()
	return l.w.Write(p)
}

// client is a browser: a cookie jar and the last CSRF token seen.
type client struct {
	a    *app
	http *http.Client
	csrf string
}

func (a *app) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{a: a, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is a fetched page.
type response struct {
	t      testing.TB
	status int
	header http.Header
	body   string
	doc    *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.a.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.a.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{t: c.a.t, status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.doc, err = goquery.NewDocumentFromReader(strings.NewReader(r.body))
		if err != nil {
			c.a.t.Fatalf("parse HTML of %s: %v", req.URL, err)
		}
		if tok, ok := r.doc.Find(`input[name="csrf_token"]`).First().Attr("value"); ok {
			c.csrf = tok
		}
	}
	return r
}

func (c *client) get(path string) *response {
	c.a.t.Helper()
	req, _ := http.NewRequest("GET", c.a.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the current CSRF token unless the form sets one.
func (c *client) post(path string, form url.Values) *response {
	c.a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest("POST", c.a.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// login logs u in through the login form and checks the redirect.
func (a *app) login(u *maillon.User) *client {
	a.t.Helper()
	c := a.client()
	c.get("/login")
	r := c.post("/login", url.Values{"email": {u.Email}, "password": {storetest.Password}, "next": {"/"}})
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("login %s: status %d\n%s", u.Email, r.status, r.text("main"))
	}
	c.get("/account") // picks up the session's CSRF token
	return c
}

// text returns the whitespace-normalised text of the first match.
func (r *response) text(sel string) string {
	if r.doc == nil {
		return r.body
	}
	return strings.Join(strings.Fields(r.doc.Find(sel).First().Text()), " ")
}

// find returns the selection matching sel.
func (r *response) find(sel string) *goquery.Selection {
	r.t.Helper()
	if r.doc == nil {
		r.t.Fatalf("response is not HTML (status %d): %.200s", r.status, r.body)
	}
	return r.doc.Find(sel)
}

func (r *response) wantStatus(want int) *response {
	r.t.Helper()
	if r.status != want {
		r.t.Fatalf("status %d, want %d; main: %.500s", r.status, want, r.text("main"))
	}
	return r
}

func (r *response) wantRedirect(to string) *response {
	r.t.Helper()
	if r.status != http.StatusSeeOther {
		r.t.Fatalf("status %d, want 303 to %s; main: %.300s", r.status, to, r.text("main"))
	}
	if loc := r.header.Get("Location"); loc != to {
		r.t.Fatalf("redirect to %q, want %q", loc, to)
	}
	return r
}

// wantFieldError checks that field has an error message tied to its input
// with aria-describedby and aria-invalid, and listed in the error summary.
func (r *response) wantFieldError(field, contains string) {
	r.t.Helper()
	id := ui.FieldID(field)
	msg := r.find("#" + id + "-error")
	if msg.Length() != 1 {
		r.t.Fatalf("no error message for field %s; main: %.500s", field, r.text("main"))
	}
	if !strings.Contains(msg.Text(), contains) {
		r.t.Errorf("error for %s = %q, want it to contain %q", field, strings.TrimSpace(msg.Text()), contains)
	}
	el := r.find("#" + id)
	if inv, _ := el.Attr("aria-invalid"); inv != "true" && el.Is("input,select,textarea") {
		r.t.Errorf("field %s lacks aria-invalid=true", field)
	}
	if db, _ := el.Attr("aria-describedby"); !strings.Contains(db, id+"-error") {
		r.t.Errorf("field %s: aria-describedby=%q does not reference its error", field, db)
	}
	if r.find(`.error-summary a[href="#`+id+`"]`).Length() != 1 {
		r.t.Errorf("error summary does not link to field %s", field)
	}
}

// Ensure pages are tested on both engines through one helper.
func run(t *testing.T, fn func(t *testing.T, a *app)) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		fn(t, newApp(t, db).withStructures())
	})
}
