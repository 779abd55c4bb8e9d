package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fakeMaillon imitates Maillon's login flow: GET /login sets a CSRF cookie
// and puts the same token in a hidden field; POST /login checks both and
// the password, then answers 303 with a session cookie. Pages other than
// /login need the session, else they redirect to /login (303) as Maillon
// does; /boom always fails with a 500.
type fakeMaillon struct {
	password string
	mu       sync.Mutex
	sessions map[string]string // token → e-mail
	logins   atomic.Int64
	pages    atomic.Int64
	seq      atomic.Int64
}

func newFakeMaillon(t *testing.T, password string) (*fakeMaillon, *httptest.Server) {
	f := &fakeMaillon{password: password, sessions: map[string]string{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeMaillon) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == "/login" && r.Method == http.MethodGet:
		tok := fmt.Sprintf("csrf-%d-0123456789abcdef0123456789abcdef", f.seq.Add(1))
		http.SetCookie(w, &http.Cookie{Name: "maillon_csrf", Value: tok, Path: "/", HttpOnly: true})
		fmt.Fprintf(w, `<!doctype html><form method="post" action="/login">
<input type="hidden" name="csrf_token" value="%s">
<input type="hidden" name="next" value="/">
<input type="email" name="email"><input type="password" name="password"></form>`, tok)
	case r.URL.Path == "/login" && r.Method == http.MethodPost:
		c, err := r.Cookie("maillon_csrf")
		if err != nil || r.PostFormValue("csrf_token") != c.Value {
			http.Error(w, "csrf", http.StatusForbidden)
			return
		}
		if r.PostFormValue("password") != f.password || r.PostFormValue("next") != "/" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		tok := fmt.Sprintf("session-%d", f.seq.Add(1))
		f.mu.Lock()
		f.sessions[tok] = r.PostFormValue("email")
		f.mu.Unlock()
		f.logins.Add(1)
		http.SetCookie(w, &http.Cookie{Name: "maillon_session", Value: tok, Path: "/", HttpOnly: true})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	default:
		c, err := r.Cookie("maillon_session")
		f.mu.Lock()
		ok := err == nil && f.sessions[c.Value] != ""
		f.mu.Unlock()
		if !ok {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		f.pages.Add(1)
		if r.URL.Path == "/boom" {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "<h1>Bonjour</h1>")
	}
}

// The tool runs for about a second against the fake server: every client
// logs in, the pages are counted per path, errors are told apart. No
// timing is asserted.
func TestRunAgainstFakeServer(t *testing.T) {
	f, srv := newFakeMaillon(t, "secret-password")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--url", srv.URL + "/", "--clients", "4", "--duration", "800ms",
		"--warmup", "200ms", "--paths", "/, /boom", "--email", "a@x.test,b@x.test", "--password", "secret-password", "--json"},
		&stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	if f.logins.Load() != 4 {
		t.Errorf("%d logins, want 4", f.logins.Load())
	}
	var r result
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	if r.Clients != 4 || len(r.Accounts) != 2 || len(r.PerPath) != 2 {
		t.Fatalf("result = %+v", r)
	}
	home, boom := r.PerPath[0], r.PerPath[1]
	if home.Path != "/" || home.Requests == 0 || home.Errors != 0 || home.Statuses["200"] != home.Requests {
		t.Errorf("/ = %+v", home)
	}
	if boom.Path != "/boom" || boom.Requests == 0 || boom.Errors != boom.Requests || boom.Statuses["500"] != boom.Requests {
		t.Errorf("/boom = %+v", boom)
	}
	if r.Overall.Requests != home.Requests+boom.Requests || r.Overall.Errors != boom.Requests {
		t.Errorf("overall = %+v", r.Overall)
	}
	if int64(r.Overall.Requests) > f.pages.Load() {
		t.Errorf("counted %d requests, the server saw only %d", r.Overall.Requests, f.pages.Load())
	}
	if r.Overall.P50MS <= 0 || r.Overall.P99MS < r.Overall.P50MS || r.Overall.MaxMS < r.Overall.P99MS {
		t.Errorf("percentiles out of order: %+v", r.Overall)
	}
	if r.Overall.RPS <= 0 {
		t.Errorf("throughput %v", r.Overall.RPS)
	}
}

func TestRunTextReport(t *testing.T) {
	_, srv := newFakeMaillon(t, defaultPassword)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--url", srv.URL, "--clients", "2", "--duration", "300ms", "--warmup", "0s"},
		&stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	for _, want := range []string{"req/s", "p99 ms", "200×"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, stdout.String())
		}
	}
	if !strings.Contains(stderr.String(), "connecté") {
		t.Errorf("no progress message on stderr:\n%s", stderr.String())
	}
}

// A wrong password gives a 401 instead of a 303: exit 1, nothing measured.
func TestRunLoginFailure(t *testing.T) {
	f, srv := newFakeMaillon(t, "the-right-one")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"--url", srv.URL, "--clients", "3", "--duration", "5s", "--password", "wrong"},
		&stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "3 client(s) sur 3 n'ont pas pu se connecter") || !strings.Contains(stderr.String(), "statut 401 au lieu de 303") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	if f.pages.Load() != 0 || stdout.Len() != 0 {
		t.Errorf("pages requested after failed logins: %d; stdout %q", f.pages.Load(), stdout.String())
	}
}

// A login page without the hidden field is a failure too.
func TestLoginNeedsCSRFField(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<form></form>")
	}))
	defer srv.Close()
	err := login(context.Background(), newClient(newTransport(1), 0), srv.URL, "a@x.test", "pw")
	if err == nil || !strings.Contains(err.Error(), "csrf_token introuvable") {
		t.Errorf("err = %v", err)
	}
}

func TestUsageAndBadFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, &stdout, &stderr); code != 0 {
		t.Errorf("-h: exit %d", code)
	}
	for _, want := range []string{"Usage : maillon-load", "--clients", "--paths", "--json", "Exemples :", "(défaut : 32)"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("usage lacks %q", want)
		}
	}
	for _, args := range [][]string{
		{"--clients", "0"}, {"--duration", "0s"}, {"--url", "ftp://x"}, {"--paths", "account"},
		{"--paths", " , "}, {"--email", ""}, {"--nope"}, {"extra"},
	} {
		stdout.Reset()
		stderr.Reset()
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if !strings.Contains(stderr.String(), "maillon-load") {
			t.Errorf("%v: no message: %q", args, stderr.String())
		}
	}
}

func TestCSRFInputPattern(t *testing.T) {
	for _, html := range []string{
		`<input type="hidden" name="csrf_token" value="abc">`,
		`<input name="csrf_token" type="hidden" value="abc" >`,
	} {
		m := csrfInput.FindStringSubmatch(html)
		if m == nil || m[1] != "abc" {
			t.Errorf("%s: %v", html, m)
		}
	}
}
