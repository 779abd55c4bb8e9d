package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"

	"maillon"
	"maillon/internal/storetest"
)

// malPair is one key=value of a request body or query string. A raw value
// is written as is, without percent-encoding, so that invalid UTF-8 bytes
// reach the server untouched.
type malPair struct {
	k, v string
	raw  bool
}

func malEncode(pairs []malPair) string {
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.k))
		b.WriteByte('=')
		if p.raw {
			b.WriteString(p.v)
		} else {
			b.WriteString(url.QueryEscape(p.v))
		}
	}
	return b.String()
}

// malCSRF stands for the client's CSRF token in a variant's pairs.
const malCSRF = "\x00csrf"

// malVariant is one malformed request for a route whose fields are known.
type malVariant struct {
	name string
	// pairs, without the CSRF token, which is added first unless noCSRF.
	pairs  []malPair
	noCSRF bool
	// body, when set, replaces the encoded pairs (the CSRF token is still
	// prepended unless noCSRF).
	body        string
	contentType string
	chunked     bool
	want        int // the exact status expected; 0: any acceptable one
}

// malVariants builds the malformed requests for a route with the given
// field names and a valid form to start from.
func malVariants(fields []string, valid url.Values, isGet bool) []malVariant {
	set := func(v string, raw bool) []malPair {
		var out []malPair
		for _, f := range fields {
			out = append(out, malPair{f, v, raw})
		}
		return out
	}
	// base returns the valid form with field replaced by value.
	base := func(field, value string, raw bool) []malPair {
		out := []malPair{{field, value, raw}}
		keys := make([]string, 0, len(valid))
		for k := range valid {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if k != field {
				out = append(out, malPair{k, valid.Get(k), false})
			}
		}
		return out
	}
	huge := strings.Repeat("x", 100_000)
	vs := []malVariant{
		{name: "unknown fields only", pairs: []malPair{{"champ_inconnu", "x", false}, {"", "sans nom", false}, {"=", "=", false}}},
		{name: "bad percent-encoding", body: "&" + malEncode(base("x", "y", false)) + "&name=%zz&%gg=1"},
		{name: "semicolon separators", body: "&" + malEncode(base("x", "y", false)) + ";name=a;b=c"},
	}
	if len(fields) > 0 {
		vs = append(vs, malFieldVariants(fields, valid, set, base)...)
	}
	if isGet {
		vs = append(vs, malVariant{name: "page=-1", pairs: base("page", "-1", false)},
			malVariant{name: "page=99999999999999999999", pairs: base("page", "99999999999999999999", false)},
			malVariant{name: "page=abc", pairs: base("page", "abc", false)})
		return vs
	}
	if len(fields) > 0 {
		vs = append(vs, malVariant{name: "every field 100 000 characters (over the body limit)", pairs: set(huge, false), want: http.StatusRequestEntityTooLarge})
	}
	vs = append(vs,
		malVariant{name: "one field over the body limit", pairs: []malPair{{"x", huge, false}}, want: http.StatusRequestEntityTooLarge},
		malVariant{name: "body over the limit, chunked", pairs: []malPair{{"x", huge, false}}, chunked: true},
		malVariant{name: "no CSRF token", pairs: base("x", "y", false), noCSRF: true, want: http.StatusForbidden},
		malVariant{name: "CSRF token invalid UTF-8", pairs: append([]malPair{{"csrf_token", "\xff\xfe", true}}, base("x", "y", false)...), noCSRF: true, want: http.StatusForbidden},
		malVariant{name: "CSRF token duplicated, first wrong", pairs: append([]malPair{{"csrf_token", "faux", false}, {"csrf_token", malCSRF, false}}, base("x", "y", false)...), noCSRF: true, want: http.StatusForbidden},
		malVariant{name: "JSON body", body: `{"name": "x"}`, contentType: "application/json", noCSRF: true},
		malVariant{name: "multipart without boundary", body: "--x\r\n", contentType: "multipart/form-data", noCSRF: true},
		malVariant{name: "no content type", body: "name=x", contentType: "-", noCSRF: true},
	)
	return vs
}

// malFieldVariants are the variants that put bad values in the fields.
func malFieldVariants(fields []string, valid url.Values, set func(string, bool) []malPair, base func(string, string, bool) []malPair) []malVariant {
	vs := []malVariant{
		{name: "every field empty", pairs: set("", false)},
		{name: "every field 1000 characters", pairs: set(strings.Repeat("é", 1000), false)},
		{name: "every field invalid UTF-8 (raw)", pairs: set("\xff\xfe", true)},
		{name: "every field invalid UTF-8 (percent-encoded)", pairs: set("\xff\xfe", false)},
		{name: "every field a truncated UTF-8 sequence", pairs: set("ab\xc3", true)},
		{name: "every field overlong UTF-8 and a surrogate", pairs: set("\xc0\xaf\xed\xa0\x80", true)},
		{name: "every field NUL", pairs: set("\x00", false)},
		{name: "every field control characters", pairs: set("a\x1b[31m\r\n\tb\u202e", false)},
		{name: "every field markup", pairs: set(`"><script>alert(1)</script>`, false)},
		{name: "every field SQL", pairs: set("'; drop table users; --", false)},
		{name: "every field blank", pairs: set(" \t ", false)},
	}
	for _, v := range []string{"abc", "-5", "superadmin", "2026-13-45", "99999999999999999999"} {
		vs = append(vs, malVariant{name: "every field " + v, pairs: set(v, false)})
	}
	for _, f := range fields {
		for _, v := range []string{"abc", "-5"} {
			vs = append(vs, malVariant{name: fmt.Sprintf("%s=%s, others valid", f, v), pairs: base(f, v, false)})
		}
		vs = append(vs,
			malVariant{name: f + " invalid UTF-8, others valid", pairs: base(f, "ok\xff\xfeok", true)},
			malVariant{name: f + " near 60 KiB, others valid", pairs: base(f, strings.Repeat("a", 59_000), false)},
			// The first value is the one read; it must not be mixed
			// with the second.
			malVariant{name: f + " duplicated, first invalid", pairs: append([]malPair{{f, "\xff", true}}, base(f, valid.Get(f), false)...)},
		)
	}
	dup := base("x", "y", false)
	for _, f := range fields {
		dup = append(dup, malPair{f, "\xff", true})
	}
	vs = append(vs, malVariant{name: "every field duplicated, second invalid", pairs: dup},
		malVariant{name: "keys without values", body: "&" + strings.Join(fields, "&")})
	return vs
}

// malTarget is a route under test and how to reach it.
type malTarget struct {
	key    string // "METHOD PATTERN"
	method string
	fields []string
	valid  url.Values
}

// TestMalformedInput sends malformed values to every form route and to the
// pages that read query parameters: never a server error, only statuses a
// user can act upon, a French error summary with every 422, and nothing
// invalid stored.
func TestMalformedInput(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		if raceBuild {
			// Some thousand requests per engine checking validation, not
			// concurrency: under -race this test alone took 300 s per
			// engine of the 20-minute budget of .ci/run, which runs it
			// on both engines without -race (41 s).
			t.Skip("run without -race (.ci/run does)")
		}
		fx := newAzFixtures(t, a)
		fx.practiceAsAuthor(a.st.Admin)
		admin := fx.clients[azAdmin]
		forms := malDiscoverForms(t, a, fx)

		var targets []malTarget
		// The pages reading query parameters first, while the lists are
		// short.
		for _, key := range []string{"GET /admin/users", "GET /admin/audit", "GET /journal", "GET /agenda", "GET /login"} {
			fields := append(append([]string(nil), forms[key]...), "page")
			switch key {
			case "GET /login":
				fields = []string{"next"}
			case "GET /journal":
				// Links name the scope with these instead of the select.
				fields = append(fields, "mediator", "team")
			case "GET /agenda":
				// The previous and next links name the period so.
				fields = append(fields, "semaine", "jour")
			}
			targets = append(targets, malTarget{key: key, method: http.MethodGet, fields: fields, valid: malValidQuery(a, fx, key)})
		}
		for _, rt := range a.handler.Routes() {
			key := rt.Method + " " + rt.Path
			if rt.Method != http.MethodPost {
				continue
			}
			fields, ok := forms[http.MethodPost+" "+azPath(rt.Path, malSharedID(fx, key))]
			if !ok {
				fields, ok = malFixedFields[key]
			}
			if !ok {
				t.Errorf("%s: no form posts to it on any page and it has no entry in malFixedFields (malformed_test.go): add its field names there", key)
				continue
			}
			targets = append(targets, malTarget{key: key, method: rt.Method, fields: fields, valid: fx.form(key, azAdmin)})
		}

		n := 0
		for _, tg := range targets {
			_, pattern, _ := strings.Cut(tg.key, " ")
			// A session or a record is replaced once a request used it
			// up (logged out, password changed, throttled, deleted).
			c, id, usedUp := admin, int64(0), true
			for _, v := range malVariants(tg.fields, tg.valid, tg.method == http.MethodGet) {
				if malFreshSession[tg.key] && usedUp {
					c = a.login(fx.freshUser(azAdmin))
				}
				path := pattern
				if strings.Contains(pattern, "{id}") {
					if id == 0 || (malFreshRecord[tg.key] && usedUp) {
						id = fx.id(tg.key, malFreshRecord[tg.key])
					}
					path = azPath(pattern, id)
				}
				r := malSend(c, tg.method, path, v)
				malCheck(t, tg.key+" as admin: "+v.name, r, malWant(tg.key, v.want, true, true), false)
				usedUp = r.status < 400 || r.status == http.StatusTooManyRequests
				n++
			}
			// Malformed IDs in the path.
			if strings.Contains(pattern, "{id}") {
				for _, id := range []string{"abc", "-5", "99999999999999999999", "%ff%fe", "1;2"} {
					path := strings.ReplaceAll(pattern, "{id}", id)
					var r *response
					if tg.method == http.MethodGet {
						r = admin.get(path)
					} else {
						r = admin.post(path, fx.form(tg.key, azAdmin))
					}
					malCheck(t, tg.key+" as admin with id "+id, r, http.StatusNotFound, false)
					n++
				}
			}
		}
		for _, p := range []string{"/admin/teams/abc", "/admin/users/-5", "/admin/users/99999999999999999999"} {
			malCheck(t, "GET "+p, admin.get(p), http.StatusNotFound, false)
		}
		// Actions refused by a rule rather than a field (deactivating
		// oneself) answer 422 too, with the reason in an alert.
		self := "/admin/users/" + strconv.FormatInt(int64(a.st.Admin.ID), 10)
		for _, p := range []string{self + "/deactivate", self + "/reset-password"} {
			malCheck(t, "POST "+p+" (own account)", admin.post(p, nil), http.StatusUnprocessableEntity, false)
		}
		admin.get("/admin").wantStatus(http.StatusOK)

		// Anonymously, last: failed logins end up throttling the address.
		for _, key := range []string{"POST /setup", "POST /login", "GET /login"} {
			method, path, _ := strings.Cut(key, " ")
			fields, ok := forms[key]
			if !ok {
				fields = malFixedFields[key]
			}
			if key == "GET /login" {
				fields = []string{"next"}
			}
			var c *client
			for _, v := range malVariants(fields, malAnonymousValid(a, key), method == http.MethodGet) {
				if c == nil {
					c = a.client()
					c.get("/login")
				}
				r := malSend(c, method, path, v)
				malCheck(t, key+" anonymously: "+v.name, r, malWant(key, v.want, false, true), true)
				if r.status == http.StatusSeeOther {
					c = nil // logged in
				}
				n++
			}
		}
		t.Logf("%d malformed requests on %d routes", n, len(targets))
		malCheckStored(t, a)
	})

	// An empty database: the set-up page and the login form.
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := newApp(t, db)
		c := a.client()
		page := c.get("/setup").wantStatus(http.StatusOK)
		fields := malFormFields(page.doc.Find(`form[action="/setup"]`))
		if len(fields) < 5 {
			t.Fatalf("set-up form fields: %v", fields)
		}
		// The password is too short, so that no variant (a duplicated key
		// whose first value is the valid one) sets the instance up.
		valid := url.Values{"structure_name": {"Structure"}, "admin_name": {"Admin"}, "admin_email": {"admin@exemple.fr"},
			"password": {"court"}, "password_confirm": {"court"}}
		n := 0
		for _, key := range []string{"POST /setup", "POST /login", "GET /login"} {
			method, path, _ := strings.Cut(key, " ")
			f, form := fields, valid
			switch key {
			case "POST /login":
				f, form = []string{"email", "password", "next"}, url.Values{"email": {"admin@exemple.fr"}, "password": {"un mot de passe valable"}, "next": {"/"}}
			case "GET /login":
				f, form = []string{"next"}, url.Values{"next": {"/admin"}}
			}
			c := a.client()
			c.get("/setup")
			for _, v := range malVariants(f, form, method == http.MethodGet) {
				r := malSend(c, method, path, v)
				malCheck(t, key+" on an empty database: "+v.name, r, malWant(key, v.want, false, false), true)
				n++
			}
		}
		t.Logf("%d malformed requests on an empty database", n)
		info, err := db.Instance(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Structures != 0 || info.Users != 0 {
			t.Errorf("malformed set-up forms created %d structures and %d users", info.Structures, info.Users)
		}
		if strings.Contains(a.logs.String(), "level=ERROR") {
			t.Errorf("errors logged:\n%s", malErrorLines(a.logs.String()))
		}
	})
}

// Routes that end or throttle the session they are sent with run on a
// fresh administrator each time.
var malFreshSession = map[string]bool{
	"POST /logout":                    true,
	"POST /account/logout-everywhere": true,
	"POST /account/password":          true,
}

// Routes that use up the record they act on.
var malFreshRecord = map[string]bool{
	"POST /admin/territory/communes/{id}/delete": true,
	"POST /admin/territory/zones/{id}/delete":    true,
	"POST /admin/teams/{id}/delete":              true,
	"POST /admin/users/{id}/deactivate":          true,
	"POST /admin/users/{id}/reactivate":          true,
	"POST /admin/users/{id}/reset-password":      true,
	"POST /pratique/notes/{id}/delete":           true,
	"POST /agenda/{id}/edit":                     true,
	"POST /agenda/{id}/delete":                   true,
	"POST /annuaire/contacts/{id}/delete":        true,
}

// malFixedFields lists the fields of POST routes whose form is not on any
// page the test can open (reactivation is shown for inactive accounts only).
var malFixedFields = map[string][]string{
	"POST /admin/users/{id}/reactivate": {},
	"POST /setup":                       {"structure_name", "admin_name", "admin_email", "password", "password_confirm"},
	// Restoring is offered on archived files only; a withdrawal's path
	// names a consent ({cid} stays unfilled here: every variant is 404).
	"POST /people/{id}/restore":                 {},
	"POST /people/{id}/consents/{cid}/withdraw": {},
	// The partner's answer: {token} stays unfilled here and the form
	// token is missing, so every variant is refused;
	// TestPartnerAnswerMalformedInput sends them with a real link.
	"POST /p/o/{token}": {"answer", "reason", "text"},
	// The follow-up form shows on a closed case whose follow-up is due.
	"POST /mediations/{id}/followup": {"result"},
	// A directory proposal is closed on the review page, which lists
	// open proposals only (the fixture makes none).
	"POST /annuaire/proposals/{id}/close": {"accepted"},
	// The banner's buttons show only to the mediator who left alone, the
	// coordination's only while a check-in is overdue.
	"POST /checkins/{id}/checkout":    {"back"},
	"POST /checkins/{id}/extend":      {"back"},
	"POST /checkins/{id}/acknowledge": {},
	// The agenda: a session is cancelled on a permanence's page (the
	// shared event is a rendez-vous); the feed is revoked once made.
	"POST /agenda/{id}/cancel": {"day"},
	"POST /agenda/feed/revoke": {},
	// Buttons without fields, on records made for the request.
	"POST /territoire/figures/{id}/delete": {},
	"POST /infos/{id}/validate":            {},
	"POST /admin/flux/{id}/revoke":         {},
	// The directory fixture has no contact when the pages are visited.
	"POST /annuaire/contacts/{id}/delete": {"structure"},
	// The questionnaire's public form: {token} stays unfilled, every
	// variant is refused; TestActivitesPages sends real answers.
	"POST /q/{token}": {"q1", "q2", "q3", "q4", "q5", "comment"},
}

// malSharedID is the ID of the record whose page shows the form of key.
func malSharedID(fx *azFixtures, key string) int64 {
	if !strings.Contains(key, "{id}") {
		return 0
	}
	return fx.id(key, false)
}

// malDiscoverForms opens every page as the admin (and the login and set-up
// pages anonymously) and returns the field names of each form, keyed by
// "METHOD action".
func malDiscoverForms(t *testing.T, a *app, fx *azFixtures) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	collect := func(r *response) {
		if r.doc == nil {
			return
		}
		r.doc.Find("form").Each(func(_ int, f *goquery.Selection) {
			action, _ := f.Attr("action")
			method := strings.ToUpper(f.AttrOr("method", "get"))
			key := method + " " + action
			if _, ok := out[key]; !ok {
				out[key] = malFormFields(f)
			}
		})
	}
	for _, rt := range a.handler.Routes() {
		if rt.Method != http.MethodGet || rt.Access == "public" || rt.Access == "anonymous" {
			continue
		}
		key := rt.Method + " " + rt.Path
		collect(fx.clients[azAdmin].get(azPath(rt.Path, malSharedID(fx, key))))
	}
	anon := a.client()
	collect(anon.get("/login"))
	if len(out["POST /login"]) == 0 {
		t.Fatal("no login form found")
	}
	return out
}

// malFormFields lists the names of a form's fields, but the CSRF token.
func malFormFields(f *goquery.Selection) []string {
	seen := map[string]bool{}
	var names []string
	f.Find("input[name], select[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		n, _ := s.Attr("name")
		if n != "csrf_token" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	})
	return names
}

func malValidQuery(a *app, fx *azFixtures, key string) url.Values {
	switch key {
	case "GET /admin/users":
		return url.Values{"q": {"zoé"}, "team": {strconv.FormatInt(fx.team, 10)}, "role": {"mediateur"}, "active": {"on"}, "page": {"1"}}
	case "GET /admin/audit":
		return url.Values{"user": {strconv.FormatInt(int64(a.st.Admin.ID), 10)}, "action": {string(maillon.AuditLoginSuccess)},
			"from": {"2026-03-01"}, "to": {"2026-03-31"}, "page": {"1"}}
	case "GET /journal":
		return url.Values{"day": {"2026-03-09"}, "scope": {"t" + strconv.FormatInt(fx.team, 10)}, "page": {"1"}}
	case "GET /agenda":
		return url.Values{"voir": {"e" + strconv.FormatInt(fx.team, 10)}, "vue": {"semaine"}, "date": {"2026-03-09"}}
	}
	return url.Values{"next": {"/admin"}}
}

func malAnonymousValid(a *app, key string) url.Values {
	switch key {
	case "POST /login":
		return url.Values{"email": {a.st.Mediator.Email}, "password": {storetest.Password}, "next": {"/"}}
	case "GET /login":
		return url.Values{"next": {"/admin"}}
	}
	return url.Values{"structure_name": {"Structure"}, "admin_name": {"Admin"}, "admin_email": {"admin@exemple.fr"},
		"password": {"un mot de passe valable"}, "password_confirm": {"un mot de passe valable"}}
}

// malSend sends variant v to path with the client's cookies.
func malSend(c *client, method, path string, v malVariant) *response {
	c.a.t.Helper()
	body := v.body
	if body == "" {
		pairs := append([]malPair(nil), v.pairs...)
		for i, p := range pairs {
			if p.v == malCSRF {
				pairs[i].v = c.csrf
			}
		}
		body = malEncode(pairs)
	}
	if method == http.MethodGet {
		req, err := http.NewRequest(method, c.a.srv.URL+path, nil)
		if err != nil {
			c.a.t.Fatal(err)
		}
		req.URL.RawQuery = strings.TrimPrefix(body, "&")
		return c.do(req)
	}
	if !v.noCSRF {
		body = "csrf_token=" + url.QueryEscape(c.csrf) + "&" + strings.TrimPrefix(body, "&")
	}
	var rd io.Reader = strings.NewReader(body)
	if v.chunked {
		rd = io.MultiReader(bytes.NewReader([]byte(body))) // length unknown: sent chunked
	}
	req, err := http.NewRequest(method, c.a.srv.URL+path, rd)
	if err != nil {
		c.a.t.Fatal(err)
	}
	switch v.contentType {
	case "":
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case "-":
	default:
		req.Header.Set("Content-Type", v.contentType)
	}
	return c.do(req)
}

// malWant adjusts the status a variant expects to the routes that answer
// before checking the CSRF token: the login form redirects a logged-in
// user, the set-up form is gone once users exist.
func malWant(key string, want int, loggedIn, usersExist bool) int {
	if want != http.StatusForbidden {
		return want
	}
	switch {
	case key == "POST /login" && loggedIn:
		return http.StatusSeeOther
	case key == "POST /setup" && usersExist:
		return http.StatusNotFound
	}
	return want
}

var malAcceptable = map[int]bool{200: true, 303: true, 400: true, 403: true, 404: true, 409: true, 413: true, 422: true, 429: true}

// malCheck checks one answer to a malformed request.
func malCheck(t *testing.T, who string, r *response, want int, anonymous bool) {
	t.Helper()
	if r.status >= 500 {
		t.Errorf("%s: server error %d: %.300s", who, r.status, r.text("main"))
		return
	}
	// A wrong e-mail or password on the login form is 401.
	if !malAcceptable[r.status] && !(anonymous && r.status == http.StatusUnauthorized) {
		t.Errorf("%s: status %d; main: %.300s", who, r.status, r.text("main"))
	}
	if want != 0 && r.status != want {
		t.Errorf("%s: status %d, want %d; main: %.300s", who, r.status, want, r.text("main"))
	}
	if r.doc != nil && r.status != http.StatusSeeOther {
		if r.doc.Find(`html[lang="fr"]`).Length() != 1 {
			t.Errorf("%s: not a French page", who)
		}
	}
	switch r.status {
	case http.StatusUnprocessableEntity:
		if r.doc == nil {
			t.Errorf("%s: 422 is not an HTML page", who)
			return
		}
		summary := r.doc.Find(".error-summary")
		if summary.Length() == 0 {
			// An action refused by a rule has no field to point at: its
			// reason is an alert instead.
			summary = r.doc.Find(`main .notice--error[role="alert"]`)
		}
		if summary.Length() == 0 {
			t.Errorf("%s: 422 without an error summary; main: %.300s", who, r.text("main"))
		} else if s := strings.ToLower(summary.Text()); !malLooksFrench(s) {
			t.Errorf("%s: error summary %q", who, strings.Join(strings.Fields(summary.Text()), " "))
		}
	case http.StatusRequestEntityTooLarge:
		if !strings.Contains(r.text("main"), "trop volumineu") {
			t.Errorf("%s: 413 page says %q", who, r.text("main"))
		}
	case http.StatusSeeOther:
		if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
			t.Errorf("%s: redirect off site to %q", who, loc)
		}
	case http.StatusOK:
		if r.doc == nil {
			return // a download (exports)
		}
		if next, ok := r.doc.Find(`input[name="next"]`).Attr("value"); ok && (!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//")) {
			t.Errorf("%s: login form keeps next=%q", who, next)
		}
	}
}

// malLooksFrench tells whether s has a few common French words.
func malLooksFrench(s string) bool {
	n := 0
	for _, w := range []string{" le ", " la ", " les ", " de ", " des ", " du ", " un ", " une ", " est ", " pas ", " vous ", " votre ", "indiquez", "choisissez", "erreur"} {
		if strings.Contains(" "+s+" ", w) {
			n++
		}
	}
	return n >= 2
}

var malTextFieldRE = regexp.MustCompile(`^[^\x00-\x08\x0b-\x1f\x7f]*$`)

// malCheckStored reads back everything the two structures hold and checks
// that each stored value passed validation: malformed input left nothing
// behind.
func malCheckStored(t *testing.T, a *app) {
	t.Helper()
	ctx := context.Background()
	op := maillon.OperatorActor()
	sts, err := a.db.FindStructures(ctx, op)
	if err != nil {
		t.Fatal(err)
	}
	if len(sts) != 2 {
		t.Errorf("%d structures after the run, want 2", len(sts))
	}
	text := func(what, v string, max int, required bool) {
		t.Helper()
		switch {
		case !utf8.ValidString(v):
			t.Errorf("%s stored as invalid UTF-8: %q", what, v)
		case required && strings.TrimSpace(v) == "":
			t.Errorf("%s stored empty", what)
		case utf8.RuneCountInString(v) > max:
			t.Errorf("%s stored with %d characters (max %d)", what, utf8.RuneCountInString(v), max)
		case !malTextFieldRE.MatchString(v) || strings.ContainsFunc(v, func(r rune) bool { return r != '\n' && r != '\t' && unicode.IsControl(r) }):
			t.Errorf("%s stored with control characters: %q", what, v)
		case v != strings.TrimSpace(v):
			t.Errorf("%s stored with surrounding spaces: %q", what, v)
		}
	}
	for _, st := range sts {
		sid := st.ID
		text("structure name", st.Name, maillon.MaxNameLen, true)
		text("structure address", st.Address.Line, maillon.MaxShortTextLen, false)
		text("structure city", st.Address.City, maillon.MaxNameLen, false)
		if st.SIRET != "" && maillon.ValidateSIRET(st.SIRET) != "" {
			t.Errorf("invalid SIRET stored: %q", st.SIRET)
		}
		if st.Email != "" && maillon.ValidateEmail(st.Email) != "" {
			t.Errorf("invalid structure e-mail stored: %q", st.Email)
		}
		if !st.Holidays.Valid() {
			t.Errorf("invalid holiday calendar stored: %q", st.Holidays)
		}
		ac := op
		ac.StructureID = sid
		teams, err := a.db.FindTeams(ctx, ac)
		if err != nil {
			t.Fatal(err)
		}
		for _, tm := range teams {
			text("team name", tm.Name, maillon.MaxNameLen, true)
			text("team description", tm.Description, maillon.MaxShortTextLen, false)
			jd, err := a.db.FindJournalDay(ctx, ac, maillon.JournalScope{TeamID: tm.ID}, a.db.Clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			text("main courante comment", jd.Comment.Text, maillon.MaxLongTextLen, false)
		}
		users, _, err := a.db.FindUsers(ctx, ac, maillon.UserFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			text("user name", u.DisplayName, maillon.MaxNameLen, true)
			if maillon.ValidateEmail(u.Email) != "" {
				t.Errorf("invalid user e-mail stored: %q", u.Email)
			}
			if !u.Role.Valid() {
				t.Errorf("invalid role stored: %q", u.Role)
			}
			if u.StructureID != sid {
				t.Errorf("user %d listed in structure %d belongs to %d", u.ID, sid, u.StructureID)
			}
		}
		terr, err := a.db.FindTerritory(ctx, ac, sid)
		if err != nil {
			t.Fatal(err)
		}
		insee := regexp.MustCompile(`^([0-9]{5}|2[AB][0-9]{3})$`)
		qpv := regexp.MustCompile(`^(Q[PN][0-9A-Z]{6})?$`)
		for _, c := range terr.Communes {
			text("commune name", c.Name, maillon.MaxNameLen, true)
			if !insee.MatchString(c.INSEE) {
				t.Errorf("invalid INSEE code stored: %q", c.INSEE)
			}
			for _, z := range c.Zones {
				text("zone name", z.Name, maillon.MaxNameLen, true)
				if !qpv.MatchString(z.QPVCode) {
					t.Errorf("invalid QPV code stored: %q", z.QPVCode)
				}
			}
		}
		tournees, _, err := a.db.FindTournees(ctx, ac, maillon.TourneeFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range tournees {
			full, err := a.db.FindTourneeByID(ctx, ac, tr.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(full.Members) == 0 || len(full.Observations) > maillon.MaxTourneeObservations {
				t.Errorf("tournée %d stored with %d members, %d observations", tr.ID, len(full.Members), len(full.Observations))
			}
			for _, c := range full.Counts {
				if c.Count < 0 || c.Count > maillon.MaxTourneeCount || !maillon.ValidTourneeCounter(c.Code) {
					t.Errorf("tournée %d counter %q stored as %d", tr.ID, c.Code, c.Count)
				}
			}
			for _, o := range full.Observations {
				text("tournée observation", o.Text, maillon.MaxObservationLen, true)
				if !maillon.ObservationKinds.Valid(o.Kind) {
					t.Errorf("observation kind stored: %q", o.Kind)
				}
			}
			if full.Ended() && !full.EndAt.After(full.StartAt) {
				t.Errorf("tournée %d ends at %v, before its start %v", tr.ID, full.EndAt, full.StartAt)
			}
		}
		// The agenda of every account, this week and the next.
		week := maillon.WeekStart(a.db.Clock.Now())
		for _, u := range users {
			ag, err := a.db.FindAgenda(ctx, ac, maillon.AgendaQuery{UserID: u.ID, From: week, To: week.AddDate(0, 0, 14)})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range ag.Occurrences {
				e := o.Event
				text("agenda purpose", e.Purpose, maillon.MaxShortTextLen, true)
				text("agenda place", e.PlaceLabel, maillon.MaxShortTextLen, false)
				text("agenda documents", e.Documents, maillon.MaxShortTextLen, false)
				if !maillon.AgendaKinds.Valid(e.Kind) || (e.Theme != "" && !maillon.Themes.Valid(e.Theme)) ||
					(e.Attendance != "" && !maillon.Attendances.Valid(e.Attendance)) || !e.EndAt.After(e.StartAt) {
					t.Errorf("agenda event %d stored as %+v", e.ID, *e)
				}
			}
		}
	}
	for _, st := range sts {
		ac := op
		ac.StructureID = st.ID
		ors, _, err := a.db.FindOrientations(ctx, ac, maillon.OrientationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ors {
			text("orientation partner", o.PartnerName, maillon.MaxNameLen, true)
			text("orientation partner contact", o.PartnerContact, maillon.MaxPartnerContactLen, false)
			text("orientation reason", o.Reason, maillon.MaxShortTextLen, true)
			text("orientation closure text", o.ClosureText, maillon.MaxShortTextLen, false)
			if !maillon.OrientationStatuses.Valid(o.Status) || !maillon.OrientationModes.Valid(o.Mode) {
				t.Errorf("orientation %d stored with status %q, mode %q", o.ID, o.Status, o.Mode)
			}
			if items, unknown := maillon.SharedItems.CleanSet(o.SharedItems); unknown || len(items) != len(o.SharedItems) {
				t.Errorf("orientation %d stored with items %v", o.ID, o.SharedItems)
			}
		}
	}
	malCheckStoredPractice(t, a, sts, text)
	if strings.Contains(a.logs.String(), "level=ERROR") {
		t.Errorf("errors logged:\n%s", malErrorLines(a.logs.String()))
	}
}

func malErrorLines(logs string) string {
	var out []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "level=ERROR") {
			out = append(out, l)
			if len(out) == 20 {
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
