package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
)

func mdID[T ~int64](id T) string { return strconv.FormatInt(int64(id), 10) }

// mdMust opens a conflict between person pid and a described neighbour;
// consenting records both parties' consent to take part.
func mdMust(t testing.TB, a *app, u *maillon.User, pid maillon.PersonID, subject string, consenting bool) *maillon.Mediation {
	t.Helper()
	in := maillon.MediationInput{Kind: maillon.MediationConflit, Topic: "voisinage", Subject: subject, Origin: "bailleur",
		Notes: "Note interne Marqueur", Parties: []maillon.PartyInput{
			{Kind: maillon.PartyPerson, PersonID: pid, Consent: consenting, ConsentMethod: "oral"},
			{Kind: maillon.PartyDescribed, Label: "Voisin Marqueur du 3e", Consent: consenting, ConsentMethod: "oral"},
		}}
	m, err := a.db.CreateMediation(bg, actorOf(u), in)
	if err != nil {
		t.Fatalf("create mediation: %v", err)
	}
	return m
}

// mdClosed is a closed agreement with a follow-up due.
func mdClosed(t testing.TB, a *app, u *maillon.User, pid maillon.PersonID) *maillon.Mediation {
	t.Helper()
	m := mdMust(t, a, u, pid, "Accord Marqueur", true)
	for _, p := range m.Parties {
		if err := a.db.AddCommitment(bg, actorOf(u), m.ID, maillon.CommitmentInput{PartyID: p.ID, Text: "Engagement Marqueur de " + p.Name()}); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.db.SetMediationStatus(bg, actorOf(u), m.ID, maillon.MediationStatusInput{Status: maillon.MediationCloturee,
		Outcome: "accord", FollowUpOn: "2026-04-10"}); err != nil {
		t.Fatal(err)
	}
	return m
}

// newAzMediationFixtures adds a case of a.st opened by its mediator and a
// closed one whose follow-up is due.
func newAzMediationFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	m := mdMust(t, fx.a, fx.a.st.Mediator, maillon.PersonID(fx.ivPerson), "Objet Marqueur de médiation", true)
	fx.mediation, fx.mediationParty = int64(m.ID), int64(m.Parties[1].ID)
	fx.mediationClosed = int64(mdClosed(t, fx.a, fx.a.st.Mediator, maillon.PersonID(fx.ivPerson)).ID)
	fx.markers = append(fx.markers, "Objet Marqueur de médiation", "Voisin Marqueur", "Note interne Marqueur", "Engagement Marqueur")
}

// azMediationID returns the case for the {id} of a route.
func (fx *azFixtures) azMediationID(key string, fresh bool) int64 {
	switch {
	case strings.HasSuffix(key, "/followup"):
		return fx.mediationClosed
	case fresh:
		return int64(mdMust(fx.t, fx.a, fx.a.st.Mediator, maillon.PersonID(fx.ivPerson), "Médiation fraîche", true).ID)
	}
	return fx.mediation
}

// azMediationForm is a valid form for a /mediations route.
func (fx *azFixtures) azMediationForm(key string) url.Values {
	party := strconv.FormatInt(fx.mediationParty, 10)
	switch key {
	case "POST /mediations":
		return url.Values{"kind": {"conflit"}, "topic": {"voisinage"}, "subject": {"Bruit"}, "origin": {"habitant"},
			"party1_kind": {"personne"}, "party1_person_id": {strconv.FormatInt(fx.ivPerson, 10)},
			"party2_kind": {"decrite"}, "party2_label": {"Voisine du 1er"}}
	case "POST /mediations/{id}/status":
		return url.Values{"status": {"en_cours"}}
	case "POST /mediations/{id}/parties":
		return url.Values{"party_kind": {"groupe"}, "party_label": {"Jeunes du square"}}
	case "POST /mediations/{id}/consent":
		return url.Values{"party_id": {party}, "consent" + party + "_method": {"ecrit"}}
	case "POST /mediations/{id}/steps":
		return url.Values{"step_kind": {"navette"}, "intervention_id": {strconv.FormatInt(fx.intervention, 10)}}
	case "POST /mediations/{id}/commitments":
		return url.Values{"commitment_party_id": {party}, "commitment_text": {"Saluer les voisins"}}
	case "POST /mediations/{id}/followup":
		return url.Values{"result": {"tenu"}}
	}
	return url.Values{}
}

func TestMediationFlow(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		awa := ivMustPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Mediators: []maillon.UserID{a.st.Mediator.ID},
			Persons: []maillon.PersonID{awa.ID}, Registre: "conflit"})

		// From the person's file, the person is the first party.
		file := c.get(idPath("/people", int64(awa.ID), "")).wantStatus(http.StatusOK)
		if file.find(`a[href="/mediations/new?person=`+mdID(awa.ID)+`"]`).Length() != 1 {
			t.Fatal("no « Ouvrir une médiation » link on the file")
		}
		r := c.get("/mediations/new?person=" + mdID(awa.ID)).wantStatus(http.StatusOK)
		checkA11y(t, "new mediation", r)
		if v, _ := r.find(`#f-party1-person-id option[selected]`).Attr("value"); v != mdID(awa.ID) {
			t.Errorf("person not preselected: %q", v)
		}
		// Bad input: a conflict with one party, nothing lost.
		form := url.Values{"kind": {"conflit"}, "topic": {"voisinage"}, "subject": {"Bruit dans l'escalier B"},
			"origin": {"bailleur"}, "origin_on": {"2026-03-02"}, "party1_kind": {"personne"}, "party1_person_id": {mdID(awa.ID)},
			"party1_consent": {"on"}, "party1_consent_method": {"oral"}, "notes": {"Interne : ne pas imprimer"}}
		r = c.post("/mediations", form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "new mediation in error", r)
		r.wantFieldError("party2_kind", "deux parties")
		if v, _ := r.find(`#f-subject`).Attr("value"); v != "Bruit dans l'escalier B" {
			t.Errorf("subject lost on error: %q", v)
		}
		form.Set("party2_kind", "decrite")
		form.Set("party2_label", "Voisin du 3e")
		r = c.post("/mediations", form)
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/mediations/") {
			t.Fatalf("create: %d %q: %s", r.status, loc, r.text("main"))
		}
		show := c.get(loc).wantStatus(http.StatusOK)
		checkA11y(t, "mediation page", show)
		show.wantContains("main", "Bruit dans l'escalier B", "Awa Diallo", "Voisin du 3e", "Ouverte", "Le bailleur")

		// Invalid transition: not without the neighbour's consent.
		r = c.post(loc+"/status", url.Values{"status": {"en_cours"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "mediation start refused", r)
		r.wantContains(".notice--error", "deux parties")
		m, err := a.db.FindMediationByID(bg, actorOf(a.st.Mediator), maillon.MediationID(mustAtoi(t, strings.TrimPrefix(loc, "/mediations/"))))
		if err != nil {
			t.Fatal(err)
		}
		neighbour := mdID(m.Parties[1].ID)
		r = c.post(loc+"/consent", url.Values{"party_id": {neighbour}, "consent" + neighbour + "_method": {"radio"}}).
			wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "party consent in error", r)
		r.wantFieldError("consent"+neighbour+"_method", "oral")
		c.post(loc+"/consent", url.Values{"party_id": {neighbour}, "consent" + neighbour + "_method": {"oral"}}).wantRedirect(loc)
		c.post(loc+"/status", url.Values{"status": {"en_cours"}}).wantRedirect(loc)

		// Steps, parties and commitments, with their error states.
		r = c.post(loc+"/steps", url.Values{"step_kind": {"entretien"}, "intervention_id": {""}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "step in error", r)
		r.wantFieldError("intervention_id", "intervention")
		r.wantFieldError("party_id", "partie")
		if r.find(`#f-intervention-id option[value="`+mdID(iv.ID)+`"]`).Length() != 1 {
			t.Error("the mediator's recent intervention is not offered")
		}
		if r.find(`a[href="/interventions/new?person=`+mdID(awa.ID)+`"]`).Length() != 1 {
			t.Error("no link to record the step's intervention with the identified party")
		}
		c.post(loc+"/steps", url.Values{"step_kind": {"entretien"}, "intervention_id": {mdID(iv.ID)}, "party_id": {mdID(m.Parties[0].ID)}}).wantRedirect(loc)
		r = c.post(loc+"/parties", url.Values{"party_kind": {"decrite"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "party in error", r)
		r.wantFieldError("party_label", "Nommez")
		c.post(loc+"/parties", url.Values{"party_kind": {"groupe"}, "party_label": {"Les jeunes du hall"}}).wantRedirect(loc)
		r = c.post(loc+"/commitments", url.Values{"commitment_party_id": {neighbour}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "commitment in error", r)
		r.wantFieldError("commitment_text", "engagement")
		c.post(loc+"/commitments", url.Values{"commitment_party_id": {neighbour}, "commitment_text": {"Baisser la musique après 22 h"}}).wantRedirect(loc)
		c.post(loc+"/commitments", url.Values{"commitment_party_id": {mdID(m.Parties[0].ID)}, "commitment_text": {"Prévenir avant une fête"}}).wantRedirect(loc)

		// Closing without an outcome.
		r = c.post(loc+"/status", url.Values{"status": {"cloturee"}, "follow_up_on": {"2026-04-10"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "closing in error", r)
		r.wantFieldError("outcome", "issue")
		if v, _ := r.find(`#f-follow-up-on`).Attr("value"); v != "2026-04-10" {
			t.Errorf("follow-up date lost: %q", v)
		}
		c.post(loc+"/status", url.Values{"status": {"cloturee"}, "outcome": {"accord"}, "follow_up_on": {"2026-04-10"}}).wantRedirect(loc)
		r = c.post(loc+"/status", url.Values{"status": {"en_cours"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantContains(".notice--error", "clôturée")

		// The agreement shows the commitments, not the internal notes, nor
		// the party who committed to nothing.
		agr := c.get(loc + "/agreement").wantStatus(http.StatusOK)
		checkA11y(t, "agreement", agr)
		agr.wantContains("main", "Accord de médiation", "Voisin du 3e", "Baisser la musique après 22 h", "Awa Diallo", "Prévenir avant une fête")
		for _, hidden := range []string{"Interne : ne pas imprimer", "Les jeunes du hall", "Bruit dans l'escalier B"} {
			if strings.Contains(agr.text("main"), hidden) {
				t.Errorf("the agreement shows %q", hidden)
			}
		}

		// The follow-up is among the mediator's, then recorded.
		a.db.Clock.Advance(40 * 24 * time.Hour)
		c = a.login(a.st.Mediator) // the session expired meanwhile
		fu := c.get("/followups").wantStatus(http.StatusOK).wantContains("main", "accord de médiation")
		if fu.find(`a[href="`+loc+`#statut"]`).Length() != 1 || fu.find(`form[action="/interventions/0/followup"]`).Length() != 0 {
			t.Errorf("the mediation's follow-up does not lead to its page: %s", fu.text("main"))
		}
		r = c.post(loc+"/followup", url.Values{}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "follow-up in error", r)
		r.wantFieldError("result", "accord")
		c.post(loc+"/followup", url.Values{"result": {"tenu"}}).wantRedirect(loc)
		c.get(loc).wantStatus(http.StatusOK).wantContains("main", "L'accord tient")

		// The person's timeline names the case.
		c.get(idPath("/people", int64(awa.ID), "")).wantContains("main", "Médiation : Voisinage")

		// The list and its filters.
		list := c.get("/mediations").wantStatus(http.StatusOK)
		checkA11y(t, "mediations list", list)
		list.wantContains("main table", "Bruit dans l'escalier B")
		c.get("/mediations?kind=institution").wantStatus(http.StatusOK).wantContains("main", "Aucune médiation")
		c.get("/mediations?status=cloturee&age=moins_1m&kind=conflit").wantStatus(http.StatusOK)
		r = c.get("/mediations?status=perdue&age=jamais").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "mediations filter in error", r)
		r.wantFieldError("status", "statut")
		r.wantFieldError("age", "ancienneté")
	})
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMediationRelaisAndTeams(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		// Outside mediation: the relais is recorded and the case closed.
		form := url.Values{"kind": {"institution"}, "topic": {"caf_indu"}, "subject": {"Menaces au guichet"},
			"origin": {"partenaire"}, "scope_issues": {"danger"}}
		r := c.post("/mediations", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("relay_target", "relais")
		r.wantFieldError("relay_reason", "raison")
		form.Set("relay_target", "travailleur_social")
		form.Set("relay_reason", "Situation de danger signalée")
		r = c.post("/mediations", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("relais: %d %s", r.status, r.text("main"))
		}
		c.get(r.header.Get("Location")).wantFlash("relais").wantContains("main", "Clôturée", "Travailleur social")

		// A mediator of another team does not see the case.
		other := a.login(mustTeamMediator(t, a))
		other.get(r.header.Get("Location")).wantStatus(http.StatusNotFound)
		other.get("/mediations").wantStatus(http.StatusOK).wantContains("main", "Aucune médiation")
		a.login(a.st.Coordinator).get("/mediations").wantStatus(http.StatusOK).wantContains("main table", "Menaces au guichet")
	})
}

// mustTeamMediator creates a mediator of a new team of a.st.
func mustTeamMediator(t *testing.T, a *app) *maillon.User {
	t.Helper()
	admin := actorOf(a.st.Admin)
	tm, err := a.db.CreateTeam(bg, admin, maillon.TeamInput{Name: "Équipe Sud"})
	if err != nil {
		t.Fatal(err)
	}
	u, err := a.db.CreateUser(bg, maillon.OperatorActor(), a.st.ID, maillon.UserInput{Email: "sud@exemple.fr",
		DisplayName: "Médiatrice Sud", Role: maillon.RoleMediateur, Password: "un mot de passe de test"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.UpdateUser(bg, admin, u.ID, maillon.UserUpdate{TeamID: &tm.ID}); err != nil {
		t.Fatal(err)
	}
	u.TeamID = tm.ID
	return u
}
