package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// azSeances maps a project of the fixtures to the session its {sid}
// routes act on, for azPath.
var azSeances sync.Map

// azSeanceOf is the session of project id, or 0.
func azSeanceOf(id int64) int64 {
	if v, ok := azSeances.Load(id); ok {
		return v.(int64)
	}
	return 0
}

// actFixture is a running project of a.st with a session held yesterday
// (one named registration), a session to come, a budget line and an
// open questionnaire link.
type actFixture struct {
	id, past, future, budget int64
	person                   maillon.PersonID
	token                    string
}

func actMust(t testing.TB, a *app, running bool) actFixture {
	t.Helper()
	ctx := context.Background()
	med, coord := storetest.Actor(a.st.Mediator), storetest.Actor(a.st.Coordinator)
	act, err := a.db.CreateActivite(ctx, med, maillon.ActiviteInput{Title: "Café Marqueur des parents", Kind: "cafe_rencontre",
		Need: "Parents isolés repérés en tournée.", StartsOn: "2026-03-01", Accessibility: []string{"plain_pied"}})
	if err != nil {
		t.Fatal(err)
	}
	f := actFixture{id: int64(act.ID)}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.db.AddObjective(ctx, med, act.ID, maillon.ObjectiveInput{Label: "Réunir des parents", Indicator: maillon.IndicatorPresences, Target: "20"}))
	must(a.db.AddObjective(ctx, med, act.ID, maillon.ObjectiveInput{Label: "Parents qui osent l'école", Indicator: maillon.IndicatorSaisi, Target: "5", Unit: "parents"}))
	must(a.db.AddBudgetLine(ctx, med, act.ID, maillon.BudgetInput{Funder: "CAF", Label: "Goûter", Planned: "200"}))
	ids, err := a.db.CreateSeances(ctx, med, act.ID, maillon.SeanceInput{Date: "2026-03-09", Start: "14:00", End: "16:00",
		Place: "Salle Marqueur", Capacity: "30"})
	must(err)
	f.past = int64(ids[0])
	ids, err = a.db.CreateSeances(ctx, med, act.ID, maillon.SeanceInput{Date: "2026-03-20", Start: "14:00", End: "16:00",
		Place: "Salle Marqueur", Capacity: "30"})
	must(err)
	f.future = int64(ids[0])
	p, err := a.db.CreatePerson(ctx, med, maillon.PersonInput{FirstName: "Inès", LastName: "Marqueur-Inscrite", ConsentGiven: true, ConsentMethod: "oral"})
	must(err)
	f.person = p.ID
	_, err = a.db.Register(ctx, med, act.ID, maillon.SeanceID(f.past), maillon.RegistrationInput{PersonID: p.ID})
	must(err)
	if running {
		must(a.db.SetActiviteStatus(ctx, med, act.ID, maillon.ActiviteStatusInput{Status: maillon.ActivitePreparation}))
		must(a.db.SetActiviteStatus(ctx, coord, act.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteValidee}))
		must(a.db.SetActiviteStatus(ctx, med, act.ID, maillon.ActiviteStatusInput{Status: maillon.ActiviteEnCours}))
	}
	f.token, err = a.db.CreateQuestionnaireLink(ctx, med, act.ID, maillon.SeanceID(f.past), 30)
	must(err)
	full, err := a.db.FindActivite(ctx, med, act.ID)
	must(err)
	f.budget = full.Budget[0].ID
	azSeances.Store(f.id, f.past)
	return f
}

// azActivite is the shared project of the authorisation matrix.
var azActivites sync.Map // *azFixtures → actFixture

func newAzActiviteFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	azActivites.Store(fx, actMust(t, fx.a, true))
	fx.markers = append(fx.markers, "Café Marqueur des parents", "Salle Marqueur", "Marqueur-Inscrite")
}

func (fx *azFixtures) activite() actFixture {
	v, _ := azActivites.Load(fx)
	return v.(actFixture)
}

// azActiviteID returns the project of a route's {id}: a fresh one for
// status changes.
func (fx *azFixtures) azActiviteID(key string, fresh bool) int64 {
	if fresh {
		return actMust(fx.t, fx.a, false).id
	}
	return fx.activite().id
}

// azActiviteForm is a valid form for a collective action route.
func (fx *azFixtures) azActiviteForm(key string) url.Values {
	f := fx.activite()
	switch key {
	case "POST /activites":
		return url.Values{"title": {"Atelier numérique"}, "kind": {"atelier_numerique"}, "need": {"Des démarches en ligne difficiles."}}
	case "POST /activites/{id}":
		return url.Values{"title": {"Café Marqueur des parents"}, "kind": {"cafe_rencontre"}, "need": {"Parents isolés, et leurs voisins."},
			"starts_on": {"2026-03-01"}, "accessibility": {"plain_pied"}, "why": {"Le besoin s'élargit."}}
	case "POST /activites/{id}/status":
		return url.Values{"status": {"preparation"}}
	case "POST /activites/{id}/objectifs":
		return url.Values{"objective_label": {"Tenir les séances"}, "indicator": {"seances"}, "target": {"10"}}
	case "POST /activites/{id}/partenaires":
		return url.Values{"partner_name": {"Centre social"}, "partner_role": {"Prête la salle"}}
	case "POST /activites/{id}/budget":
		return url.Values{"funder": {"Ville"}, "budget_label": {"Affiches"}, "planned": {"50"}}
	case "POST /activites/{id}/depenses":
		return url.Values{"actual_" + strconv.FormatInt(f.budget, 10): {"180"}}
	case "POST /activites/{id}/ajustements":
		return url.Values{"what": {"Horaire avancé"}, "adj_why": {"Sortie d'école"}}
	case "POST /activites/{id}/evaluation":
		return url.Values{"effects": {"Des parents se parlent."}, "decision": {"poursuivre"}}
	case "POST /activites/{id}/seances":
		return url.Values{"date": {"2026-04-02"}, "start": {"10:00"}, "end": {"12:00"}, "place": {"Salle"}, "capacity": {"10"}}
	case "POST /activites/{id}/seances/{sid}":
		return url.Values{"date": {"2026-03-09"}, "start": {"14:00"}, "end": {"16:30"}, "place": {"Salle Marqueur"}, "capacity": {"30"}, "scope": {"une"}}
	case "POST /activites/{id}/seances/{sid}/inscriptions":
		return url.Values{"reg_count": {"1"}}
	case "POST /activites/{id}/seances/{sid}/desinscription":
		// A registration made for the request: the route uses it up.
		fx.known = ""
		a := storetest.Actor(fx.a.st.Mediator)
		if _, err := fx.a.db.Register(context.Background(), a, maillon.ActiviteID(f.id), maillon.SeanceID(f.past),
			maillon.RegistrationInput{Count: "2"}); err != nil {
			return url.Values{"registration_id": {"999999"}}
		}
		_, se, err := fx.a.db.FindSeance(context.Background(), a, maillon.ActiviteID(f.id), maillon.SeanceID(f.past), false)
		if err != nil {
			fx.t.Fatal(err)
		}
		last := se.Registrations[0]
		for _, g := range se.Registrations {
			if g.ID > last.ID {
				last = g
			}
		}
		return url.Values{"registration_id": {strconv.FormatInt(last.ID, 10)}}
	case "POST /activites/{id}/seances/{sid}/presences":
		return url.Values{"tally1_count": {"3"}, "tally1_age": {"26_44"}, "observations": {"Calme."}}
	case "POST /activites/{id}/seances/{sid}/lien":
		return url.Values{"days": {"30"}}
	case "POST /activites/{id}/seances/{sid}/reponses":
		return url.Values{"q1": {"4"}, "q2": {"3"}}
	case "POST /q/{token}":
		if fx.lastToken == "" {
			return url.Values{"q1": {"4"}}
		}
		r := fx.a.client().get("/q/" + fx.lastToken)
		ft, _ := r.find(`input[name="form_token"]`).Attr("value")
		return url.Values{"form_token": {ft}, "q1": {"4"}, "comment": {"Très bien"}}
	}
	return url.Values{}
}

// actToken makes a fresh link to the shared session's questionnaire: the
// matrix's own "lien" requests replace the older ones.
func (fx *azFixtures) actToken() string {
	f := fx.activite()
	fx.known = ""
	token, err := fx.a.db.CreateQuestionnaireLink(context.Background(), storetest.Actor(fx.a.st.Mediator),
		maillon.ActiviteID(f.id), maillon.SeanceID(f.past), 30)
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.lastToken = token
	return token
}

func TestActivitesPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		f := actMust(t, a, true)
		med := a.login(a.st.Mediator)
		coord := a.login(a.st.Coordinator)
		base := "/activites/" + strconv.FormatInt(f.id, 10)
		past := base + "/seances/" + strconv.FormatInt(f.past, 10)

		// The list and its filters; a bad filter is a French 422.
		r := med.get("/activites?status=en_cours").wantStatus(http.StatusOK)
		if !strings.Contains(r.text("table"), "Café Marqueur des parents") {
			t.Errorf("list: %q", r.text("main"))
		}
		checkA11y(t, "list", r)
		r = med.get("/activites?status=nimporte").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "list with a bad filter", r)

		// Creating: the form's errors, then success.
		r = med.post("/activites", url.Values{"title": {""}, "kind": {"x"}}).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(r.text(".error-summary"), "type d'action") {
			t.Errorf("create errors: %q", r.text(".error-summary"))
		}
		checkA11y(t, "project form with errors", r)
		r = med.post("/activites", url.Values{"title": {"Sortie au musée"}, "kind": {"sortie"}, "need": {"Familles qui ne sortent pas du quartier."},
			"starts_on": {"2026-04-01"}, "accessibility": {"horaires", "garde_enfants"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("create: %d %s", r.status, r.text("main"))
		}
		newURL := r.header.Get("Location")
		r = med.get(newURL).wantStatus(http.StatusOK)
		checkA11y(t, "project page", r)
		// An objective without target; a transition not allowed.
		r = med.post(newURL+"/objectifs", url.Values{"objective_label": {"Faire sortir des familles"}, "indicator": {"presences"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(r.text(".error-summary"), "sans cible") {
			t.Errorf("objective without target: %q", r.text(".error-summary"))
		}
		checkA11y(t, "objective error", r)
		r = med.post(newURL+"/status", url.Values{"status": {"en_cours"}}).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(r.text(`.notice--error[role="alert"]`), "Passage impossible") {
			t.Errorf("transition: %q", r.text("main"))
		}
		// A session before the project's start.
		r = med.post(newURL+"/seances", url.Values{"date": {"2026-03-20"}, "start": {"10:00"}, "end": {"12:00"}, "place": {"Gare"}, "capacity": {"8"}}).
			wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(r.text(".error-summary"), "avant le début du projet") {
			t.Errorf("session before start: %q", r.text(".error-summary"))
		}
		checkA11y(t, "session form with errors", r)
		// A monthly series in one go.
		r = med.post(newURL+"/seances", url.Values{"date": {"2026-04-08"}, "start": {"10:00"}, "end": {"12:00"}, "place": {"Gare"},
			"capacity": {"8"}, "recurrence": {"mensuel"}, "count": {"3"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("series: %d %s", r.status, r.text(".error-summary"))
		}
		if r = med.get(newURL); !strings.Contains(r.text("#seances-caption"), "3 séances") {
			t.Errorf("series caption %q", r.text("#seances-caption"))
		}

		// The running project: session page, capacity error, attendance.
		r = med.get(past).wantStatus(http.StatusOK)
		checkA11y(t, "session page", r)
		if !strings.Contains(r.text(".registrations"), "Inès Marqueur-Inscrite") {
			t.Errorf("registrations: %q", r.text(".registrations"))
		}
		r = med.post(past, url.Values{"date": {"2026-03-09"}, "start": {"14:00"}, "end": {"16:00"}, "place": {"Salle"}, "capacity": {"0"}, "scope": {"une"}}).
			wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "session edit with errors", r)
		r = med.post(past+"/presences", url.Values{"tally1_count": {"x"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "attendance with errors", r)
		r = med.post(past+"/presences", url.Values{"tally1_count": {"4"}, "tally1_newcomer": {"nouveau"}, "observations": {"Bonne ambiance."}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("attendance: %d %s", r.status, r.text("main"))
		}
		// Printable pages.
		for _, p := range []string{"/emargement", "/affiche", "/questionnaire"} {
			r = med.get(past + p).wantStatus(http.StatusOK)
			checkA11y(t, p, r)
		}
		if r = med.get(past + "/emargement"); !strings.Contains(r.text("table"), "Marqueur-Inscrite") {
			t.Errorf("sign-in sheet: %q", r.text("table"))
		}

		// The public questionnaire: no account, a 422 on a bad value, the
		// thanks, and an expired link.
		anon := a.client()
		r = anon.get("/q/" + f.token).wantStatus(http.StatusOK)
		checkA11y(t, "public questionnaire", r)
		if r.header.Get("Referrer-Policy") != "no-referrer" || r.find(`input[name="form_token"]`).Length() != 1 {
			t.Errorf("questionnaire headers/form")
		}
		if strings.Contains(r.body, "Marqueur-Inscrite") {
			t.Error("the public page names a participant")
		}
		ft, _ := r.find(`input[name="form_token"]`).Attr("value")
		r = anon.post("/q/"+f.token, url.Values{"form_token": {ft}, "q1": {"7"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "public questionnaire with errors", r)
		r = anon.post("/q/"+f.token, url.Values{"form_token": {"faux"}, "q1": {"4"}})
		if r.status != http.StatusForbidden {
			t.Errorf("wrong form token: %d", r.status)
		}
		r = anon.post("/q/"+f.token, url.Values{"form_token": {ft}, "q1": {"4"}, "q3": {"3"}, "comment": {"Merci"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("answer: %d %s", r.status, r.text("main"))
		}
		r = anon.get(r.header.Get("Location")).wantStatus(http.StatusOK)
		checkA11y(t, "questionnaire thanks", r)
		anon.get("/q/" + strings.Repeat("a", 43)).wantStatus(http.StatusNotFound)

		// Evaluation and bilan.
		r = med.get(base + "/evaluation").wantStatus(http.StatusOK)
		checkA11y(t, "evaluation", r)
		r = med.post(base+"/evaluation", url.Values{"decision": {"nimporte"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "evaluation with errors", r)
		r = coord.get(base + "/bilan").wantStatus(http.StatusOK)
		checkA11y(t, "bilan", r)
		text := r.text("main")
		for _, want := range []string{"Réunir des parents", "4 présences", "CAF", "1 réponse"} {
			if !strings.Contains(strings.Join(strings.Fields(text), " "), want) && !strings.Contains(text, want) {
				t.Errorf("bilan lacks %q: %.600s", want, text)
			}
		}

		a.db.Clock.Advance(40 * 24 * time.Hour)
		r = anon.get("/q/" + f.token).wantStatus(http.StatusGone)
		if !strings.Contains(r.text("main"), "expiré") {
			t.Errorf("expired: %q", r.text("main"))
		}
		checkA11y(t, "expired questionnaire", r)
		r = anon.post("/q/"+f.token, url.Values{"form_token": {ft}, "q1": {"4"}}).wantStatus(http.StatusGone)
		checkA11y(t, "answer to an expired questionnaire", r)
	})
}
