package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"maillon"
	"maillon/internal/storetest"
)

// agMust creates an event as u, directly in the store.
func agMust(t testing.TB, a *app, u *maillon.User, in maillon.AgendaInput) *maillon.AgendaEvent {
	t.Helper()
	e, err := a.db.CreateAgendaEvent(bg, actorOf(u), in)
	if err != nil {
		t.Fatalf("create agenda event: %v", err)
	}
	return e
}

func agInput(kind string, at time.Time, minutes int, mediators ...maillon.UserID) maillon.AgendaInput {
	p := maillon.InParis(at)
	return maillon.AgendaInput{Kind: kind, Date: p.Format("2006-01-02"), Time: p.Format("15:04"),
		EndTime: p.Add(time.Duration(minutes) * time.Minute).Format("15:04"), Mediators: mediators,
		Purpose: "Dossier de retraite", Documents: "Pièce d'identité, RIB", PlaceLabel: "Maison de quartier, 3 rue Haute"}
}

// newAzAgendaFixtures adds a rendez-vous of a.st's mediator with a
// person, started an hour ago, and an iCal feed of another mediator.
func newAzAgendaFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	in := agInput(maillon.AgendaRendezVous, fx.a.db.Clock.Now().Add(-time.Hour), 45, fx.a.st.Mediator.ID)
	in.PersonID, in.TeamID, in.Purpose = maillon.PersonID(fx.person), maillon.TeamID(fx.team), "Objet Marqueur"
	fx.agendaEvent = int64(agMust(t, fx.a, fx.a.st.Admin, in).ID)
	tok, err := fx.a.db.CreateAgendaFeed(context.Background(), storetest.Actor(storeUser(t, fx)))
	if err != nil {
		t.Fatal(err)
	}
	fx.feedToken = tok
	fx.markers = append(fx.markers, "Objet Marqueur")
}

// storeUser is the fixture's extra mediator of a.st.
func storeUser(t *testing.T, fx *azFixtures) *maillon.User {
	u, err := fx.a.db.FindUserByID(context.Background(), fx.admin, maillon.UserID(fx.user))
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// azAgendaID returns the shared rendez-vous or, for the cancellation of a
// session, a fresh weekly permanence starting tomorrow.
func (fx *azFixtures) azAgendaID(key string, fresh bool) int64 {
	if !fresh {
		return fx.agendaEvent
	}
	in := agInput(maillon.AgendaPermanence, fx.a.db.Clock.Now().Add(24*time.Hour), 120, fx.a.st.Mediator.ID)
	in.RepeatUntil = maillon.InParis(fx.a.db.Clock.Now().AddDate(0, 1, 0)).Format("2006-01-02")
	in.TeamID = maillon.TeamID(fx.team)
	return int64(agMust(fx.t, fx.a, fx.a.st.Admin, in).ID)
}

func (fx *azFixtures) azAgendaForm(key string) url.Values {
	tomorrow := maillon.InParis(fx.a.db.Clock.Now().Add(24 * time.Hour)).Format("2006-01-02")
	switch key {
	case "POST /agenda":
		return url.Values{"kind": {"reunion"}, "date": {tomorrow}, "time": {"10:00"}, "end_time": {"11:00"},
			"mediators": {strconv.FormatInt(int64(fx.a.st.Mediator.ID), 10)}, "purpose": {"Réunion avec le bailleur"}}
	case "POST /agenda/{id}/attendance":
		return url.Values{"attendance": {"venu"}}
	case "POST /agenda/{id}/cancel":
		return url.Values{"day": {tomorrow}}
	case "POST /agenda/{id}/edit":
		until := maillon.InParis(fx.a.db.Clock.Now().AddDate(0, 1, 0)).Format("2006-01-02")
		return url.Values{"kind": {"permanence"}, "date": {tomorrow}, "time": {"14:00"}, "end_time": {"16:00"}, "repeat_until": {until},
			"mediators": {strconv.FormatInt(int64(fx.a.st.Mediator.ID), 10)}, "purpose": {"Permanence déplacée"}}
	}
	return url.Values{}
}

// azAgendaState describes the agenda of a.st's teams around now.
func azAgendaState(t testing.TB, db *storetest.DB, op maillon.Actor, teams []maillon.Team) string {
	t.Helper()
	from := maillon.WeekStart(db.Clock.Now())
	var out []string
	for _, tm := range teams {
		ag, err := db.FindAgenda(context.Background(), op, maillon.AgendaQuery{TeamID: tm.ID, From: from, To: from.AddDate(0, 0, 14)})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ag.Occurrences {
			out = append(out, strconv.FormatInt(int64(o.Event.ID), 10)+":"+o.StartAt.String()+":"+o.Event.Attendance)
		}
	}
	return strings.Join(out, ",")
}

func TestAgendaViews(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		now := a.db.Clock.Now() // Tuesday 10 March 2026, 10:30 in Paris
		team, err := a.db.CreateTeam(bg, actorOf(a.st.Admin), maillon.TeamInput{Name: "Équipe Nord"})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*maillon.User{a.st.Mediator, a.st.Coordinator} {
			if err := a.db.UpdateUser(bg, actorOf(a.st.Admin), u.ID, maillon.UserUpdate{TeamID: &team.ID}); err != nil {
				t.Fatal(err)
			}
		}
		a.st.Mediator.TeamID = team.ID
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Diallo"))
		in := agInput(maillon.AgendaRendezVous, now.Add(28*time.Hour), 45, a.st.Mediator.ID)
		in.PersonID = p.ID
		rdv := agMust(t, a, a.st.Mediator, in)
		perm := agInput(maillon.AgendaPermanence, time.Date(2026, 3, 2, 9, 0, 0, 0, maillon.Paris), 180, a.st.Coordinator.ID)
		perm.RepeatUntil, perm.Purpose = "2026-06-29", "Permanence d'accès aux droits"
		agMust(t, a, a.st.Coordinator, perm)

		med := a.login(a.st.Mediator)
		r := med.get("/agenda").wantStatus(http.StatusOK)
		checkA11y(t, "agenda week", r)
		r.wantContains("h1", "Agenda", "Semaine du 9 mars 2026 au 15 mars 2026")
		r.wantContains("main", "mercredi 11 mars 2026", "14 h 30", "Dossier de retraite", "Awa Diallo")
		if strings.Contains(r.text("main"), "Permanence d'accès") {
			t.Error("the mediator's week shows a colleague's permanence")
		}
		if href, _ := r.find(`a[rel="next"]`).Attr("href"); href != "/agenda?semaine=2026-03-16" {
			t.Errorf("next week link %q", href)
		}
		// The team view shows the colleague's permanence, with who.
		r = med.get("/agenda?voir=e" + strconv.FormatInt(int64(team.ID), 10)).wantStatus(http.StatusOK)
		r.wantContains("main", "Permanence d'accès aux droits", "Dossier de retraite")
		// The day view of Easter Monday: no permanence on a holiday.
		r = med.get("/agenda?voir=e" + strconv.FormatInt(int64(team.ID), 10) + "&jour=2026-04-06").wantStatus(http.StatusOK)
		r.wantContains("h2", "lundi 6 avril 2026", "jour férié")
		checkA11y(t, "agenda day of a team", r)
		if strings.Contains(r.text("main"), "Permanence d'accès") {
			t.Error("a permanence is shown on Easter Monday")
		}
		if href, _ := r.find(`a[rel="prev"]`).Attr("href"); !strings.Contains(href, "jour=2026-04-05") || !strings.Contains(href, "voir=e") {
			t.Errorf("previous day link %q", href)
		}
		// A mediator cannot open a colleague's agenda; the coordination can.
		med.get("/agenda?voir=m" + strconv.FormatInt(int64(a.st.Coordinator.ID), 10)).wantStatus(http.StatusForbidden)
		coord := a.login(a.st.Coordinator)
		coord.get("/agenda?voir=m"+strconv.FormatInt(int64(a.st.Mediator.ID), 10)).wantStatus(http.StatusOK).
			wantContains("main", "Dossier de retraite")
		// Bad parameters: a French message, never a 500.
		r = med.get("/agenda?date=2026-02-31&voir=x1").wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("date", "jj/mm/aaaa")
		r.wantFieldError("voir", "Choisissez")
		checkA11y(t, "agenda filter in error", r)
		a.client().get("/agenda").wantStatus(http.StatusSeeOther)

		// The person's page lists the appointment.
		med.get("/people/"+strconv.FormatInt(int64(p.ID), 10)).wantStatus(http.StatusOK).
			wantContains("#appointments + ul, section[aria-labelledby=appointments]", "Dossier de retraite")
		_ = rdv
	})
}

func TestAgendaCreateAndAttendance(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		med := a.login(a.st.Mediator)
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Diallo"))
		checkA11y(t, "agenda form", med.get("/agenda/new?person="+strconv.FormatInt(int64(p.ID), 10)).wantStatus(http.StatusOK).
			wantContains("h1", "Nouveau rendez-vous"))
		// Errors: every field keeps its value, the summary lists them.
		bad := url.Values{"kind": {"rendez_vous"}, "person_id": {strconv.FormatInt(int64(p.ID), 10)}, "shown_for": {strconv.FormatInt(int64(p.ID), 10)},
			"date": {"2026-03-12"}, "time": {"15:00"}, "end_time": {"14:00"}, "purpose": {""}, "documents": {"RIB <b>"},
			"place": {"z999"}, "repeat_until": {"2026-04-01"}}
		r := med.post("/agenda", bad).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("end_time", "suivre")
		r.wantFieldError("purpose", "Indiquez")
		r.wantFieldError("mediators", "au moins")
		r.wantFieldError("place", "territoire")
		r.wantFieldError("repeat_until", "permanence")
		checkA11y(t, "agenda form in error", r)
		if v, _ := r.find(`#f-documents`).Attr("value"); v != "RIB <b>" {
			t.Errorf("documents not kept: %q", v)
		}
		good := url.Values{"kind": {"rendez_vous"}, "person_id": {strconv.FormatInt(int64(p.ID), 10)}, "date": {"2026-03-12"},
			"time": {"14:30"}, "end_time": {"15:15"}, "purpose": {"Dossier de retraite"}, "documents": {"Avis d'imposition"},
			"place_label": {"Maison de quartier, 3 rue Haute"}, "theme": {"droits_sociaux"},
			"mediators": {strconv.FormatInt(int64(a.st.Mediator.ID), 10)}}
		r = med.post("/agenda", good).wantStatus(http.StatusSeeOther)
		loc := r.header.Get("Location")
		show := med.get(loc).wantStatus(http.StatusOK)
		show.wantContains("main", "jeudi 12 mars 2026", "Awa Diallo", "Avis d'imposition")
		checkA11y(t, "appointment", show)
		// Before the time, only the cancellation is offered and accepted.
		if show.find(`input[name="attendance"][value="venu"]`).Length() != 0 {
			t.Error("presence offered before the time")
		}
		r = med.post(loc+"/attendance", url.Values{"attendance": {"venu"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("attendance", "heure")
		checkA11y(t, "attendance in error", r)
		a.db.Clock.Advance(3 * 24 * time.Hour)
		med = a.login(a.st.Mediator) // the session expired meanwhile
		med.post(loc+"/attendance", url.Values{"attendance": {"absent"}}).wantStatus(http.StatusSeeOther)
		med.get(loc).wantContains("main", "Absent(e)")
		med.post(loc+"/attendance", url.Values{"attendance": {"peut-être"}}).wantStatus(http.StatusUnprocessableEntity).
			wantFieldError("attendance", "Choisissez")

		// The card: plain words, the date in words, what to bring, the
		// structure's phone, no internal data.
		card := med.get(loc + "/card").wantStatus(http.StatusOK)
		card.wantContains("main", "Votre rendez-vous", "jeudi 12 mars 2026 à 14 h 30", "Avis d'imposition", "Maison de quartier")
		checkA11y(t, "appointment card", card)
		if strings.Contains(card.text("main"), "Absent") {
			t.Error("the card shows the attendance")
		}

		// A weekly permanence: cancel one session.
		perm := url.Values{"kind": {"permanence"}, "date": {"2026-03-16"}, "time": {"09:00"}, "end_time": {"12:00"},
			"repeat_until": {"2026-05-25"}, "purpose": {"Permanence d'accès aux droits"},
			"mediators": {strconv.FormatInt(int64(a.st.Mediator.ID), 10)}}
		ploc := med.post("/agenda", perm).wantStatus(http.StatusSeeOther).header.Get("Location")
		pr := med.get(ploc).wantStatus(http.StatusOK)
		pr.wantContains("main", "Chaque lundi")
		checkA11y(t, "permanence", pr)
		if pr.find(`#f-day option[value="2026-03-23"]`).Length() != 1 {
			t.Errorf("the next sessions are not offered: %s", pr.text("#f-day"))
		}
		r = med.post(ploc+"/cancel", url.Values{"day": {"2026-03-24"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("day", "séance")
		checkA11y(t, "cancel a session in error", r)
		med.post(ploc+"/cancel", url.Values{"day": {"2026-03-23"}}).wantStatus(http.StatusSeeOther)
		med.get(ploc).wantContains("main", "23 mars 2026")
		med.post(ploc+"/attendance", url.Values{"attendance": {"annule"}}).wantStatus(http.StatusUnprocessableEntity)

		// Another mediator may read but not change.
		other := a.login(storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur))
		other.get(loc).wantStatus(http.StatusOK)
		other.post(loc+"/attendance", url.Values{"attendance": {"venu"}}).wantStatus(http.StatusForbidden)
	})
}

// icalParse decodes an iCalendar body with a real parser, re-encodes it
// (the encoder checks the required properties of each component), and
// checks the line rules of RFC 5545 §3.1 the parser tolerates.
func icalParse(t *testing.T, body string) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(strings.NewReader(body)).Decode()
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		t.Fatalf("re-encode: %v", err)
	}
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("the body does not end with CRLF")
	}
	for _, l := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets: %q", len(l), l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("bare line break in %q", l)
		}
	}
	return cal
}

func TestAgendaICal(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		p := ppPerson(t, a, a.st.Mediator, ppInput("Awa", "Diallo-Nomcomplet"))
		in := agInput(maillon.AgendaRendezVous, time.Date(2026, 3, 12, 14, 30, 0, 0, maillon.Paris), 45, a.st.Mediator.ID)
		in.PersonID, in.Theme = p.ID, "logement"
		in.Purpose = "Dossier; logement, urgent\\ et très long objet qui dépasse largement soixante-quinze octets à coup sûr"
		rdv := agMust(t, a, a.st.Mediator, in)
		perm := agInput(maillon.AgendaPermanence, time.Date(2026, 3, 2, 9, 0, 0, 0, maillon.Paris), 180, a.st.Mediator.ID)
		perm.RepeatUntil, perm.Purpose = "2026-04-13", "Permanence à l'Espace Éphémère, accès aux droits"
		perm.PlaceLabel = "Espace Éphémère, 1 place Publique"
		pe := agMust(t, a, a.st.Mediator, perm)
		if err := a.db.CancelOccurrence(bg, actorOf(a.st.Mediator), pe.ID, "2026-03-16"); err != nil {
			t.Fatal(err)
		}

		med := a.login(a.st.Mediator)
		r := med.get("/agenda/" + strconv.FormatInt(int64(rdv.ID), 10) + "/export.ics").wantStatus(http.StatusOK)
		if ct := r.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("content type %q", ct)
		}
		cal := icalParse(t, r.body)
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events", len(evs))
		}
		start, err := evs[0].DateTimeStart(nil)
		if err != nil || !start.Equal(rdv.StartAt) {
			t.Errorf("DTSTART %v %v, want %v", start, err, rdv.StartAt)
		}
		summary, _ := evs[0].Props.Text(ical.PropSummary)
		if summary != "Rendez-vous A. D. – Logement" {
			t.Errorf("summary %q", summary)
		}
		if uid, _ := evs[0].Props.Text(ical.PropUID); !strings.HasPrefix(uid, "agenda-"+strconv.FormatInt(int64(rdv.ID), 10)+"@") {
			t.Errorf("uid %q", uid)
		}

		// The feed: created from the agenda page, shown once, public.
		page := med.post("/agenda/feed", url.Values{}).wantStatus(http.StatusOK)
		link, _ := page.find("#feed-link").Attr("value")
		checkA11y(t, "agenda with its new feed link", page)
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/ical/") || !strings.HasSuffix(u.Path, ".ics") {
			t.Fatalf("feed link %q", link)
		}
		if med.get("/agenda").find("#feed-link").Length() != 0 {
			t.Error("the feed link is shown again")
		}
		anon := a.client()
		f := anon.get(u.Path).wantStatus(http.StatusOK)
		if strings.Contains(f.body, "Diallo") || strings.Contains(f.body, "Awa") || strings.Contains(f.body, "3 rue Haute") {
			t.Errorf("the feed names the person or their place:\n%s", f.body)
		}
		if strings.Contains(a.logs.String(), strings.TrimSuffix(strings.TrimPrefix(u.Path, "/ical/"), ".ics")) {
			t.Error("the feed token is in the logs")
		}
		cal = icalParse(t, f.body)
		evs = cal.Events()
		if len(evs) != 2 {
			t.Fatalf("%d events in the feed", len(evs))
		}
		var weekly *ical.Event
		for i := range evs {
			if evs[i].Props.Get(ical.PropRecurrenceRule) != nil {
				weekly = &evs[i]
			}
		}
		if weekly == nil {
			t.Fatal("no RRULE in the feed")
		}
		set, err := weekly.RecurrenceSet(maillon.Paris)
		if err != nil {
			t.Fatal(err)
		}
		var days []string
		for _, d := range set.All() {
			days = append(days, d.In(maillon.Paris).Format("01-02 15:04"))
		}
		// 2 March to 13 April, without the cancelled 16 March and Easter
		// Monday (6 April); 9:00 across the change to summer time.
		if got := strings.Join(days, ","); got != "03-02 09:00,03-09 09:00,03-23 09:00,03-30 09:00,04-13 09:00" {
			t.Errorf("occurrences %s", got)
		}
		anon.get("/ical/" + strings.Repeat("a", 43) + ".ics").wantStatus(http.StatusNotFound)
		anon.get(strings.TrimSuffix(u.Path, ".ics")).wantStatus(http.StatusNotFound)

		// Revoked: the address answers nothing any more.
		med.post("/agenda/feed/revoke", url.Values{}).wantStatus(http.StatusSeeOther)
		anon.get(u.Path).wantStatus(http.StatusNotFound)
		med.post("/agenda/feed/revoke", url.Values{}).wantStatus(http.StatusUnprocessableEntity).
			wantContains("main", "pas de lien")
	})
}
