package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// Helpers shared by the page tests (setup, home, account, admin, errors,
// a11y).

var bg = context.Background()

// actorOf is the store actor of a fixture user, to prepare data directly.
func actorOf(u *maillon.User) maillon.Actor { return storetest.Actor(u) }

// wantContains checks that the text of the first match of sel contains
// each of want.
func (r *response) wantContains(sel string, want ...string) *response {
	r.t.Helper()
	got := r.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			r.t.Errorf("%s = %q, want it to contain %q", sel, got, w)
		}
	}
	return r
}

// wantFlash checks the one-time confirmation message.
func (r *response) wantFlash(contains string) *response {
	r.t.Helper()
	if r.find(`.notice--success[role="status"]`).Length() == 0 {
		r.t.Errorf("no flash message; main: %.300s", r.text("main"))
		return r
	}
	return r.wantContains(".notice--success", contains)
}

// idPath formats /prefix/{id}/suffix.
func idPath(prefix string, id int64, suffix string) string {
	return prefix + "/" + strconv.FormatInt(id, 10) + suffix
}

// mustTeam creates a team of u's structure.
func mustTeam(t testing.TB, a *app, u *maillon.User, name string) *maillon.Team {
	t.Helper()
	tm, err := a.db.CreateTeam(bg, actorOf(u), maillon.TeamInput{Name: name})
	if err != nil {
		t.Fatalf("create team %s: %v", name, err)
	}
	return tm
}

// mustJoinTeam puts user into team, as admin.
func mustJoinTeam(t testing.TB, a *app, admin, user *maillon.User, team maillon.TeamID) {
	t.Helper()
	if err := a.db.UpdateUser(bg, actorOf(admin), user.ID, maillon.UserUpdate{TeamID: &team}); err != nil {
		t.Fatalf("join team: %v", err)
	}
}

// mustCommune adds a commune to u's structure.
func mustCommune(t testing.TB, a *app, u *maillon.User, insee, name string) *maillon.Commune {
	t.Helper()
	c, err := a.db.AddCommune(bg, actorOf(u), u.StructureID, maillon.CommuneInput{INSEE: insee, Name: name})
	if err != nil {
		t.Fatalf("add commune %s: %v", insee, err)
	}
	return c
}

// mustZone adds a zone to a commune.
func mustZone(t testing.TB, a *app, u *maillon.User, cid maillon.CommuneID, name, qpv string) *maillon.Zone {
	t.Helper()
	z, err := a.db.AddZone(bg, actorOf(u), maillon.ZoneInput{CommuneID: cid, Name: name, QPVCode: qpv})
	if err != nil {
		t.Fatalf("add zone %s: %v", name, err)
	}
	return z
}

func TestHomeShowsWhoIsLoggedIn(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		team := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		mustJoinTeam(t, a, a.st.Admin, a.st.Mediator, team.ID)
		for _, tc := range []struct {
			name  string
			user  *maillon.User
			label string
			admin bool
		}{
			{"mediator", a.st.Mediator, "Médiation", false},
			{"coordinator", a.st.Coordinator, "Coordination", false},
			{"admin", a.st.Admin, "Administration de la structure", true},
		} {
			home := a.login(tc.user).get("/").wantStatus(http.StatusOK)
			if got := home.text("h1"); got != "Bonjour "+tc.user.DisplayName {
				t.Errorf("%s: h1 = %q", tc.name, got)
			}
			home.wantContains("main > p", tc.label, "Médiation Test")
			if got := home.text(".brand__structure"); got != "Médiation Test" {
				t.Errorf("%s: header structure = %q", tc.name, got)
			}
			if got := home.text(`.user-menu a[href="/account"]`); !strings.Contains(got, tc.user.DisplayName) {
				t.Errorf("%s: user menu = %q", tc.name, got)
			}
			nav := home.find(".main-nav a")
			if got := home.find(`.main-nav a[href="/admin"]`).Length() == 1; got != tc.admin {
				t.Errorf("%s: Administration in the navigation: %v, want %v", tc.name, got, tc.admin)
			}
			if tc.admin && !strings.Contains(nav.Text(), "Administration") {
				t.Errorf("%s: navigation = %q", tc.name, nav.Text())
			}
			cur := home.find(`.main-nav a[aria-current="page"]`)
			if cur.Length() != 1 || cur.AttrOr("href", "") != "/" {
				t.Errorf("%s: current navigation item: %d items, href %q", tc.name, cur.Length(), cur.AttrOr("href", ""))
			}
			if got := home.find("#setup-cards").Length() == 1; got != tc.admin {
				t.Errorf("%s: set-up cards shown: %v, want %v", tc.name, got, tc.admin)
			}
		}
		mc := a.login(a.st.Mediator)
		if !strings.Contains(mc.get("/").text("main > p"), "équipe Équipe Nord") {
			t.Error("home does not name the mediator's team")
		}
		// 18:05 in Paris (UTC+1 in March): evening greeting.
		a.db.Clock.Set(time.Date(2026, 3, 10, 17, 5, 0, 0, time.UTC))
		if got := a.login(a.st.Mediator).get("/").text("h1"); got != "Bonsoir "+a.st.Mediator.DisplayName {
			t.Errorf("evening h1 = %q", got)
		}
	})
}

func TestHomeAdminSetupCardsCount(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		home := c.get("/").wantStatus(http.StatusOK)
		card := func(r *response, href string) string {
			t.Helper()
			return strings.Join(strings.Fields(r.find(`.card:has(a[href="`+href+`"])`).Text()), " ")
		}
		if got := card(home, "/admin/users"); !strings.Contains(got, "3 comptes actifs") {
			t.Errorf("users card = %q", got)
		}
		if got := card(home, "/admin/teams"); !strings.Contains(got, "0 équipe") {
			t.Errorf("teams card = %q", got)
		}
		if got := card(home, "/admin/territory"); !strings.Contains(got, "0 commune") || !strings.Contains(got, "Ajoutez les communes") {
			t.Errorf("territory card = %q", got)
		}
		if home.find(`.card a[href="/admin/audit"]`).Length() != 1 {
			t.Error("no audit card")
		}

		mustTeam(t, a, a.st.Admin, "Équipe Nord")
		mustTeam(t, a, a.st.Admin, "Équipe Sud")
		cm := mustCommune(t, a, a.st.Admin, "69259", "Vénissieux")
		mustZone(t, a, a.st.Admin, cm.ID, "Minguettes", "QN06901M")
		storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur)
		// The other structure's records do not count.
		mustTeam(t, a, a.other.Admin, "Équipe ailleurs")
		mustCommune(t, a, a.other.Admin, "13055", "Marseille")

		home = c.get("/").wantStatus(http.StatusOK)
		if got := card(home, "/admin/users"); !strings.Contains(got, "4 comptes actifs") {
			t.Errorf("users card = %q", got)
		}
		if got := card(home, "/admin/teams"); !strings.Contains(got, "2 équipes") {
			t.Errorf("teams card = %q", got)
		}
		if got := card(home, "/admin/territory"); !strings.Contains(got, "1 commune, 1 quartier") || strings.Contains(got, "Ajoutez") {
			t.Errorf("territory card = %q", got)
		}
	})
}

func TestNavigationMarksCurrentPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		for _, tc := range []struct{ path, current string }{
			{"/", "/"},
			{"/admin", "/admin"},
			{"/admin/users", "/admin"},
			{"/admin/audit", "/admin"},
		} {
			r := c.get(tc.path).wantStatus(http.StatusOK)
			cur := r.find(`.main-nav a[aria-current="page"]`)
			if cur.Length() != 1 || cur.AttrOr("href", "") != tc.current {
				t.Errorf("%s: current nav item %d, href %q; want %s", tc.path, cur.Length(), cur.AttrOr("href", ""), tc.current)
			}
		}
		acc := c.get("/account").wantStatus(http.StatusOK)
		if acc.find(`.main-nav a[aria-current]`).Length() != 0 {
			t.Error("/account marks a main navigation item as current")
		}
		if acc.find(`.user-menu a[href="/account"][aria-current="page"]`).Length() != 1 {
			t.Error("/account: the account link is not marked as current")
		}
		// Breadcrumb on an admin page ends with the current page.
		users := c.get("/admin/users")
		if got := users.text(`.breadcrumb [aria-current="page"]`); got != "Comptes" {
			t.Errorf("breadcrumb current = %q", got)
		}
	})
}
