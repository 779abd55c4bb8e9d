package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// newAzTourneeFixtures adds a tournée of a.st whose members are the
// mediator and fx.user, with an observation no other structure may see.
func newAzTourneeFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	fx.tournee = fx.azTourneeID(true)
	if err := fx.a.db.AddTourneeObservation(context.Background(), fx.admin, maillon.TourneeID(fx.tournee),
		maillon.ObservationInput{Kind: "observation", Text: "Observation Marqueur"}); err != nil {
		t.Fatal(err)
	}
	fx.markers = append(fx.markers, "Observation Marqueur")
}

// azTourneeID returns the shared tournée, or a fresh one.
func (fx *azFixtures) azTourneeID(fresh bool) int64 {
	if !fresh && fx.tournee != 0 {
		return fx.tournee
	}
	// Started an hour ago, so that it can end now.
	start := maillon.InParis(fx.a.db.Clock.Now().Add(-time.Hour))
	tr, err := fx.a.db.CreateTournee(context.Background(), fx.admin, maillon.TourneeInput{ZoneID: maillon.ZoneID(fx.zone),
		Date: start.Format("2006-01-02"), Time: start.Format("15:04"), Members: []maillon.UserID{fx.a.st.Mediator.ID, maillon.UserID(fx.user)}})
	if err != nil {
		fx.t.Fatal(err)
	}
	return int64(tr.ID)
}

// azCheckInID returns the mediator's open home-visit check-in; a fresh one
// closes the current one first (one open check-in per person).
func (fx *azFixtures) azCheckInID(fresh bool) int64 {
	ctx := context.Background()
	med := storetest.Actor(fx.a.st.Mediator)
	open, err := fx.a.db.FindOpenCheckIn(ctx, med)
	if err != nil {
		fx.t.Fatal(err)
	}
	if open != nil && !fresh {
		return int64(open.ID)
	}
	if open != nil {
		if err := fx.a.db.CheckOut(ctx, med, open.ID); err != nil {
			fx.t.Fatal(err)
		}
	}
	c, err := fx.a.db.StartHomeVisit(ctx, med, maillon.HomeVisitInput{CommuneID: maillon.CommuneID(fx.commune),
		ExpectedEnd: maillon.InParis(fx.a.db.Clock.Now().Add(2 * time.Hour)).Format("15:04")})
	if err != nil {
		fx.t.Fatal(err)
	}
	return int64(c.ID)
}

// azTourneeForm is a valid form for the tournée and check-in routes. A
// new departure first closes the actor's open one, so that only the
// route's rule decides.
func (fx *azFixtures) azTourneeForm(key string, actor int) url.Values {
	switch key {
	case "POST /tournees":
		return url.Values{"zone_id": {strconv.FormatInt(fx.zone, 10)}, "date": {"2026-03-10"}, "time": {"10:00"},
			"members": {ivID(fx.a.st.Mediator.ID), ivID(fx.a.st.Coordinator.ID)}}
	case "POST /tournees/{id}/counters":
		return url.Values{"counter": {"contacts"}, "delta": {"1"}}
	case "POST /tournees/{id}/observations":
		return url.Values{"kind": {"incident"}, "text": {"Un attroupement s'est dispersé"}}
	case "POST /tournees/{id}/end":
		return url.Values{"end_time": {""}}
	case "POST /checkins":
		users := map[int]*maillon.User{azMediator: fx.a.st.Mediator, azCoordinator: fx.a.st.Coordinator, azAdmin: fx.a.st.Admin}
		if u := users[actor]; u != nil {
			ctx, a := context.Background(), storetest.Actor(u)
			if open, err := fx.a.db.FindOpenCheckIn(ctx, a); err != nil {
				fx.t.Fatal(err)
			} else if open != nil {
				if err := fx.a.db.CheckOut(ctx, a, open.ID); err != nil {
					fx.t.Fatal(err)
				}
				fx.known = ""
			}
		}
		return url.Values{"expected_end": {maillon.InParis(fx.a.db.Clock.Now().Add(time.Hour)).Format("15:04")},
			"place": {"c" + strconv.FormatInt(fx.commune, 10)}, "place_label": {"Bât. C"}}
	}
	return url.Values{"back": {"/tournees"}}
}

// tourneeSetup gives a.st a quartier and returns it.
func tourneeSetup(t *testing.T, a *app) *maillon.Zone {
	t.Helper()
	admin := storetest.Actor(a.st.Admin)
	c, err := a.db.AddCommune(context.Background(), admin, a.st.ID, maillon.CommuneInput{INSEE: "69266", Name: "Villeurbanne"})
	if err != nil {
		t.Fatal(err)
	}
	z, err := a.db.AddZone(context.Background(), admin, maillon.ZoneInput{CommuneID: c.ID, Name: "Les Buers"})
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestTourneeCounterScreen(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		z := tourneeSetup(t, a)
		med := a.login(a.st.Mediator)
		// The form: the quartier, now, the current user pre-selected.
		r := med.get("/tournees/new").wantStatus(http.StatusOK)
		if r.find(`input[name="members"][checked]`).Length() != 1 || r.find(`input[name="members"][value="`+ivID(a.st.Mediator.ID)+`"][checked]`).Length() != 1 {
			t.Errorf("current user not pre-selected")
		}
		if r.find(`#f-time`).AttrOr("value", "") != "10:30" || !strings.Contains(r.text(`#f-zone-id`), "Villeurbanne – Les Buers") {
			t.Errorf("start or zone options: %q %q", r.find(`#f-time`).AttrOr("value", ""), r.text(`#f-zone-id`))
		}
		// Alone without an expected end: 422 next to the field.
		form := url.Values{"zone_id": {ivID(z.ID)}, "date": {"2026-03-10"}, "time": {"10:30"}, "members": {ivID(a.st.Mediator.ID)}}
		med.post("/tournees", form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("expected_end", "heure de retour")
		form.Set("expected_end", "12:30")
		r = med.post("/tournees", form).wantStatus(http.StatusSeeOther)
		loc := r.header.Get("Location")
		if !strings.HasPrefix(loc, "/tournees/") {
			t.Fatalf("created tournée at %q", loc)
		}
		// The banner shows the lone departure on every page.
		r = med.get(loc).wantStatus(http.StatusOK)
		if !strings.Contains(r.text(".checkin-banner"), "Tournée seul ou seule") || !strings.Contains(r.text(".checkin-banner"), "12 h 30") {
			t.Errorf("banner: %q", r.text(".checkin-banner"))
		}
		if n := r.find(`form[data-counter-form]`).Length(); n != 2*len(maillon.TourneeCounterCodes()) {
			t.Errorf("%d counter forms", n)
		}
		// A plain + comes back to the counter (PRG).
		med.post(loc+"/counters", url.Values{"counter": {"contacts"}, "delta": {"1"}}).wantRedirect(loc + "#c-contacts")
		med.post(loc+"/counters", url.Values{"counter": {maillon.TourneeTallyAge("16_25")}, "delta": {"1"}}).wantRedirect(loc + "#c-age_16_25")
		// The script's request gets the new value.
		req, _ := http.NewRequest("POST", a.srv.URL+loc+"/counters", strings.NewReader(url.Values{"csrf_token": {med.csrf}, "counter": {"contacts"}, "delta": {"1"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		jr := med.do(req)
		var got struct {
			Counter, Label string
			Value          int
		}
		if err := json.Unmarshal([]byte(jr.body), &got); jr.status != http.StatusOK || err != nil || got.Value != 2 || got.Label != "Contacts établis" {
			t.Errorf("JSON answer %d %q: %+v %v", jr.status, jr.body, got, err)
		}
		r = med.get(loc)
		if v := r.text(`[data-counter-value="contacts"]`); v != "2" {
			t.Errorf("contacts shows %q", v)
		}
		// An unknown counter: 422 with the reason.
		r = med.post(loc+"/counters", url.Values{"counter": {"nom"}, "delta": {"1"}}).wantStatus(http.StatusUnprocessableEntity)
		if !strings.Contains(r.text(`.notice--error[role="alert"]`), "Ce compteur n'existe pas") {
			t.Errorf("refused counter: %q", r.text("main"))
		}
		// Observations.
		med.post(loc+"/observations", url.Values{"kind": {"incident"}, "text": {""}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("text", "Indiquez")
		med.post(loc+"/observations", url.Values{"kind": {"incident"}, "text": {"Dispute apaisée devant le local"}}).wantRedirect(loc + "#observations")
		if r = med.get(loc); !strings.Contains(r.text("#observations + ul"), "Incident : Dispute apaisée devant le local") {
			t.Errorf("observations: %q", r.text("#observations + ul"))
		}
		// A colleague outside the tournée reads it without buttons.
		colleague := a.login(storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur))
		r = colleague.get(loc).wantStatus(http.StatusOK)
		if r.find(`form[data-counter-form]`).Length() != 0 || r.text(`[data-counter-value="contacts"]`) != "2" {
			t.Errorf("colleague's view has forms or wrong counts")
		}
		colleague.post(loc+"/counters", url.Values{"counter": {"contacts"}, "delta": {"1"}}).wantStatus(http.StatusForbidden)
		// The lists.
		if r = colleague.get("/tournees"); r.find("tbody tr").Length() != 0 {
			t.Errorf("the colleague's own list shows others' tournées")
		}
		if r = colleague.get("/tournees?all=1"); !strings.Contains(r.text("tbody"), "Les Buers") {
			t.Errorf("the structure's list: %q", r.text("main"))
		}
		// End: before the start is refused next to the field; the end
		// checks the lone mediator out.
		med.post(loc+"/end", url.Values{"end_time": {"10:00"}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("end_time", "suivre son début")
		a.db.Clock.Advance(10 * time.Minute)
		med.post(loc+"/end", url.Values{"end_time": {""}}).wantRedirect(loc)
		r = med.get(loc)
		if r.find(".checkin-banner").Length() != 0 || !strings.Contains(r.text(".tournee-meta"), "fin") || r.find(`form[action$="/end"]`).Length() != 0 {
			t.Errorf("after the end: banner %q, meta %q", r.text(".checkin-banner"), r.text(".tournee-meta"))
		}
		med.post(loc+"/end", url.Values{}).wantStatus(http.StatusConflict)
	})
}

func TestHomeVisitAndCoordinationAlert(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		z := tourneeSetup(t, a)
		med, coord := a.login(a.st.Mediator), a.login(a.st.Coordinator)
		r := med.get("/").wantStatus(http.StatusOK)
		if r.find(`a[href="/checkins/new"]`).Length() == 0 || r.find(`.main-nav a[href="/tournees"]`).Length() != 1 {
			t.Errorf("home lacks the home-visit button or the Tournées link")
		}
		med.get("/checkins/new").wantStatus(http.StatusOK)
		med.post("/checkins", url.Values{"expected_end": {"11:30"}, "place": {"x1"}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("place", "Choisissez")
		med.post("/checkins", url.Values{"expected_end": {""}, "place": {"z" + ivID(z.ID)}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("expected_end", "Indiquez")
		med.post("/checkins", url.Values{"expected_end": {"11:30"}, "place": {"z" + ivID(z.ID)}, "place_label": {"Résidence Les Tilleuls"}}).wantRedirect("/")
		r = med.get("/people")
		banner := r.text(".checkin-banner")
		if !strings.Contains(banner, "Visite à domicile") || !strings.Contains(banner, "Les Buers, Résidence Les Tilleuls") || !strings.Contains(banner, "11 h 30") {
			t.Errorf("banner: %q", banner)
		}
		if back, _ := r.find(`.checkin-banner input[name="back"]`).Attr("value"); back != "/people" {
			t.Errorf("banner comes back to %q", back)
		}
		if med.get("/").find(`a[href="/checkins/new"]`).Length() != 0 {
			t.Errorf("a second departure is offered while one is open")
		}
		// Extend, from the banner.
		id := strings.TrimSuffix(strings.TrimPrefix(r.find(`.checkin-banner form[action$="/extend"]`).AttrOr("action", ""), "/checkins/"), "/extend")
		med.post("/checkins/"+id+"/extend", url.Values{"back": {"/people"}}).wantRedirect("/people")
		if !strings.Contains(med.get("/").text(".checkin-banner"), "12 h 00") {
			t.Errorf("extended banner: %q", med.get("/").text(".checkin-banner"))
		}
		// Late: the coordination sees the alert, another structure does not.
		if coord.get("/").find(".alert-block").Length() != 0 {
			t.Errorf("alert before the expected end")
		}
		a.db.Clock.Advance(2 * time.Hour) // 12:30; sessions have expired
		med, coord = a.login(a.st.Mediator), a.login(a.st.Coordinator)
		other := a.login(a.other.Coordinator)
		r = coord.get("/").wantStatus(http.StatusOK)
		alert := r.text(".alert-block")
		if !strings.Contains(alert, a.st.Mediator.DisplayName) || !strings.Contains(alert, "30 min de retard") || !strings.Contains(alert, "Visite à domicile") {
			t.Errorf("alert: %q", alert)
		}
		if other.get("/").find(".alert-block").Length() != 0 || med.get("/").find(".alert-block").Length() != 0 {
			t.Errorf("the alert shows to another structure or to the mediator")
		}
		if !strings.Contains(med.get("/").text(".checkin-banner"), "dépassée de 30 min") {
			t.Errorf("late banner: %q", med.get("/").text(".checkin-banner"))
		}
		action := r.find(`.alert-block form`).AttrOr("action", "")
		coord.post(action, url.Values{}).wantRedirect("/")
		if coord.get("/").find(".alert-block").Length() != 0 || med.get("/").find(".checkin-banner").Length() != 0 {
			t.Errorf("still alerting once reached")
		}
		// A new visit, checked out by the mediator.
		med.post("/checkins", url.Values{"expected_end": {"14:00"}, "place": {"c" + ivID(z.CommuneID)}}).wantRedirect("/")
		r = med.get("/tournees")
		out := r.find(`.checkin-banner form[action$="/checkout"]`).AttrOr("action", "")
		med.post(out, url.Values{"back": {"/tournees"}}).wantRedirect("/tournees")
		if med.get("/").find(".checkin-banner").Length() != 0 {
			t.Errorf("banner after check-out")
		}
		med.post(out, url.Values{}).wantStatus(http.StatusConflict)
	})
}

// The main courante lists the day's tournées with their counters.
func TestJournalShowsTournees(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		z := tourneeSetup(t, a)
		med := a.login(a.st.Mediator)
		loc := med.post("/tournees", url.Values{"zone_id": {ivID(z.ID)}, "date": {"2026-03-10"}, "time": {"09:00"},
			"members": {ivID(a.st.Mediator.ID), ivID(a.st.Coordinator.ID)}}).wantStatus(http.StatusSeeOther).header.Get("Location")
		for range 3 {
			med.post(loc+"/counters", url.Values{"counter": {"orientations"}, "delta": {"1"}}).wantStatus(http.StatusSeeOther)
		}
		r := med.get("/journal?day=2026-03-10&mediator=" + ivID(a.st.Mediator.ID)).wantStatus(http.StatusOK)
		row := r.text("#journal-tournees ~ .table-wrap tbody tr, #journal-tournees + .table-wrap tbody tr")
		if !strings.Contains(row, "Villeurbanne – Les Buers") || !strings.Contains(row, "Orientations : 3") || !strings.Contains(row, "en cours") {
			t.Errorf("journal row: %q", row)
		}
		if href, _ := r.find(`#journal-tournees + .table-wrap a`).Attr("href"); href != loc {
			t.Errorf("journal links to %q, want %q", href, loc)
		}
		if !strings.Contains(r.text("#journal-totals + .cards"), "Orientations : 3") {
			t.Errorf("totals: %q", r.text("#journal-totals + .cards"))
		}
		// Another day: none.
		r = med.get("/journal?day=2026-03-09&mediator=" + ivID(a.st.Mediator.ID)).wantStatus(http.StatusOK)
		if !strings.Contains(r.text("main"), "Aucune tournée ce jour-là.") {
			t.Errorf("a day without tournées: %q", r.text("#journal-tournees"))
		}
	})
}
