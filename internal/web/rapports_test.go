package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"maillon"
	"maillon/internal/demo"
	"maillon/internal/storetest"
)

func TestReportPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		awa := ivMustPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Persons: []maillon.PersonID{awa.ID},
			Registre: "acces_droits", Themes: []string{"logement"}, Commanditaire: "Ville de Test"})
		ivMustIntervention(t, a, a.st.Coordinator, maillon.InterventionInput{Registre: "accueil"})

		c := a.login(a.st.Coordinator)
		idx := c.get("/rapports").wantStatus(http.StatusOK)
		checkA11y(t, "reports index", idx)
		idx.wantContains("main", "Rapport d'activité", "Nombre d'interventions", "date de début de l'intervention")
		if idx.find(`nav a[href="/rapports"]`).Length() != 1 {
			t.Error("no navigation entry to /rapports")
		}

		r := c.get("/rapports/activite?period=month&month=2026-03").wantStatus(http.StatusOK)
		checkA11y(t, "activity report", r)
		r.wantContains("h1", "mars 2026")
		r.wantContains("main", "toute la structure", "Interventions par type principal", "Personnes identifiées rencontrées")
		// Two interventions in March, one of each registre.
		if got := strings.TrimSpace(r.text("#ind-interventions-nombre-h ~ .table-wrap tbody td")); got != "2" {
			t.Errorf("number of interventions: %q", got)
		}
		// Each chart is an image named by its title and description, and
		// its data table follows.
		svgs := r.find(`svg[role="img"]`)
		if svgs.Length() == 0 {
			t.Fatal("no chart")
		}
		svgs.Each(func(_ int, s *goquery.Selection) {
			ids, _ := s.Attr("aria-labelledby")
			parts := strings.Fields(ids)
			if len(parts) != 2 || s.Find("title#"+parts[0]).Length() != 1 || s.Find("desc#"+parts[1]).Length() != 1 {
				t.Errorf("chart without its title and description: %q", ids)
			}
		})
		if r.find(`#ind-interventions-registre-h ~ figure svg`).Length() != 1 || r.find(`#ind-interventions-registre-h ~ .table-wrap table caption`).Length() != 1 {
			t.Error("the registre chart and its table are not together")
		}

		// Filters: the commanditaire keeps one intervention; the tournées
		// say the filter does not apply to them.
		r = c.get("/rapports/activite?period=month&month=2026-03&commanditaire=Ville+de+Test").wantStatus(http.StatusOK)
		if got := strings.TrimSpace(r.text("#ind-interventions-nombre-h ~ .table-wrap tbody td")); got != "1" {
			t.Errorf("filtered number of interventions: %q", got)
		}
		r.wantContains("#ind-tournees-nombre-h ~ p.hint", "Commanditaire")

		// Shared outside: one identified person is "< 5".
		r = c.get("/rapports/activite?period=month&month=2026-03&external=on").wantStatus(http.StatusOK)
		r.wantContains("#ind-personnes-identifiees-h ~ .table-wrap", "< 5")
		r.wantContains(".report-meta", "hors de la structure")

		// Bad input: French messages next to the fields, 422.
		r = c.get("/rapports/activite?period=month&month=2026-13&registre=nope&commanditaire=Inconnu").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "report in error", r)
		r.wantFieldError("month", "aaaa-mm")
		r.wantFieldError("registre", "Choisissez")
		r.wantFieldError("commanditaire", "Choisissez")
		r = c.get("/rapports/activite?period=custom&from=2026-03-10&to=2026-03-01").wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("to", "suivre")

		// A mediator without a team sees their own figures, and may not
		// ask for a colleague's.
		m := a.login(a.st.Mediator)
		r = m.get("/rapports/activite?period=month&month=2026-03").wantStatus(http.StatusOK)
		r.wantContains(".report-meta", a.st.Mediator.DisplayName)
		if got := strings.TrimSpace(r.text("#ind-interventions-nombre-h ~ .table-wrap tbody td")); got != "1" {
			t.Errorf("filtered number of interventions: %q", got)
		}
		if r.find(`#f-mediator option[value="`+mdID(a.st.Coordinator.ID)+`"]`).Length() != 0 {
			t.Error("a mediator is offered a colleague outside their team")
		}
		m.get("/rapports/activite?period=month&month=2026-03&mediator=" + mdID(a.st.Coordinator.ID)).wantStatus(http.StatusForbidden)
	})
}

func TestDashboards(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Registre: "accueil"})
		ivMustIntervention(t, a, a.st.Coordinator, maillon.InterventionInput{Registre: "accueil", Date: "2026-02-10"})

		m := a.login(a.st.Mediator)
		home := m.get("/").wantStatus(http.StatusOK)
		if home.find(`main a[href="/tableau-de-bord"]`).Length() != 1 {
			t.Error("no link to the dashboard on the home page")
		}
		r := m.get("/tableau-de-bord").wantStatus(http.StatusOK)
		checkA11y(t, "mediator's dashboard", r)
		r.wantContains("#my-week", "Nombre d'interventions", "1", "30 min")
		r.wantContains("main", "Mes rendez-vous", "Médiations en cours par ancienneté")
		if r.find("#month-table").Length() != 0 || r.find("#admin-title").Length() != 0 {
			t.Error("a mediator sees the structure's or the administration's part")
		}

		c := a.login(a.st.Coordinator)
		r = c.get("/tableau-de-bord").wantStatus(http.StatusOK)
		checkA11y(t, "coordinator's dashboard", r)
		row := r.find("#month-table tbody tr").First()
		if got := row.Find("th").Text() + "|" + row.Find("td").First().Text() + "|" + row.Find("td").Last().Text(); got != "Nombre d'interventions|1|1" {
			t.Errorf("this month against the previous: %q", got)
		}
		r.wantContains("main", "Fraîcheur des fiches de services", "Orientations en attente de retour")
		if r.find("#admin-title").Length() != 0 {
			t.Error("a coordinator sees the administration part")
		}

		ad := a.login(a.st.Admin)
		r = ad.get("/tableau-de-bord").wantStatus(http.StatusOK)
		checkA11y(t, "admin's dashboard", r)
		r.wantContains("#admin-title ~ p", "comptes actifs")
		r.wantContains("main", "Dernières connexions", a.st.Admin.DisplayName, "Journal d'audit")
	})
}

// newAzReportFixtures gives a.st a report template, copied from an
// example by its administrator.
func newAzReportFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	rt, err := fx.a.db.CreateReportTemplate(context.Background(), fx.admin, "bailleur")
	if err != nil {
		t.Fatal(err)
	}
	fx.reportTemplate = int64(rt.ID)
}

// azReportTemplateID returns the template for the {id} of a route, or a
// fresh one for deletion.
func (fx *azFixtures) azReportTemplateID(fresh bool) int64 {
	if !fresh {
		return fx.reportTemplate
	}
	rt, err := fx.a.db.CreateReportTemplate(context.Background(), fx.admin, "annuel")
	if err != nil {
		fx.t.Fatal(err)
	}
	return int64(rt.ID)
}

// azReportForm is a valid form for a /rapports route.
func azReportForm(key string) url.Values {
	switch key {
	case "POST /rapports/modeles":
		return url.Values{"example": {"annuel"}}
	case "POST /rapports/modeles/{id}":
		return url.Values{"title": {"Bilan bailleur"}, maillon.TemplateField("order", "interventions.nombre"): {"1"}}
	}
	return url.Values{}
}

func TestReportTemplatePages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Registre: "accueil", PlaceType: "domicile"})
		ad := a.login(a.st.Admin)
		r := ad.get("/rapports/modeles").wantStatus(http.StatusOK)
		checkA11y(t, "templates", r)
		r.wantContains("main", "Bilan annuel d'activité", "Bilan adultes-relais", "Bilan contrat de ville", "Bilan bailleur")

		// Copy an example, then edit it.
		r = ad.post("/rapports/modeles", url.Values{"example": {"bailleur"}})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasSuffix(loc, "/edit") {
			t.Fatalf("copy: %d %q", r.status, loc)
		}
		edit := ad.get(loc).wantStatus(http.StatusOK)
		checkA11y(t, "template edit", edit)
		if v, _ := edit.find("#" + "f-order-interventions-nombre").Attr("value"); v != "1" {
			t.Errorf("rank of the first indicator: %q", v)
		}
		base := strings.TrimSuffix(loc, "/edit")
		bad := url.Values{"title": {""}, maillon.TemplateField("order", "interventions.lieu"): {"x"}}
		r = ad.post(base, bad).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "template edit in error", r)
		r.wantFieldError("title", "titre")
		r.wantFieldError(maillon.TemplateField("order", "interventions.lieu"), "rang")
		good := url.Values{"title": {"Bilan pour Est Habitat"}, "intro": {"Notre année."}, "external": {"on"},
			maillon.TemplateField("order", "interventions.lieu"): {"1"}, maillon.TemplateField("heading", "interventions.lieu"): {"Où nous intervenons"},
			maillon.TemplateField("order", "interventions.nombre"): {"2"}, maillon.TemplateField("text", "interventions.nombre"): {"Texte libre Marqueur."}}
		ad.post(base, good).wantRedirect(base)

		// The report of the template, and its workbook.
		show := ad.get(base + "?period=month&month=2026-03").wantStatus(http.StatusOK)
		checkA11y(t, "template report", show)
		show.wantContains("h1", "Bilan pour Est Habitat", "mars 2026")
		show.wantContains("main", "Notre année.", "Où nous intervenons", "Texte libre Marqueur.")
		if got := show.find("article.indicator h3").First().Text(); got != "Où nous intervenons" {
			t.Errorf("first section: %q", got)
		}
		if show.find("article.indicator").Length() != 2 {
			t.Errorf("%d sections", show.find("article.indicator").Length())
		}
		x := ad.get(base + "/xlsx?period=month&month=2026-03").wantStatus(http.StatusOK)
		if ct := x.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || !strings.HasPrefix(x.body, "PK") {
			t.Errorf("workbook: %q, %d bytes", ct, len(x.body))
		}
		ad.get(base + "/xlsx?period=month&month=13").wantStatus(http.StatusUnprocessableEntity)

		// A mediator reads the template's report, without editing.
		m := a.login(a.st.Mediator)
		r = m.get(base).wantStatus(http.StatusOK)
		if r.find(`a[href="`+base+`/edit"]`).Length() != 0 {
			t.Error("a mediator is offered the edit form")
		}
		ad.post(base+"/delete", nil).wantRedirect("/rapports/modeles")
		ad.get(base).wantStatus(http.StatusNotFound)
	})
}

// TestDashboardAgreesWithReport loads the demo dataset and checks that
// the figures of the coordinator's dashboard are those of the activity
// report of the same month, and the mediator's week those of the report of
// the week filtered on them: one query code, one figure.
func TestDashboardAgreesWithReport(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *storetest.DB) {
		if _, err := demo.Load(context.Background(), db.Services(), demo.Options{Scale: demo.Small, Seed: 1}); err != nil {
			t.Fatalf("demo: %v", err)
		}
		a := newApp(t, db)
		login := func(email string) *client {
			c := a.client()
			c.get("/login")
			if r := c.post("/login", url.Values{"email": {email}, "password": {demo.Password}, "next": {"/"}}); r.status != http.StatusSeeOther {
				t.Fatalf("login %s: %d", email, r.status)
			}
			return c
		}
		c := login("coordination@demo.maillon.test")
		dash := c.get("/tableau-de-bord").wantStatus(http.StatusOK)
		rep := c.get("/rapports/activite?period=month&month=2026-03").wantStatus(http.StatusOK)
		compared := 0
		dash.find("#month-table tbody tr").Each(func(_ int, row *goquery.Selection) {
			href, _ := row.Find("th a").Attr("href")
			_, anchor, _ := strings.Cut(href, "#")
			want := strings.TrimSpace(rep.find("#" + anchor + " ~ .table-wrap tfoot td").Text())
			if want == "" {
				want = strings.TrimSpace(rep.find("#" + anchor + " ~ .table-wrap tbody td").First().Text())
			}
			got := strings.TrimSpace(row.Find("td").First().Text())
			if got == "" || got != want {
				t.Errorf("%s: dashboard %q, report %q", anchor, got, want)
			}
			compared++
		})
		if compared < 5 {
			t.Fatalf("compared %d figures", compared)
		}
		if got := strings.TrimSpace(dash.find("#month-table tbody tr td").First().Text()); got == "0" {
			t.Error("the demo month has no intervention on the dashboard")
		}
		// Collective actions in progress: the projects "en cours" and the
		// month's sessions are those of the report.
		var inProgress string
		rep.find("#ind-activites-projets-h ~ .table-wrap tbody tr").Each(func(_ int, row *goquery.Selection) {
			if strings.TrimSpace(row.Find("th").Text()) == "En cours" {
				inProgress = strings.TrimSpace(row.Find("td").First().Text())
			}
		})
		for _, c := range []struct{ dash, report string }{
			{strings.TrimSpace(dash.text("#dash-activites-projets .dashboard-figure")), inProgress},
			{strings.TrimSpace(dash.text("#dash-activites-seances .dashboard-figure")), strings.TrimSpace(rep.text("#ind-activites-seances-h ~ .table-wrap tfoot td"))},
		} {
			if c.dash == "" || c.dash == "0" || c.dash != c.report {
				t.Errorf("collective actions: dashboard %q, report %q", c.dash, c.report)
			}
		}

		// The mediator's week: the link of each figure opens the report it
		// was read from.
		m := login("mediation@demo.maillon.test")
		dash = m.get("/tableau-de-bord").wantStatus(http.StatusOK)
		dash.find("#my-week a.dashboard-figure").Each(func(i int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			r := m.get(href).wantStatus(http.StatusOK)
			label := strings.TrimSpace(s.Closest("li").Find("h3").Text())
			var want string
			r.find("article.indicator").Each(func(_ int, art *goquery.Selection) {
				if strings.TrimSpace(art.Find("h3").Text()) == label {
					want = strings.TrimSpace(art.Find("tfoot td").Text())
					if want == "" {
						want = strings.TrimSpace(art.Find("tbody td").First().Text())
					}
				}
			})
			if got := strings.TrimSpace(s.Text()); got != want {
				t.Errorf("%s: dashboard %q, report %q", label, got, want)
			}
		})
	})
}
