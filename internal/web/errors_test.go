package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/server"
	"maillon/internal/storetest"
	"maillon/internal/web"
)

// newAppWithServices mirrors newApp with services of the test's choosing,
// to inject failures.
func newAppWithServices(t testing.TB, db *storetest.DB, svc maillon.Services, opts ...appOption) *app {
	t.Helper()
	logs := &strings.Builder{}
	log := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	wopt := web.Options{Version: "test", Ping: db.Ping, Logger: log, Clock: db.Clock.Now, Metrics: httpx.NewMetrics().Handler()}
	sopt := server.Options{MaxBodyBytes: 64 << 10, Logger: log, Metrics: httpx.NewMetrics()}
	for _, o := range opts {
		o(&wopt, &sopt)
	}
	h := web.New(svc, renderer, wopt)
	a := &app{t: t, db: db, handler: h, logs: logs}
	a.srv = httptest.NewServer(server.Handler(h, sopt))
	t.Cleanup(a.srv.Close)
	return a
}

// failingTeams fails to list teams, as a broken database would.
type failingTeams struct{ maillon.TeamService }

func (failingTeams) FindTeams(context.Context, maillon.Actor) ([]maillon.Team, error) {
	return nil, errors.New("boom: connection refused to 10.0.0.7")
}

// panickingUsers panics while listing users.
type panickingUsers struct{ maillon.UserService }

func (panickingUsers) FindUsers(context.Context, maillon.Actor, maillon.UserFilter) ([]maillon.User, int, error) {
	panic("kaboom")
}

// wantSecurityHeaders checks the headers every response carries.
func (r *response) wantSecurityHeaders(what string) {
	r.t.Helper()
	h := r.header
	csp := h.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") ||
		!strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") ||
		!strings.Contains(csp, "style-src 'self'") || !strings.Contains(csp, "default-src 'none'") {
		r.t.Errorf("%s: Content-Security-Policy = %q", what, csp)
	}
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
	} {
		if got := h.Get(name); got != want {
			r.t.Errorf("%s: %s = %q, want %q", what, name, got, want)
		}
	}
	if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "geolocation=()") {
		r.t.Errorf("%s: Permissions-Policy = %q", what, pp)
	}
	if id := h.Get("X-Request-Id"); len(id) < 8 {
		r.t.Errorf("%s: X-Request-Id = %q", what, id)
	}
}

// wantErrorPage checks a French error page: status, one h1 with title.
func (r *response) wantErrorPage(status int, title string) *response {
	r.t.Helper()
	r.wantStatus(status)
	if got := r.find("h1"); got.Length() != 1 || strings.TrimSpace(got.Text()) != title {
		r.t.Errorf("error page h1 = %q (%d), want %q", got.Text(), got.Length(), title)
	}
	if got := r.text("title"); got != title+" – Maillon" {
		r.t.Errorf("error page title = %q", got)
	}
	if r.find("html[lang=fr]").Length() != 1 {
		r.t.Error("error page not in French")
	}
	return r
}

func TestNotFoundPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		anon := a.client()
		nf := anon.get("/pas-de-page-ici").wantErrorPage(http.StatusNotFound, "Page introuvable")
		nf.wantSecurityHeaders("404")
		if nf.find(".main-nav").Length() != 0 {
			t.Error("anonymous 404 shows the navigation")
		}
		if nf.find(`main a[href="/"]`).Length() != 1 {
			t.Error("no way back home")
		}
		anon.get("/admin/nope/deeper").wantErrorPage(http.StatusNotFound, "Page introuvable")
		anon.get("/static/0000/css/absent.css").wantStatus(http.StatusNotFound)

		c := a.login(a.st.Mediator)
		in := c.get("/nulle-part").wantErrorPage(http.StatusNotFound, "Page introuvable")
		if in.find(`.main-nav a[href="/"]`).Length() != 1 || in.text(".brand__structure") != "Médiation Test" {
			t.Error("logged-in 404 lacks the header and navigation")
		}
		// A route with the wrong method is not a server error.
		if r := c.get("/logout"); r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
			t.Errorf("GET /logout: %d", r.status)
		}
	})
}

func TestForbiddenPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		for _, u := range []*maillon.User{a.st.Mediator, a.st.Coordinator} {
			c := a.login(u)
			r := c.get("/admin").wantErrorPage(http.StatusForbidden, "Accès refusé")
			r.wantSecurityHeaders("403")
			r.wantContains("main", "Vous n'avez pas les droits nécessaires")
			if r.find(`.main-nav a[href="/admin"]`).Length() != 0 || r.find(`.main-nav a[href="/"]`).Length() != 1 {
				t.Error("403 page navigation is wrong")
			}
			c.get("/admin/users").wantStatus(http.StatusForbidden)
			c.post("/admin/teams", url.Values{"name": {"Équipe pirate"}}).wantErrorPage(http.StatusForbidden, "Accès refusé")
		}
	})
}

func TestExpiredSessionOnPostPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		a.login(a.st.Admin).post("/account/logout-everywhere", nil).wantRedirect("/login")
		r := c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}}).wantErrorPage(http.StatusUnauthorized, "Connexion nécessaire")
		r.wantContains("main", "Votre session a expiré")
		if r.find(`main a[href="/login"]`).Length() != 1 || r.find(".user-menu").Length() != 0 {
			t.Error("401 page should offer to log in and show no user menu")
		}
	})
}

func TestRequestTooLargePage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		big := strings.Repeat("a", 100<<10)
		anon := a.client()
		anon.get("/login")
		r := anon.post("/login", url.Values{"email": {big}, "password": {"x"}}).wantErrorPage(http.StatusRequestEntityTooLarge, "Envoi trop volumineux")
		r.wantContains("main", "trop volumineux")
		r.wantSecurityHeaders("413")

		// A body without a declared length is cut while it is read.
		c := a.login(a.st.Admin)
		body := url.Values{"csrf_token": {c.csrf}, "name": {"Équipe"}, "description": {big}}.Encode()
		req, _ := http.NewRequest("POST", a.srv.URL+"/admin/teams", io.MultiReader(strings.NewReader(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if req.ContentLength != 0 {
			t.Fatalf("request has a declared length %d", req.ContentLength)
		}
		c.do(req).wantErrorPage(http.StatusRequestEntityTooLarge, "Envoi trop volumineux")
		if teams, _ := a.db.FindTeams(bg, actorOf(a.st.Admin)); len(teams) != 0 {
			t.Error("team created from a truncated body")
		}
		// A body just under the limit is handled normally.
		c.post("/admin/teams", url.Values{"name": {"Équipe"}, "description": {strings.Repeat("a", 60<<10)}}).
			wantStatus(http.StatusUnprocessableEntity).wantFieldError("description", "")
	})
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		ok := newApp(t, db).client().get("/healthz").wantStatus(http.StatusOK)
		ok.wantSecurityHeaders("healthz")
		if ct := ok.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		var body map[string]string
		if err := json.Unmarshal([]byte(ok.body), &body); err != nil {
			t.Fatalf("healthz body %q: %v", ok.body, err)
		}
		if body["status"] != "ok" || body["database"] != "ok" || body["version"] != "test" {
			t.Errorf("healthz = %v", body)
		}

		down := newApp(t, db, func(w *webOptions, _ *serverOptions) {
			w.Ping = func(context.Context) error { return errors.New("database is down") }
		})
		bad := down.client().get("/healthz").wantStatus(http.StatusServiceUnavailable)
		body = nil
		if err := json.Unmarshal([]byte(bad.body), &body); err != nil {
			t.Fatalf("healthz body %q: %v", bad.body, err)
		}
		if body["status"] != "error" || body["database"] != "unreachable" || strings.Contains(bad.body, "down") {
			t.Errorf("healthz when the database is down = %s", bad.body)
		}
	})
}

func TestMetricsAccess(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		shared := func(token string) appOption {
			return func(w *webOptions, s *serverOptions) {
				m := httpx.NewMetrics()
				w.Metrics, s.Metrics, w.MetricsToken = m.Handler(), m, token
			}
		}
		get := func(a *app, xff, auth string) *response {
			t.Helper()
			req, _ := http.NewRequest("GET", a.srv.URL+"/metrics", nil)
			if xff != "" {
				req.Header.Set("X-Forwarded-For", xff)
			}
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			return a.client().do(req)
		}

		local := newApp(t, db, shared("")).withStructures()
		local.client().get("/login")
		m := get(local, "", "").wantStatus(http.StatusOK)
		m.wantSecurityHeaders("metrics")
		if !strings.HasPrefix(m.header.Get("Content-Type"), "text/plain") ||
			!strings.Contains(m.body, `maillon_http_requests_total{method="GET",route="GET /login",status="200"} 1`) ||
			!strings.Contains(m.body, "maillon_http_request_duration_seconds_bucket") {
			t.Errorf("metrics body:\n%.600s", m.body)
		}
		// Through a reverse proxy the peer is loopback, but the client is not.
		get(local, "203.0.113.9", "").wantErrorPage(http.StatusNotFound, "Page introuvable")
		get(local, "203.0.113.9", "Bearer ").wantStatus(http.StatusNotFound)

		remote := newApp(t, db, shared("jeton-de-supervision"))
		get(remote, "203.0.113.9", "Bearer jeton-de-supervision").wantStatus(http.StatusOK)
		get(remote, "203.0.113.9", "Bearer mauvais-jeton").wantStatus(http.StatusNotFound)
		get(remote, "203.0.113.9", "jeton-de-supervision").wantStatus(http.StatusNotFound)
		get(remote, "203.0.113.9", "").wantStatus(http.StatusNotFound)
		get(remote, "", "").wantStatus(http.StatusOK)
	})
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		anon := a.client()
		login := anon.get("/login").wantStatus(http.StatusOK)
		login.wantSecurityHeaders("GET /login")
		anon.get("/").wantSecurityHeaders("redirect")
		anon.post("/login", url.Values{"email": {"x@exemple.fr"}, "password": {"faux"}}).wantSecurityHeaders("401")
		css := login.find(`link[rel="stylesheet"]`).First().AttrOr("href", "")
		st := anon.get(css).wantStatus(http.StatusOK)
		st.wantSecurityHeaders("static")
		if !strings.Contains(st.header.Get("Cache-Control"), "immutable") {
			t.Errorf("static Cache-Control = %q", st.header.Get("Cache-Control"))
		}
		js := login.find(`script[src]`).First().AttrOr("src", "")
		anon.get(js).wantStatus(http.StatusOK).wantSecurityHeaders("script")

		c := a.login(a.st.Admin)
		for _, p := range []string{"/", "/account", "/admin", "/admin/users"} {
			r := c.get(p).wantStatus(http.StatusOK)
			r.wantSecurityHeaders(p)
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s: Cache-Control = %q", p, r.header.Get("Cache-Control"))
			}
		}
		c.post("/admin/teams", url.Values{"name": {""}}).wantSecurityHeaders("422")
		c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}}).wantSecurityHeaders("303")

		ids := map[string]bool{}
		for range 5 {
			id := anon.get("/login").header.Get("X-Request-Id")
			if ids[id] {
				t.Errorf("request id %q reused", id)
			}
			ids[id] = true
		}
	})
}

func TestServerErrorPageShowsOnlyRequestID(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		svc := db.Services()
		svc.Teams = failingTeams{svc.Teams}
		svc.Users = panickingUsers{svc.Users}
		a := newAppWithServices(t, db, svc).withStructures()
		c := a.login(a.st.Admin)

		for _, p := range []string{"/admin/teams", "/", "/admin/users"} {
			r := c.get(p).wantErrorPage(http.StatusInternalServerError, "Erreur du serveur")
			r.wantSecurityHeaders("500 " + p)
			rid := r.header.Get("X-Request-Id")
			if got := r.text("main code"); got != rid {
				t.Errorf("%s: request id shown %q, header %q", p, got, rid)
			}
			for _, leak := range []string{"boom", "10.0.0.7", "kaboom", "goroutine", ".go:"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("%s: the 500 page leaks %q", p, leak)
				}
			}
			if !strings.Contains(a.logs.String(), "request_id="+rid) {
				t.Errorf("%s: request id not in the logs", p)
			}
		}
		if !strings.Contains(a.logs.String(), "boom") || !strings.Contains(a.logs.String(), "kaboom") {
			t.Error("the failure is not logged")
		}
		// Pages that do not need the failing service still work.
		c.get("/account").wantStatus(http.StatusOK)
		a.login(a.st.Mediator).get("/").wantStatus(http.StatusOK)
	})
}
