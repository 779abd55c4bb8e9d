package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"maillon"
)

func TestTeamsListAndCreate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		empty := c.get("/admin/teams").wantStatus(http.StatusOK)
		empty.wantContains("main", "Aucune équipe pour le moment")
		if empty.find("table").Length() != 0 {
			t.Error("empty list shows a table")
		}
		mustTeam(t, a, a.other.Admin, "Équipe d'ailleurs")

		bad := c.post("/admin/teams", url.Values{"name": {""}, "description": {"Quartiers nord"}}).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("name", "Indiquez le nom de l'équipe")
		if v, _ := bad.find("#f-description").Attr("value"); v != "Quartiers nord" {
			t.Errorf("description not kept: %q", v)
		}

		c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}, "description": {"Quartiers nord"}}).wantRedirect("/admin/teams")
		c.get("/admin/teams").wantStatus(http.StatusOK).wantFlash("L'équipe a été créée")
		c.post("/admin/teams", url.Values{"name": {"Équipe Sud"}}).wantRedirect("/admin/teams")
		c.post("/admin/teams", url.Values{"name": {"<b>Équipe</b> & co"}}).wantRedirect("/admin/teams")
		list := c.get("/admin/teams").wantStatus(http.StatusOK)
		if list.find("table tbody b").Length() != 0 || !strings.Contains(list.text("table tbody"), "<b>Équipe</b> & co") {
			t.Error("a team name is not escaped")
		}
		rows := list.find("table tbody tr")
		if rows.Length() != 3 {
			t.Fatalf("teams listed: %d", rows.Length())
		}
		list.wantContains("table caption", "3 équipes")
		list.wantContains("table tbody", "Équipe Nord", "Quartiers nord", "Équipe Sud")
		if strings.Contains(list.text("main"), "ailleurs") {
			t.Error("another structure's team is listed")
		}

		dup := c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}, "description": {"Doublon"}})
		if dup.status != http.StatusUnprocessableEntity && dup.status != http.StatusConflict {
			t.Fatalf("duplicate team: status %d", dup.status)
		}
		dup.wantFieldError("name", "déjà")
		if v, _ := dup.find("#f-name").Attr("value"); v != "Équipe Nord" {
			t.Errorf("name not kept: %q", v)
		}
		if got := dup.find("table tbody tr").Length(); got != 3 {
			t.Errorf("re-rendered list shows %d teams", got)
		}
		// The name is per structure: the other structure's team name is free.
		c.post("/admin/teams", url.Values{"name": {"Équipe d'ailleurs"}}).wantRedirect("/admin/teams")
	})
}

func TestTeamEditRenameDelete(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		team := mustTeam(t, a, a.st.Admin, "Équipe Nord")
		mustTeam(t, a, a.st.Admin, "Équipe Sud")
		mustJoinTeam(t, a, a.st.Admin, a.st.Mediator, team.ID)
		path := idPath("/admin/teams", int64(team.ID), "")
		c := a.login(a.st.Admin)

		page := c.get(path).wantStatus(http.StatusOK)
		if page.text("h1") != "Équipe Nord" {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		if v, _ := page.find("#f-name").Attr("value"); v != "Équipe Nord" {
			t.Errorf("name field = %q", v)
		}
		if page.find(`main a[href="`+idPath("/admin/users", int64(a.st.Mediator.ID), "")+`"]`).Length() != 1 {
			t.Error("the team page does not list its member")
		}
		if got := page.text(`.breadcrumb [aria-current="page"]`); got != "Équipe Nord" {
			t.Errorf("breadcrumb = %q", got)
		}

		c.post(path, url.Values{"name": {""}, "description": {"x"}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("name", "Indiquez le nom de l'équipe")
		dup := c.post(path, url.Values{"name": {"Équipe Sud"}})
		if dup.status != http.StatusUnprocessableEntity && dup.status != http.StatusConflict {
			t.Fatalf("rename to a taken name: status %d", dup.status)
		}
		dup.wantFieldError("name", "déjà")
		if dup.text("h1") != "Équipe Nord" {
			t.Errorf("the page in error shows h1 %q", dup.text("h1"))
		}

		c.post(path, url.Values{"name": {"Équipe Nord-Est"}, "description": {"Secteur élargi"}}).wantRedirect(path)
		page = c.get(path).wantStatus(http.StatusOK).wantFlash("L'équipe a été enregistrée")
		if v, _ := page.find("#f-name").Attr("value"); v != "Équipe Nord-Est" {
			t.Errorf("renamed team = %q", v)
		}
		c.get("/admin/teams").wantContains("table tbody", "Équipe Nord-Est", "Secteur élargi")
		// Unchanged name saved again: no duplicate error with itself.
		c.post(path, url.Values{"name": {"Équipe Nord-Est"}, "description": {"Secteur élargi"}}).wantRedirect(path)

		c.post(path+"/delete", nil).wantRedirect("/admin/teams")
		list := c.get("/admin/teams").wantFlash("ses membres n'ont plus d'équipe")
		if strings.Contains(list.text("main"), "Nord-Est") {
			t.Error("deleted team still listed")
		}
		c.get(path).wantStatus(http.StatusNotFound)
		c.get("/admin/audit?action=team.delete").wantContains("tbody tr", "Suppression d'une équipe", "team n° "+strconv.FormatInt(int64(team.ID), 10))

		// The member keeps their account, without a team, and can log in.
		u, err := a.db.FindUserByID(bg, actorOf(a.st.Admin), a.st.Mediator.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Active || u.TeamID != 0 {
			t.Errorf("member after deletion: active %v, team %d", u.Active, u.TeamID)
		}
		up := c.get(idPath("/admin/users", int64(u.ID), "")).wantStatus(http.StatusOK)
		if v := up.find("#f-team-id option[selected]").AttrOr("value", ""); v != "" {
			t.Errorf("member's team select = %q", v)
		}
		if got := a.login(a.st.Mediator).get("/account").text(`.summary-list dt:contains("Équipe") + dd`); got != "Aucune" {
			t.Errorf("member's team on their account page = %q", got)
		}
	})
}

func TestTeamIDsOutsideStructureAreNotFound(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		theirs := mustTeam(t, a, a.other.Admin, "Leur équipe")
		c := a.login(a.st.Admin)
		p := idPath("/admin/teams", int64(theirs.ID), "")
		c.get(p).wantStatus(http.StatusNotFound)
		c.post(p, url.Values{"name": {"Volée"}}).wantStatus(http.StatusNotFound)
		c.post(p+"/delete", nil).wantStatus(http.StatusNotFound)
		for _, bad := range []string{"abc", "0", "-1", "1.5", "99999999"} {
			c.get("/admin/teams/" + bad).wantStatus(http.StatusNotFound)
			c.post("/admin/teams/"+bad, url.Values{"name": {"x"}}).wantStatus(http.StatusNotFound)
			c.post("/admin/teams/"+bad+"/delete", nil).wantStatus(http.StatusNotFound)
		}
		tm, err := a.db.FindTeamByID(bg, actorOf(a.other.Admin), theirs.ID)
		if err != nil || tm.Name != "Leur équipe" {
			t.Errorf("other structure's team changed: %+v, %v", tm, err)
		}
		// Nor can a user be put into it.
		tid := strconv.FormatInt(int64(theirs.ID), 10)
		r := c.post(idPath("/admin/users", int64(a.st.Mediator.ID), ""), url.Values{
			"display_name": {a.st.Mediator.DisplayName}, "role": {string(maillon.RoleMediateur)}, "team_id": {tid},
		}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("team_id", "équipe de la structure")
	})
}
