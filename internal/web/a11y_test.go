package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"maillon"
	"maillon/internal/storetest"
)

// focusable matches the elements a keyboard user can reach with Tab.
const focusable = `a[href], area[href], button, input:not([type=hidden]), select, textarea, iframe, summary, ` +
	`[tabindex]:not([tabindex="-1"]), [contenteditable]`

// checkA11y checks the accessibility basics every page must meet (section
// 6.7 of the architecture): language, one h1, a skip link reached first,
// labelled fields, unique ids, named tables, nothing inline that the CSP
// would block, and the title pattern.
func checkA11y(t *testing.T, what string, r *response) {
	t.Helper()
	if r.doc == nil {
		t.Errorf("%s: not an HTML page (status %d)", what, r.status)
		return
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s: "+format, append([]any{what}, args...)...)
	}
	if r.find("html[lang=fr]").Length() != 1 {
		fail("no html[lang=fr]")
	}
	if n := r.find("h1").Length(); n != 1 {
		fail("%d h1 elements, want 1", n)
	}

	first := r.find(focusable).First()
	if !first.Is("a.skip-link") || first.AttrOr("href", "") != "#contenu" {
		html, _ := goquery.OuterHtml(first)
		fail("first focusable element is %.120s, want the skip link to #contenu", html)
	}
	if r.find("#contenu").Length() != 1 || !r.find("#contenu").Is("main") {
		fail("the skip link target #contenu is not the main element")
	}

	ids := map[string]int{}
	r.find("[id]").Each(func(_ int, s *goquery.Selection) { ids[s.AttrOr("id", "")]++ })
	for id, n := range ids {
		if n > 1 {
			fail("id %q used %d times", id, n)
		}
		if id == "" {
			fail("empty id attribute")
		}
	}
	refs := func(attr string) {
		r.find("[" + attr + "]").Each(func(_ int, s *goquery.Selection) {
			for _, id := range strings.Fields(s.AttrOr(attr, "")) {
				if ids[id] == 0 {
					fail("%s refers to missing id %q", attr, id)
				}
			}
		})
	}
	refs("aria-describedby")
	refs("aria-labelledby")
	r.find("label[for]").Each(func(_ int, s *goquery.Selection) {
		if id := s.AttrOr("for", ""); r.find(`[id="`+id+`"]`).Is("input, select, textarea") == false {
			fail("label for=%q does not point to a field", id)
		}
	})

	r.find("input:not([type=hidden]), select, textarea").Each(func(_ int, s *goquery.Selection) {
		id := s.AttrOr("id", "")
		name := s.AttrOr("name", "?")
		labelled := id != "" && r.find(`label[for="`+id+`"]`).Length() > 0 &&
			strings.TrimSpace(r.find(`label[for="`+id+`"]`).Text()) != ""
		if !labelled {
			fs := s.Closest("fieldset")
			labelled = fs.Length() == 1 && strings.TrimSpace(fs.ChildrenFiltered("legend").Text()) != "" &&
				s.Is("[type=radio], [type=checkbox]")
		}
		if !labelled {
			fail("field %s (id %q) has no label", name, id)
		}
		if inv, ok := s.Attr("aria-invalid"); ok && inv != "true" {
			fail("field %s: aria-invalid=%q", name, inv)
		}
	})
	r.find("table").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.ChildrenFiltered("caption").Text()) == "" && s.AttrOr("aria-labelledby", "") == "" {
			fail("a table has neither caption nor aria-labelledby")
		}
		if s.Find("th").Length() == 0 {
			fail("a table has no header cells")
		}
	})
	r.find("a[href]").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "" && s.AttrOr("aria-label", "") == "" {
			fail("link to %q has no text", s.AttrOr("href", ""))
		}
	})
	r.find("button").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) == "" {
			fail("a button has no text")
		}
	})

	if n := r.find("[style]").Length(); n > 0 {
		fail("%d elements with an inline style attribute", n)
	}
	if r.find("style").Length() > 0 {
		fail("inline <style> element")
	}
	if n := r.find("script:not([src])").Length(); n > 0 {
		fail("%d inline scripts", n)
	}
	r.find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				fail("inline event handler %s on <%s>", a.Key, goquery.NodeName(s))
			}
		}
	})
	if r.find(`a[href^="javascript:"]`).Length() > 0 {
		fail("javascript: link")
	}

	title := r.text("title")
	if !strings.HasSuffix(title, " – Maillon") || len(title) <= len(" – Maillon") {
		fail("title %q does not end with \" – Maillon\"", title)
	}
	hasErrors := r.find(".error-summary").Length() > 0
	if hasErrors != strings.HasPrefix(title, "Erreur : ") {
		fail("title %q; error summary shown: %v", title, hasErrors)
	}
	if hasErrors {
		r.find(".error-summary a").Each(func(_ int, s *goquery.Selection) {
			href := s.AttrOr("href", "")
			if !strings.HasPrefix(href, "#") || ids[href[1:]] == 0 {
				fail("error summary link %q points nowhere", href)
			}
		})
	}
}

// crawl visits every page reachable from the header and main content of
// the start pages, checks each, and returns the paths visited.
func crawl(t *testing.T, c *client, who string, allowRedirects bool, start ...string) []string {
	t.Helper()
	queue := slices.Clone(start)
	seen := map[string]bool{}
	for _, p := range start {
		seen[p] = true
	}
	var visited []string
	for len(queue) > 0 && len(visited) < 150 { // the navigation grows with the modules
		p := queue[0]
		queue = queue[1:]
		r := c.get(p)
		if r.status == http.StatusSeeOther && allowRedirects {
			if loc := r.header.Get("Location"); !seen[loc] {
				seen[loc] = true
				queue = append(queue, loc)
			}
			continue
		}
		if r.status != http.StatusOK {
			t.Errorf("%s: GET %s: status %d, want 200 for a linked page", who, p, r.status)
			continue
		}
		visited = append(visited, p)
		checkA11y(t, who+" "+p, r)
		r.find("header a[href], main a[href]").Each(func(_ int, s *goquery.Selection) {
			href := s.AttrOr("href", "")
			u, err := url.Parse(href)
			// A download link (the directory's export) is no page.
			if s.Is("[download]") {
				return
			}
			if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/static/") {
				return
			}
			u.Fragment = ""
			if l := u.String(); !seen[l] {
				seen[l] = true
				queue = append(queue, l)
			}
		})
	}
	t.Logf("%s: checked %d pages: %v", who, len(visited), visited)
	return visited
}

// a11yFixture fills the structure so that every kind of page has content:
// a team with members, a territory, accounts in every state.
func a11yFixture(t *testing.T, a *app) (team *maillon.Team) {
	t.Helper()
	team = mustTeam(t, a, a.st.Admin, "Équipe Nord")
	mustTeam(t, a, a.st.Admin, "Équipe sans membre")
	mustJoinTeam(t, a, a.st.Admin, a.st.Mediator, team.ID)
	cm := mustCommune(t, a, a.st.Admin, "69259", "Vénissieux")
	mustZone(t, a, a.st.Admin, cm.ID, "Minguettes", "QN06901M")
	mustZone(t, a, a.st.Admin, cm.ID, "Centre", "")
	mustCommune(t, a, a.st.Admin, "69266", "Villeurbanne")
	off := mustUser(t, a, a.st.Admin, "Zoé Lefèvre", "zoe@exemple.fr", maillon.RoleMediateur, team.ID)
	if err := a.db.SetUserActive(bg, actorOf(a.st.Admin), off.ID, false); err != nil {
		t.Fatal(err)
	}
	tmp := mustUser(t, a, a.st.Admin, "Yanis Temporaire", "yanis@exemple.fr", maillon.RoleCoordinateur, 0)
	if err := a.db.ResetPassword(bg, actorOf(a.st.Admin), tmp.ID, maillon.TemporaryPassword()); err != nil {
		t.Fatal(err)
	}
	return team
}

func TestAccessibilityBasicsOfEveryPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		team := a11yFixture(t, a)
		for _, tc := range []struct {
			who       string
			user      *maillon.User
			mustVisit []string
			never     []string
		}{
			{"mediator", a.st.Mediator, []string{"/", "/account", "/account/password"}, []string{"/admin"}},
			{"coordinator", a.st.Coordinator, []string{"/", "/account", "/account/password"}, []string{"/admin"}},
			{"admin", a.st.Admin, []string{
				"/", "/account", "/account/password", "/admin", "/admin/structure", "/admin/territory", "/admin/teams",
				idPath("/admin/teams", int64(team.ID), ""), "/admin/users", "/admin/users/new",
				idPath("/admin/users", int64(a.st.Mediator.ID), ""), idPath("/admin/users", int64(a.st.Admin.ID), ""), "/admin/audit",
			}, nil},
		} {
			visited := crawl(t, a.login(tc.user), tc.who, false, "/")
			for _, p := range tc.mustVisit {
				if !slices.Contains(visited, p) {
					t.Errorf("%s: %s not reachable from the navigation (visited %v)", tc.who, p, visited)
				}
			}
			for _, p := range tc.never {
				if slices.Contains(visited, p) {
					t.Errorf("%s: linked to %s", tc.who, p)
				}
			}
		}

		anon := a.client()
		visited := crawl(t, anon, "anonymous", true, "/", "/login")
		if !slices.Contains(visited, "/login") {
			t.Errorf("anonymous pages visited: %v", visited)
		}
		checkA11y(t, "anonymous 404", anon.get("/rien").wantStatus(http.StatusNotFound))
	})
}

func TestAccessibilityBasicsOfSetup(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		a := newApp(t, db)
		c := a.client()
		checkA11y(t, "setup", c.get("/setup").wantStatus(http.StatusOK))
		checkA11y(t, "setup in error", c.post("/setup", url.Values{"admin_email": {"x"}}).wantStatus(http.StatusUnprocessableEntity))
	})
}

// Ensure every form's error state, and every error page, meets the basics.
func TestAccessibilityBasicsOfErrorStates(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		team := a11yFixture(t, a)
		anon := a.client()
		anon.get("/login")
		checkA11y(t, "login in error", anon.post("/login", url.Values{"email": {a.st.Admin.Email}, "password": {"faux"}}).wantStatus(http.StatusUnauthorized))
		checkA11y(t, "413", anon.post("/login", url.Values{"email": {strings.Repeat("x", 100<<10)}}).wantStatus(http.StatusRequestEntityTooLarge))

		c := a.login(a.st.Admin)
		teamPath := idPath("/admin/teams", int64(team.ID), "")
		userPath := idPath("/admin/users", int64(a.st.Mediator.ID), "")
		for _, tc := range []struct {
			path   string
			form   url.Values
			status int
		}{
			{"/account/password", url.Values{"current_password": {"faux"}, "password": {"x"}, "password_confirm": {"y"}}, http.StatusUnprocessableEntity},
			{"/admin/structure", url.Values{"name": {""}, "siret": {"1"}, "hours_lundi": {"9h-8h"}}, http.StatusUnprocessableEntity},
			{"/admin/territory/communes", url.Values{"insee": {"1"}}, http.StatusUnprocessableEntity},
			{"/admin/territory/zones", url.Values{"qpv_code": {"x"}}, http.StatusUnprocessableEntity},
			{"/admin/teams", url.Values{"name": {""}}, http.StatusUnprocessableEntity},
			{teamPath, url.Values{"name": {""}}, http.StatusUnprocessableEntity},
			{"/admin/users", url.Values{"email": {"x"}}, http.StatusUnprocessableEntity},
			{userPath, url.Values{"display_name": {""}}, http.StatusUnprocessableEntity},
		} {
			r := c.post(tc.path, tc.form).wantStatus(tc.status)
			checkA11y(t, "POST "+tc.path, r)
			if r.find(".error-summary").Length() != 1 {
				t.Errorf("POST %s: no error summary", tc.path)
			}
		}
		checkA11y(t, "audit filter in error", c.get("/admin/audit?from=hier").wantStatus(http.StatusUnprocessableEntity))
		checkA11y(t, "users filter in error", c.get("/admin/users?q="+strings.Repeat("x", 101)).wantStatus(http.StatusUnprocessableEntity))
		checkA11y(t, "deactivate self", c.post(idPath("/admin/users", int64(a.st.Admin.ID), "/deactivate"), nil).wantStatus(http.StatusUnprocessableEntity))
		checkA11y(t, "user created", c.post("/admin/users", url.Values{"display_name": {"Nina"}, "email": {"nina@exemple.fr"}, "role": {"mediateur"}}).wantStatus(http.StatusOK))
		checkA11y(t, "password reset", c.post(userPath+"/reset-password", nil).wantStatus(http.StatusOK))
		checkA11y(t, "404", c.get("/admin/teams/999999").wantStatus(http.StatusNotFound))
		checkA11y(t, "403", a.login(a.st.Coordinator).get("/admin").wantStatus(http.StatusForbidden))

		pw := maillon.TemporaryPassword()
		if err := a.db.ResetPassword(bg, actorOf(a.st.Admin), a.st.Coordinator.ID, pw); err != nil {
			t.Fatal(err)
		}
		forced := a.signIn(a.st.Coordinator.Email, pw)
		checkA11y(t, "forced password change", forced.get("/account/password").wantStatus(http.StatusOK))
		checkA11y(t, "forced password change in error", forced.post("/account/password", url.Values{"current_password": {pw}}).wantStatus(http.StatusUnprocessableEntity))
		checkA11y(t, "403 before password change", forced.post("/admin/teams", nil).wantStatus(http.StatusForbidden))
	})
}

// Ensure the pages of a long list keep the basics (pagination links).
func TestAccessibilityBasicsOfPaginatedLists(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		for range 50 {
			storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur)
		}
		c := a.login(a.st.Admin)
		visited := crawl(t, c, "admin", false, "/admin/users", "/admin/audit")
		for _, p := range []string{"/admin/users?page=2", "/admin/audit?page=2"} {
			if !slices.Contains(visited, p) {
				t.Errorf("%s not reached; visited %d pages", p, len(visited))
			}
		}
	})
}
