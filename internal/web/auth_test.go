package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"maillon/internal/storetest"
)

func TestLoginLogout(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.client()
		c.get("/").wantRedirect("/login?next=%2F")
		page := c.get("/login").wantStatus(http.StatusOK)
		if page.find(`label[for="f-email"]`).Length() != 1 || page.find(`input#f-password[type=password]`).Length() != 1 {
			t.Fatal("login form lacks labelled fields")
		}
		if page.find(".demo-accounts").Length() != 0 {
			t.Error("demo accounts shown on a non-demo instance")
		}
		c.post("/login", url.Values{"email": {a.st.Mediator.Email}, "password": {storetest.Password}, "next": {"/account"}}).
			wantRedirect("/account")
		home := c.get("/").wantStatus(http.StatusOK)
		if !strings.Contains(home.text("h1"), a.st.Mediator.DisplayName) {
			t.Errorf("home h1 = %q", home.text("h1"))
		}
		if got := home.text(".brand__structure"); got != "Médiation Test" {
			t.Errorf("header shows structure %q", got)
		}
		c.post("/logout", nil).wantRedirect("/login")
		c.get("/").wantRedirect("/login?next=%2F")
	})
}

func TestLoginRejectsBadCredentialsWithOneMessage(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.client()
		c.get("/login")
		wrong := c.post("/login", url.Values{"email": {a.st.Admin.Email}, "password": {"pas le bon mot de passe"}}).wantStatus(http.StatusUnauthorized)
		unknown := c.post("/login", url.Values{"email": {"personne@exemple.fr"}, "password": {"pas le bon mot de passe"}}).wantStatus(http.StatusUnauthorized)
		if wrong.text(".error-summary") != unknown.text(".error-summary") || wrong.text(".error-summary") == "" {
			t.Errorf("messages differ or are empty: %q vs %q", wrong.text(".error-summary"), unknown.text(".error-summary"))
		}
		if v, _ := wrong.find("#f-email").Attr("value"); v != a.st.Admin.Email {
			t.Errorf("e-mail not kept after error: %q", v)
		}
		if v, _ := wrong.find("#f-password").Attr("value"); v != "" {
			t.Error("password echoed back into the form")
		}
	})
}

func TestLoginThrottling(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.client()
		c.get("/login")
		var last *response
		for range 5 {
			last = c.post("/login", url.Values{"email": {a.st.Admin.Email}, "password": {"mauvais mot de passe"}})
		}
		last.wantStatus(http.StatusTooManyRequests)
		if last.header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
		if !strings.Contains(last.text("main"), "Trop de tentatives") {
			t.Errorf("429 page says %q", last.text("main"))
		}
		// Even the right password is refused while blocked.
		c.post("/login", url.Values{"email": {a.st.Admin.Email}, "password": {storetest.Password}}).wantStatus(http.StatusTooManyRequests)
		a.db.Clock.Advance(16 * time.Minute)
		c.post("/login", url.Values{"email": {a.st.Admin.Email}, "password": {storetest.Password}, "next": {"/"}}).wantRedirect("/")
	})
}

func TestLoginNeedsCSRFToken(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.client()
		c.get("/login")
		c.post("/login", url.Values{"csrf_token": {"forged"}, "email": {a.st.Admin.Email}, "password": {storetest.Password}}).
			wantStatus(http.StatusForbidden)
		// A cross-site browser request is refused even with a token.
		form := url.Values{"csrf_token": {c.csrf}, "email": {a.st.Admin.Email}, "password": {storetest.Password}}
		req, _ := http.NewRequest("POST", a.srv.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		c.do(req).wantStatus(http.StatusForbidden)
	})
}

func TestSessionStateChangesNeedCSRFToken(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		c.post("/admin/teams", url.Values{"csrf_token": {"nope"}, "name": {"Équipe pirate"}}).wantStatus(http.StatusForbidden)
		c.post("/admin/teams", url.Values{"csrf_token": {""}, "name": {"Équipe pirate"}}).wantStatus(http.StatusForbidden)
		if strings.Contains(c.get("/admin/teams").text("main"), "pirate") {
			t.Fatal("team created without a valid CSRF token")
		}
	})
}

func TestLoginNextStaysOnSite(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"} {
			c := a.client()
			c.get("/login")
			c.post("/login", url.Values{"email": {a.st.Mediator.Email}, "password": {storetest.Password}, "next": {next}}).wantRedirect("/")
		}
	})
}

func TestSessionIdleTimeout(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		a.db.Clock.Advance(20 * time.Minute)
		c.get("/").wantStatus(http.StatusOK)
		a.db.Clock.Advance(20 * time.Minute)
		c.get("/").wantStatus(http.StatusOK) // activity kept it alive
		a.db.Clock.Advance(31 * time.Minute)
		c.get("/").wantRedirect("/login?next=%2F")
	})
}

func TestSessionCookieAttributes(t *testing.T) {
	run(t, func(t *testing.T, a *app) {
		c := a.client()
		c.get("/login")
		req, _ := http.NewRequest("POST", a.srv.URL+"/login", strings.NewReader(url.Values{
			"csrf_token": {c.csrf}, "email": {a.st.Admin.Email}, "password": {storetest.Password}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, ck := range c.http.Jar.Cookies(req.URL) {
			req.AddCookie(ck)
		}
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		var session *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == "maillon_session" {
				session = ck
			}
		}
		if session == nil {
			t.Fatal("no session cookie")
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
			t.Errorf("session cookie attributes: %+v", session)
		}
	})
}

func TestSecureCookiesBehindTLS(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := newApp(t, db, func(w *webOptions, s *serverOptions) { w.SecureCookies = true; s.HSTS = true }).withStructures()
		c := a.client()
		r := c.get("/login")
		if r.header.Get("Strict-Transport-Security") == "" {
			t.Error("no HSTS header behind TLS")
		}
		found := false
		for _, line := range r.header.Values("Set-Cookie") {
			if strings.HasPrefix(line, "__Host-maillon_csrf=") {
				found = true
				if !strings.Contains(line, "Secure") {
					t.Errorf("cookie without Secure: %s", line)
				}
			}
		}
		if !found {
			t.Errorf("no __Host- prefixed cookie: %v", r.header.Values("Set-Cookie"))
		}
	})
}
