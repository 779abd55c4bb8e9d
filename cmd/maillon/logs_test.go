package main

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"maillon"
	"maillon/internal/demo"
)

// browser is an HTTP client with a cookie jar that follows redirects and
// remembers the last CSRF token it saw, as a browser would submit it.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
	// secrets collects every cookie value and CSRF token seen, none of
	// which may reach the log.
	secrets map[string]bool
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newBrowser(t *testing.T, base string) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, base: base, client: &http.Client{Jar: jar, Timeout: 10 * time.Second}, secrets: map[string]bool{}}
}

func (b *browser) do(req *http.Request, want int) string {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s: want status %d, got %d\n%s", req.Method, req.URL, want, resp.StatusCode, body)
	}
	if m := csrfField.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
		b.secrets[b.csrf] = true
	}
	u, _ := url.Parse(b.base)
	for _, c := range b.client.Jar.Cookies(u) {
		if len(c.Value) >= 16 {
			b.secrets[c.Value] = true
		}
	}
	return string(body)
}

// get fetches path (following redirects) and checks the final status.
func (b *browser) get(path string, want int) string {
	b.t.Helper()
	req, err := http.NewRequest("GET", b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req, want)
}

// post submits a form with the current CSRF token (following redirects)
// and checks the final status.
func (b *browser) post(path string, form url.Values, want int) string {
	b.t.Helper()
	form.Set("csrf_token", b.csrf)
	req, err := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req, want)
}

func (b *browser) login(email, password string, want int) string {
	b.t.Helper()
	b.get("/login", http.StatusOK)
	return b.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/"}}, want)
}

// queryMarker is put in query strings and form values: it must never
// reach the log.
const queryMarker = "marqueur-de-requete"

// Ensure a full demo session leaves no personal data in the structured
// log: no e-mail address, no name, no password or token, no query string;
// but one request line per request, with the route pattern.
func TestNoPersonalDataInLogs(t *testing.T) {
	t.Parallel()
	dsn := emptyDatabase(t, "sqlite")
	srv := startServe(t, nil, "--db", dsn, "--demo", "--log-level", "debug")
	ctx := context.Background()

	// What the demo dataset holds, read from the store.
	st := openTestStore(t, dsn)
	op := maillon.OperatorActor()
	structures, err := st.FindStructures(ctx, op)
	if err != nil || len(structures) == 0 {
		t.Fatalf("demo structures: %v", err)
	}
	op.StructureID = structures[0].ID
	users, _, err := st.FindUsers(ctx, op, maillon.UserFilter{Limit: 500})
	if err != nil || len(users) < 3 {
		t.Fatalf("demo users: %v (%d)", err, len(users))
	}
	teams, err := st.FindTeams(ctx, op)
	if err != nil || len(teams) < 2 {
		t.Fatalf("demo teams: %v (%d)", err, len(teams))
	}
	secrets := []string{demo.Password}
	var names []string
	for _, u := range users {
		names = append(names, u.DisplayName)
		secrets = append(secrets, u.Email)
	}

	const (
		wrongPassword = "pas-le-bon-mot-de-passe"
		newName       = "Élise Fontaine-Marchand"
		newEmail      = "elise.fontaine@exemple.fr"
		newPassword   = "une nouvelle phrase secrète"
	)
	names = append(names, newName)
	secrets = append(secrets, wrongPassword, newEmail, newPassword, queryMarker)

	b := newBrowser(t, srv.url)

	// Anonymous visits, with query strings carrying personal data.
	b.get("/?email=camille.roux@exemple.fr", http.StatusOK) // redirected to the login page
	b.get("/login?next=%2Fadmin%2Fusers%3Fq%3D"+queryMarker, http.StatusOK)
	b.get("/healthz?check="+queryMarker, http.StatusOK)
	b.get("/nowhere?email=camille.roux@exemple.fr&q="+queryMarker, http.StatusNotFound)

	// Failed logins: a wrong password, an unknown e-mail.
	b.login("admin@demo.maillon.test", wrongPassword, http.StatusUnauthorized)
	b.login("inconnu@demo.maillon.test", wrongPassword, http.StatusUnauthorized)

	// Every demo account logs in and walks its pages.
	for _, email := range []string{"coordination@demo.maillon.test", "mediation@demo.maillon.test"} {
		b.login(email, demo.Password, http.StatusOK)
		b.get("/", http.StatusOK)
		b.get("/account", http.StatusOK)
		b.get("/account/password", http.StatusOK)
		b.get("/admin/users?q="+queryMarker, http.StatusForbidden)
		b.post("/account/password", url.Values{"current_password": {wrongPassword}, "password": {newPassword}, "password_confirm": {newPassword}},
			http.StatusUnprocessableEntity)
		b.post("/logout", url.Values{}, http.StatusOK)
	}

	b.login("admin@demo.maillon.test", demo.Password, http.StatusOK)
	for _, path := range []string{
		"/", "/account", "/account/password",
		"/admin", "/admin/structure", "/admin/territory", "/admin/teams", "/admin/users", "/admin/users/new", "/admin/audit",
		"/admin/users?q=" + url.QueryEscape("Roux "+queryMarker) + "&role=admin&active=on&page=1",
		"/admin/audit?action=login&from=2026-01-01&to=2026-12-31&user=" + strconv.FormatInt(int64(users[0].ID), 10) + "&m=" + queryMarker,
	} {
		b.get(path, http.StatusOK)
	}
	for _, tm := range teams {
		b.get("/admin/teams/"+strconv.FormatInt(int64(tm.ID), 10), http.StatusOK)
	}
	for _, u := range users {
		b.get("/admin/users/"+strconv.FormatInt(int64(u.ID), 10), http.StatusOK)
	}
	b.get("/admin/users/999999", http.StatusNotFound)

	// Create an account, then fail to create it twice.
	body := b.post("/admin/users", url.Values{"display_name": {newName}, "email": {newEmail}, "role": {"mediateur"},
		"team_id": {strconv.FormatInt(int64(teams[0].ID), 10)}}, http.StatusOK)
	m := regexp.MustCompile(`<code>([a-z0-9-]{19})</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the created account's temporary password is not shown:\n%s", body)
	}
	temporary := m[1]
	secrets = append(secrets, temporary)
	b.get("/admin/users/new", http.StatusOK)
	b.post("/admin/users", url.Values{"display_name": {newName}, "email": {newEmail}, "role": {"mediateur"}}, http.StatusUnprocessableEntity)
	b.post("/admin/users", url.Values{"display_name": {newName}, "email": {"pas-une-adresse@"}, "role": {"mediateur"}}, http.StatusUnprocessableEntity)

	// Change a team, and move someone to another team.
	b.post("/admin/teams/"+strconv.FormatInt(int64(teams[1].ID), 10),
		url.Values{"name": {teams[1].Name + " (renommée)"}, "description": {"Présence de Camille Roux " + queryMarker}}, http.StatusOK)
	var mediator maillon.User
	for _, u := range users {
		if u.Role == maillon.RoleMediateur {
			mediator = u
			break
		}
	}
	b.post("/admin/users/"+strconv.FormatInt(int64(mediator.ID), 10),
		url.Values{"display_name": {mediator.DisplayName}, "role": {"mediateur"}, "team_id": {strconv.FormatInt(int64(teams[1].ID), 10)}}, http.StatusOK)
	b.post("/logout", url.Values{}, http.StatusOK)

	// The new account logs in with its temporary password and chooses
	// its own.
	b.login(newEmail, temporary, http.StatusOK)
	b.post("/account/password", url.Values{"current_password": {temporary}, "password": {newPassword}, "password_confirm": {newPassword}}, http.StatusOK)
	b.get("/", http.StatusOK)
	b.post("/logout", url.Values{}, http.StatusOK)

	srv.shutdown(t)
	log := srv.log.String()
	for s := range b.secrets {
		secrets = append(secrets, s)
	}

	if strings.Contains(log, "@") {
		t.Errorf("the log holds an e-mail address (an @):\n%s", linesWith(log, "@"))
	}
	// Names are looked for case- and accent-insensitively: a lowercased
	// search key is a name too.
	folded := maillon.FoldText(log)
	for _, name := range names {
		for _, part := range append([]string{name}, strings.Fields(name)...) {
			if utf8.RuneCountInString(part) >= 4 && strings.Contains(folded, maillon.FoldText(part)) {
				t.Errorf("the log holds the name %q (of %q):\n%s", part, name, linesWith(folded, maillon.FoldText(part)))
			}
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(log, s) {
			t.Errorf("the log holds %q:\n%s", s, linesWith(log, s))
		}
	}
	for _, s := range []string{"level=ERROR", "level=WARN"} {
		if strings.Contains(log, s) {
			t.Errorf("the session logged a problem:\n%s", linesWith(log, s))
		}
	}

	// One request line per request, with the route pattern and never a
	// path with an ID or a query string.
	requests := 0
	routes := map[string]bool{}
	routeAttr := regexp.MustCompile(`route="([^"]*)"|route=(\S+)`)
	for _, line := range strings.Split(log, "\n") {
		if !strings.Contains(line, "msg=request ") {
			continue
		}
		requests++
		if strings.Contains(line, "?") {
			t.Errorf("a request line holds a query string: %s", line)
		}
		if m := routeAttr.FindStringSubmatch(line); m != nil {
			routes[m[1]+m[2]] = true
		} else {
			t.Errorf("a request line has no route: %s", line)
		}
	}
	if requests < 50 {
		t.Errorf("only %d request lines in the log:\n%s", requests, log)
	}
	for _, want := range []string{"GET /login", "POST /login", "GET /admin/users/{id}", "POST /admin/teams/{id}", "POST /admin/users", "POST /logout", "unmatched"} {
		if !routes[want] && !routes[strings.TrimPrefix(want, "GET ")] {
			t.Errorf("no request line with the route %q; routes: %v", want, routes)
		}
	}
	for r := range routes {
		if regexp.MustCompile(`/\d`).MatchString(r) {
			t.Errorf("a request line holds a path with an ID instead of the route pattern: %q", r)
		}
	}
}

// linesWith returns the lines of log that contain s.
func linesWith(log, s string) string {
	var out []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
