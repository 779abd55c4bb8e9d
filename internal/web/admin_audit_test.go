package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"maillon"
)

// auditRows returns the cells of the audit table, one slice per row.
func auditRows(r *response) [][]string {
	var rows [][]string
	r.find("table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
		})
		rows = append(rows, cells)
	})
	return rows
}

func TestAuditListsNewestFirstWithLabels(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Admin)
		a.db.Clock.Advance(time.Minute)
		created := c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}}).wantRedirect("/admin/teams")
		a.db.Clock.Advance(time.Minute)
		c.post("/admin/structure", structureForm()).wantRedirect("/admin/structure")
		// Another structure's activity stays out of this journal.
		oc := a.login(a.other.Admin)
		oc.post("/admin/teams", url.Values{"name": {"Leur équipe"}}).wantRedirect("/admin/teams")

		page := c.get("/admin/audit").wantStatus(http.StatusOK)
		if page.text("h1") != "Journal d'audit" {
			t.Errorf("h1 = %q", page.text("h1"))
		}
		page.wantContains("table caption", "les plus récentes d'abord")
		rows := auditRows(page)
		if len(rows) < 3 {
			t.Fatalf("audit rows: %v", rows)
		}
		if !strings.HasPrefix(rows[0][2], "Modification de la structure") || !strings.HasPrefix(rows[1][2], "Création d'une équipe") ||
			!strings.HasPrefix(rows[2][2], "Connexion réussie") {
			t.Errorf("first rows: %v", rows[:3])
		}
		if rows[1][1] != a.st.Admin.DisplayName {
			t.Errorf("actor = %q", rows[1][1])
		}
		if rows[1][5] != created.header.Get("X-Request-Id") || rows[1][5] == "" {
			t.Errorf("request id %q, want the creating response's %q", rows[1][5], created.header.Get("X-Request-Id"))
		}
		if !strings.Contains(rows[0][0], "10 mars 2026 à 10 h 32") {
			t.Errorf("date shown in Paris time: %q", rows[0][0])
		}
		labels := map[string]bool{}
		for _, act := range maillon.AuditActions() {
			labels[act.Label()] = true
		}
		var prev time.Time
		page.find("table tbody tr").Each(func(i int, tr *goquery.Selection) {
			at, err := time.Parse(time.RFC3339, tr.Find("time").AttrOr("datetime", ""))
			if err != nil {
				t.Errorf("row %d: datetime: %v", i, err)
			}
			if i > 0 && at.After(prev) {
				t.Errorf("row %d is newer than the one above", i)
			}
			prev = at
			label := strings.TrimSpace(tr.Find("td").Eq(2).Contents().First().Text())
			if !labels[label] {
				t.Errorf("row %d: action label %q is not a French label", i, label)
			}
		})
		if strings.Contains(page.text("main"), a.other.Admin.DisplayName) {
			t.Error("another structure's entries or users are shown")
		}
		if page.find(`#f-user option[value="`+strconv.FormatInt(int64(a.other.Admin.ID), 10)+`"]`).Length() != 0 {
			t.Error("the user filter offers another structure's account")
		}
		if page.find(`#f-user option[value="`+strconv.FormatInt(int64(a.st.Mediator.ID), 10)+`"]`).Length() != 1 {
			t.Error("the user filter lacks an account of the structure")
		}
		if got := page.find(`#f-action option`).Length(); got != len(maillon.AuditActions())+1 {
			t.Errorf("action filter has %d options", got)
		}
		// The other administrator's team creation is not here.
		if got := len(auditRows(c.get("/admin/audit?action=team.create"))); got != 1 {
			t.Errorf("team.create entries: %d, want 1", got)
		}
		if got := len(auditRows(c.get("/admin/audit?user=" + strconv.FormatInt(int64(a.other.Admin.ID), 10)))); got != 0 {
			t.Errorf("entries of another structure's admin: %d", got)
		}
	})
}

func TestAuditFilters(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		anon := a.client()
		anon.get("/login")
		anon.post("/login", url.Values{"email": {a.st.Mediator.Email}, "password": {"pas le bon mot de passe"}}).wantStatus(http.StatusUnauthorized)
		a.login(a.st.Mediator)
		a.db.Clock.Set(time.Date(2026, 3, 12, 8, 0, 0, 0, time.UTC))
		c := a.login(a.st.Admin)
		c.post("/admin/teams", url.Values{"name": {"Équipe Nord"}}).wantRedirect("/admin/teams")

		mid := strconv.FormatInt(int64(a.st.Mediator.ID), 10)
		byUser := c.get("/admin/audit?user=" + mid).wantStatus(http.StatusOK)
		rows := auditRows(byUser)
		if len(rows) != 1 || rows[0][1] != a.st.Mediator.DisplayName || !strings.HasPrefix(rows[0][2], "Connexion réussie") {
			t.Errorf("entries by the mediator: %v", rows)
		}
		if v := byUser.find("#f-user option[selected]").AttrOr("value", ""); v != mid {
			t.Errorf("user filter not kept: %q", v)
		}

		failures := auditRows(c.get("/admin/audit?action=login.failure").wantStatus(http.StatusOK))
		if len(failures) != 1 || !strings.HasPrefix(failures[0][2], "Échec de connexion") {
			t.Errorf("login failures: %v", failures)
		}

		for _, tc := range []struct {
			query   string
			actions []string
		}{
			{"from=2026-03-12", []string{"Création d'une équipe", "Connexion réussie"}},
			{"from=2026-03-12&to=2026-03-12", []string{"Création d'une équipe", "Connexion réussie"}},
			{"from=2026-03-11&to=2026-03-11", nil},
			{"to=2026-03-10&action=login.success", []string{"Connexion réussie"}},
			{"from=2026-03-12&action=team.create", []string{"Création d'une équipe"}},
		} {
			r := c.get("/admin/audit?" + tc.query).wantStatus(http.StatusOK)
			var got []string
			for _, row := range auditRows(r) {
				got = append(got, row[2])
			}
			if strings.Join(got, "|") != strings.Join(tc.actions, "|") {
				t.Errorf("%s: got %v, want %v", tc.query, got, tc.actions)
			}
			if len(tc.actions) == 0 {
				r.wantContains("main", "Aucune entrée ne correspond")
			}
		}
		kept := c.get("/admin/audit?from=2026-03-12&to=2026-03-13&action=team.create")
		if v, _ := kept.find("#f-from").Attr("value"); v != "2026-03-12" {
			t.Errorf("from not kept: %q", v)
		}
		if v := kept.find("#f-action option[selected]").AttrOr("value", ""); v != "team.create" {
			t.Errorf("action not kept: %q", v)
		}

		bad := c.get("/admin/audit?from=2026-02-30&to=demain").wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("from", "jj/mm/aaaa")
		bad.wantFieldError("to", "jj/mm/aaaa")
		if v, _ := bad.find("#f-to").Attr("value"); v != "demain" {
			t.Errorf("invalid value not kept: %q", v)
		}
		if !strings.HasPrefix(bad.text("title"), "Erreur : ") {
			t.Errorf("title = %q", bad.text("title"))
		}
		order := c.get("/admin/audit?from=2026-03-12&to=2026-03-10").wantStatus(http.StatusUnprocessableEntity)
		order.wantFieldError("to", "suivre la date de début")
		if order.find("table").Length() != 0 {
			t.Error("entries listed despite the invalid period")
		}
		// Unknown values of the select filters are ignored.
		c.get("/admin/audit?action=nimporte&user=abc").wantStatus(http.StatusOK)
	})
}

func TestAuditPagination(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		for i := range 55 {
			mustTeam(t, a, a.st.Admin, fmt.Sprintf("Équipe %02d", i))
		}
		c := a.login(a.st.Admin)
		all := c.get("/admin/audit").wantStatus(http.StatusOK)
		// 55 teams, 3 accounts and the structure created by the fixture,
		// and this login.
		all.wantContains("nav.pagination", "1 à 50 sur 60")
		if len(auditRows(all)) != 50 {
			t.Errorf("first page rows: %d", len(auditRows(all)))
		}
		next := all.find(`nav.pagination a[rel="next"]`).AttrOr("href", "")
		if next != "/admin/audit?page=2" {
			t.Fatalf("next = %q", next)
		}
		second := c.get(next).wantStatus(http.StatusOK)
		second.wantContains("nav.pagination", "51 à 60 sur 60")
		if len(auditRows(second)) != 10 {
			t.Errorf("second page rows: %d", len(auditRows(second)))
		}
		if prev := second.find(`nav.pagination a[rel="prev"]`).AttrOr("href", ""); prev != "/admin/audit" {
			t.Errorf("prev = %q", prev)
		}
		filtered := c.get("/admin/audit?action=team.create").wantStatus(http.StatusOK)
		filtered.wantContains("nav.pagination", "1 à 50 sur 55")
		next = filtered.find(`nav.pagination a[rel="next"]`).AttrOr("href", "")
		if next != "/admin/audit?action=team.create&page=2" {
			t.Fatalf("filtered next = %q", next)
		}
		if got := len(auditRows(c.get(next))); got != 5 {
			t.Errorf("filtered second page rows: %d", got)
		}
	})
}
