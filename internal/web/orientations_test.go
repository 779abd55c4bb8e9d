package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"maillon"
	"maillon/internal/storetest"
)

// orSharingPerson creates a person of u's structure with the "partage"
// consent and contact details.
func orSharingPerson(t testing.TB, a *app, u *maillon.User, first, last string) *maillon.Person {
	t.Helper()
	in := ppInput(first, last)
	in.Phone, in.Email = "06 11 22 33 44", "awa@exemple.fr"
	p := ppPerson(t, a, u, in)
	if err := a.db.AddConsent(bg, actorOf(u), p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
		t.Fatal(err)
	}
	return p
}

func orMust(t testing.TB, a *app, u *maillon.User, pid maillon.PersonID, partner string, items ...string) *maillon.Orientation {
	t.Helper()
	in := maillon.OrientationInput{PersonID: pid, PartnerName: partner, Reason: "Ouverture des droits", Mode: "mediation",
		SharedItems: items, ExpectedOn: "2026-03-20"}
	for _, it := range items {
		if it == "situation" {
			in.SharedText = "Situation résumée pour le partenaire."
		}
	}
	o, err := a.db.CreateOrientation(bg, actorOf(u), in)
	if err != nil {
		t.Fatalf("create orientation: %v", err)
	}
	return o
}

func orLink(t testing.TB, a *app, u *maillon.User, id maillon.OrientationID) string {
	t.Helper()
	tok, err := a.db.CreatePartnerLink(bg, actorOf(u), id, 30)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// partnerForm opens the partner's page with a fresh anonymous client and
// returns a valid answer carrying the page's form token.
func partnerForm(a *app, token, answer string) url.Values {
	a.t.Helper()
	r := a.client().get("/p/o/" + token)
	ft, ok := r.find(`input[name="form_token"]`).Attr("value")
	if !ok {
		a.t.Fatalf("no form token on the partner page (status %d): %.300s", r.status, r.text("main"))
	}
	return url.Values{"form_token": {ft}, "answer": {answer}}
}

// newAzOrientationFixtures adds an orientation of a.st made by its
// mediator for a person who agreed to share, with an open partner link.
func newAzOrientationFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	p := orSharingPerson(t, fx.a, fx.a.st.Admin, "Inès", "Marqueur-Orientee")
	fx.orPerson = int64(p.ID)
	o := orMust(t, fx.a, fx.a.st.Mediator, p.ID, "Partenaire Marqueur", "identite")
	fx.orientation = int64(o.ID)
	fx.partnerToken = orLink(t, fx.a, fx.a.st.Mediator, o.ID)
	fx.markers = append(fx.markers, "Marqueur-Orientee", "Partenaire Marqueur")
}

// azOrientationID returns the orientation for the {id} of a route: the
// shared one, or a fresh one (with an open link to revoke).
func (fx *azFixtures) azOrientationID(key string, fresh bool) int64 {
	if !fresh {
		return fx.orientation
	}
	o := orMust(fx.t, fx.a, fx.a.st.Mediator, maillon.PersonID(fx.orPerson), "Partenaire frais", "identite")
	if strings.HasSuffix(key, "/revoke") {
		orLink(fx.t, fx.a, fx.a.st.Mediator, o.ID)
	}
	return int64(o.ID)
}

// azToken returns the token of the partner routes: the shared link, or a
// fresh one for answering.
func (fx *azFixtures) azToken(key string) string {
	if strings.Contains(key, "/q/") {
		return fx.actToken() // collective actions' questionnaire
	}
	if !strings.HasPrefix(key, "POST") {
		return fx.partnerToken
	}
	fx.known = ""
	o := orMust(fx.t, fx.a, fx.a.st.Mediator, maillon.PersonID(fx.orPerson), "Partenaire frais", "identite")
	fx.lastToken = orLink(fx.t, fx.a, fx.a.st.Mediator, o.ID)
	return fx.lastToken
}

// azOrientationForm is a valid form for an /orientations route.
func (fx *azFixtures) azOrientationForm(key string) url.Values {
	switch key {
	case "POST /orientations":
		return url.Values{"person_id": {strconv.FormatInt(fx.orPerson, 10)}, "partner_name": {"CAF"}, "reason": {"Droits"},
			"mode": {"personne"}, "shared_items": {"identite"}, "expected_on": {"2026-03-20"}}
	case "POST /orientations/{id}/status":
		return url.Values{"status": {"transmise"}}
	case "POST /orientations/{id}/link":
		return url.Values{"days": {"30"}}
	case "POST /p/o/{token}":
		if fx.lastToken == "" {
			// The malformed-input test posts to the pattern itself.
			return url.Values{"answer": {"prise_en_charge"}}
		}
		return partnerForm(fx.a, fx.lastToken, "prise_en_charge")
	}
	return url.Values{}
}

func TestOrientationCreateAndConsentGate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		sharing := orSharingPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		silent := ppPerson(t, a, a.st.Mediator, ppInput("Paul", "Sansaccord"))

		// From the file of a person who agreed: the person is chosen.
		r := c.get(idPath("/people", int64(sharing.ID), "")).wantStatus(http.StatusOK)
		if r.find(`a[href="/orientations/new?person=`+strconv.FormatInt(int64(sharing.ID), 10)+`"]`).Length() != 1 {
			t.Fatal("no « Orienter » link on the file")
		}
		r = c.get("/orientations/new?person=" + strconv.FormatInt(int64(sharing.ID), 10)).wantStatus(http.StatusOK)
		checkA11y(t, "new orientation", r)
		if v, _ := r.find(`input[name="person_id"][checked]`).Attr("value"); v != strconv.FormatInt(int64(sharing.ID), 10) {
			t.Errorf("person not preselected: %q", v)
		}
		// Errors: every field at once, the form kept.
		r = c.post("/orientations", url.Values{"person_id": {strconv.FormatInt(int64(sharing.ID), 10)}, "shown_for": {strconv.FormatInt(int64(sharing.ID), 10)},
			"shared_items": {"situation"}, "expected_on": {"2026-03-01"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "new orientation in error", r)
		r.wantFieldError("partner_name", "Indiquez")
		r.wantFieldError("reason", "motif")
		r.wantFieldError("mode", "contact")
		r.wantFieldError("shared_text", "message")
		r.wantFieldError("expected_on", "passée")
		r = c.post("/orientations", url.Values{"person_id": {strconv.FormatInt(int64(sharing.ID), 10)}, "partner_name": {"CAF du Rhône"},
			"partner_contact": {"Mme Martin, accueil@caf.exemple.fr"}, "reason": {"Ouverture des droits RSA"}, "mode": {"mediation"},
			"shared_items": {"identite", "situation"}, "shared_text": {"Dossier commencé."}, "expected_on": {"2026-03-24"}})
		loc := r.header.Get("Location")
		if r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/orientations/") {
			t.Fatalf("create: %d %q: %s", r.status, loc, r.text("main"))
		}
		show := c.get(loc).wantStatus(http.StatusOK)
		checkA11y(t, "orientation page", show)
		show.wantContains("main", "CAF du Rhône", "Awa Diallo", "Ouverture des droits RSA", "Identité", "Situation résumée", "Proposée")

		// The consent gate: without the sharing consent, only anonymous.
		r = c.get("/orientations/new?person=" + strconv.FormatInt(int64(silent.ID), 10)).wantStatus(http.StatusOK)
		r.wantContains("main .notice--warning", "accord")
		r = c.post("/orientations", url.Values{"person_id": {strconv.FormatInt(int64(silent.ID), 10)}, "shown_for": {strconv.FormatInt(int64(silent.ID), 10)},
			"partner_name": {"PMI"}, "reason": {"Suivi"}, "mode": {"personne"}, "shared_items": {"identite"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("person_id", "accord")
		if v, _ := r.find(`#f-partner-name`).Attr("value"); v != "PMI" {
			t.Errorf("partner lost on error: %q", v)
		}
		r = c.post("/orientations", url.Values{"person_id": {""}, "shown_for": {strconv.FormatInt(int64(silent.ID), 10)},
			"partner_name": {"PMI"}, "reason": {"Suivi"}, "mode": {"personne"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("anonymous orientation: %d %s", r.status, r.text("main"))
		}
		c.get(r.header.Get("Location")).wantStatus(http.StatusOK).wantContains("main", "Orientation anonyme")

		// From an intervention naming one person: that person is offered.
		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Mediators: []maillon.UserID{a.st.Mediator.ID},
			Persons: []maillon.PersonID{sharing.ID}})
		ivPage := c.get(idPath("/interventions", int64(iv.ID), "")).wantStatus(http.StatusOK)
		if ivPage.find(`a[href="/orientations/new?intervention=`+strconv.FormatInt(int64(iv.ID), 10)+`"]`).Length() != 1 {
			t.Error("no « Orienter » link on the intervention")
		}
		r = c.get("/orientations/new?intervention=" + strconv.FormatInt(int64(iv.ID), 10)).wantStatus(http.StatusOK)
		if r.find(`input[name="intervention_id"]`).Length() != 1 || r.find(`input[name="person_id"][checked]`).Length() != 1 {
			t.Errorf("form from an intervention: %s", r.text("form"))
		}

		// The list, its filters and the figures per partner.
		list := c.get("/orientations").wantStatus(http.StatusOK)
		checkA11y(t, "orientations list", list)
		list.wantContains("main table", "CAF du Rhône", "PMI")
		list.wantContains("#partners-caption", "par partenaire")
		if n := list.find(`main table tbody tr`).Length(); n != 2+2 {
			t.Errorf("%d rows in the two tables, want 4", n)
		}
		r = c.get("/orientations?partner=caf&status=proposee&mine=on").wantStatus(http.StatusOK)
		if n := r.find(`#orientations-caption`).Length(); n != 1 || !strings.Contains(r.text("#orientations-caption"), "1 orientation") {
			t.Errorf("filtered list: %q", r.text("main"))
		}
		r = c.get("/orientations?status=perdue").wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "orientations filter in error", r)
		if nav := c.get("/").find(`nav.main-nav a[href="/orientations"]`); nav.Length() != 1 {
			t.Error("no « Orientations » in the navigation")
		}
	})
}

func TestOrientationStatusAndFollowUps(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		p := orSharingPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		o := orMust(t, a, a.st.Mediator, p.ID, "Mission locale", "identite")
		path := idPath("/orientations", int64(o.ID), "")

		// The expected feedback is in "Mes relances" and on the file.
		fu := c.get("/followups").wantStatus(http.StatusOK)
		if fu.find(`a[href="`+path+`"]`).Length() == 0 || !strings.Contains(fu.text("main"), "Mission locale") {
			t.Errorf("follow-ups: %s", fu.text("main"))
		}
		file := c.get(idPath("/people", int64(p.ID), "")).wantStatus(http.StatusOK)
		if file.find(`#followups ~ ul a[href="`+path+`"], section a[href="`+path+`"]`).Length() < 2 {
			t.Errorf("the file lacks the orientation in follow-ups and timeline")
		}

		c.post(path+"/status", url.Values{"status": {"transmise"}}).wantRedirect(path)
		r := c.post(path+"/status", url.Values{"status": {"proposee"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "invalid transition", r)
		r.wantContains("main .notice--error", "proposée")
		r = c.post(path+"/status", url.Values{"status": {"refusee"}, "refused_reason": {"autre"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "refusal in error", r)
		r.wantFieldError("refused_text", "Précisez")
		r.wantFieldError("refused_source", "rapporté")
		if r.find(`details[open] #f-refused-reason`).Length() != 1 {
			t.Error("the failed form is not open")
		}
		c.post(path+"/status", url.Values{"status": {"refusee"}, "refused_reason": {"complet"}, "refused_source": {"personne"}}).wantRedirect(path)
		show := c.get(path).wantStatus(http.StatusOK)
		show.wantContains("#issue ~ p", "Refusée")
		show.wantContains("main", "Plus de place", "La personne")
		if show.find(`form[action="`+path+`/status"]`).Length() != 0 {
			t.Error("a closed orientation still offers status forms")
		}
		r = c.post(path+"/status", url.Values{"status": {"prise_en_charge"}, "taken_source": {"personne"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantContains("main .notice--error", "close")
		if c.get("/followups").find(`a[href="`+path+`"]`).Length() != 0 {
			t.Error("a closed orientation is still a follow-up")
		}
		// Another mediator reads it but cannot change it.
		other := a.login(storetest.MustCreateUser(t, a.db, a.st.ID, maillon.RoleMediateur))
		o2 := orMust(t, a, a.st.Mediator, 0, "PMI")
		p2 := idPath("/orientations", int64(o2.ID), "")
		if other.get(p2).wantStatus(http.StatusOK).find(`form[action="`+p2+`/status"]`).Length() != 0 {
			t.Error("a colleague is offered the status forms")
		}
		other.post(p2+"/status", url.Values{"status": {"transmise"}}).wantStatus(http.StatusForbidden)
	})
}

func TestPartnerLinkPages(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		c := a.login(a.st.Mediator)
		p := orSharingPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		o := orMust(t, a, a.st.Mediator, p.ID, "CCAS", "identite", "situation")
		path := idPath("/orientations", int64(o.ID), "")

		r := c.post(path+"/link", url.Values{"days": {"120"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "link form in error", r)
		r.wantFieldError("days", "90")
		r = c.post(path+"/link", url.Values{"days": {"30"}}).wantStatus(http.StatusOK)
		checkA11y(t, "link created", r)
		link, _ := r.find("#partner-link").Attr("value")
		mailto, _ := r.find(`a[href^="mailto:"]`).Attr("href")
		if !strings.Contains(link, "/p/o/") || !strings.Contains(mailto, url.PathEscape(link)) || !strings.Contains(mailto, "subject=Orientation") {
			t.Fatalf("link %q, mailto %q", link, mailto)
		}
		token := link[strings.Index(link, "/p/o/")+len("/p/o/"):]
		// Shown once: the page read again does not show it.
		if c.get(path).find("#partner-link").Length() != 0 {
			t.Error("the link is shown again")
		}

		partner := a.client()
		page := partner.get("/p/o/" + token).wantStatus(http.StatusOK)
		checkA11y(t, "partner page", page)
		if page.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(page.header.Get("X-Robots-Tag"), "noindex") ||
			page.find(`meta[name="robots"][content*="noindex"]`).Length() != 1 {
			t.Errorf("partner page headers: %v", page.header)
		}
		page.wantContains("main", "Awa Diallo", "Situation résumée pour le partenaire.", "Ouverture des droits", "Médiation Test")
		if strings.Contains(page.body, "06 11 22 33 44") || strings.Contains(page.body, "awa@exemple.fr") {
			t.Error("the partner page shows contact details that are not shared")
		}
		if page.find("nav.main-nav").Length() != 0 || page.find(`form[action="/logout"]`).Length() != 0 {
			t.Error("the partner page shows the navigation")
		}
		ft, _ := page.find(`input[name="form_token"]`).Attr("value")
		// No form token, or another link's: refused, nothing recorded.
		partner.post("/p/o/"+token, url.Values{"answer": {"prise_en_charge"}}).wantStatus(http.StatusForbidden)
		other := orMust(t, a, a.st.Mediator, 0, "PMI")
		otherTok := orLink(t, a, a.st.Mediator, other.ID)
		partner.post("/p/o/"+otherTok, url.Values{"form_token": {ft}, "answer": {"prise_en_charge"}}).wantStatus(http.StatusForbidden)
		// Errors keep the page.
		r = partner.post("/p/o/"+token, url.Values{"form_token": {ft}, "answer": {"refusee"}, "reason": {"autre"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "partner page in error", r)
		r.wantFieldError("text", "Précisez")
		if r.find(`input[name="answer"][value="refusee"][checked]`).Length() != 1 {
			t.Error("the answer is lost on error")
		}
		partner.post("/p/o/"+token, url.Values{"form_token": {ft}, "answer": {"refusee"}, "reason": {"complet"}}).wantRedirect("/p/o/" + token)
		done := partner.get("/p/o/" + token).wantStatus(http.StatusOK)
		checkA11y(t, "partner page answered", done)
		done.wantContains("main", "déjà été enregistrée")
		if strings.Contains(done.body, "Awa Diallo") || done.find("form").Length() != 0 {
			t.Error("an answered link still shows the person or the form")
		}
		again := partner.post("/p/o/"+token, url.Values{"form_token": {ft}, "answer": {"prise_en_charge"}}).wantStatus(http.StatusConflict)
		checkA11y(t, "partner answer twice", again)
		again.wantContains("main", "déjà été enregistrée")
		show := c.get(path).wantStatus(http.StatusOK)
		show.wantContains("main", "Refusée", "Le partenaire, par le lien de réponse", "Partenaire (lien)")

		// Expired, revoked and unknown links: clear pages, nothing shown.
		tok2 := orLink(t, a, a.st.Mediator, other.ID) // replaces otherTok
		gone := partner.get("/p/o/" + otherTok).wantStatus(http.StatusGone)
		checkA11y(t, "partner page revoked", gone)
		gone.wantContains("main", "retiré")
		a.db.Clock.Advance(31 * 24 * time.Hour)
		exp := partner.get("/p/o/" + tok2).wantStatus(http.StatusGone)
		checkA11y(t, "partner page expired", exp)
		exp.wantContains("main", "expiré")
		unknown := partner.get("/p/o/" + strings.Repeat("A", 43)).wantStatus(http.StatusNotFound)
		checkA11y(t, "partner page unknown", unknown)
		unknown.wantContains("main", "n'existe pas")

		// Revocation from the orientation page.
		a.db.Clock.Advance(-31 * 24 * time.Hour)
		o3 := orMust(t, a, a.st.Mediator, p.ID, "Mission locale", "identite")
		p3 := idPath("/orientations", int64(o3.ID), "")
		tok3 := orLink(t, a, a.st.Mediator, o3.ID)
		c.post(p3+"/link/revoke", nil).wantRedirect(p3)
		partner.get("/p/o/" + tok3).wantStatus(http.StatusGone)
		r = c.post(p3+"/link/revoke", nil).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "revoke without link", r)
		r.wantContains("main .notice--error", "pas de lien")
	})
}

// TestPartnerLinkReachesNothingElse: the token opens its page and nothing
// else; it is no session, and the page sets no cookie.
func TestPartnerLinkReachesNothingElse(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		p := orSharingPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		o := orMust(t, a, a.st.Mediator, p.ID, "CCAS", "identite")
		token := orLink(t, a, a.st.Mediator, o.ID)
		partner := a.client()
		page := partner.get("/p/o/" + token).wantStatus(http.StatusOK)
		if len(page.header.Values("Set-Cookie")) != 0 {
			t.Errorf("the partner page sets cookies: %v", page.header.Values("Set-Cookie"))
		}
		// The token as a session cookie opens nothing either.
		u, _ := url.Parse(a.srv.URL)
		partner.http.Jar.SetCookies(u, []*http.Cookie{{Name: "maillon_session", Value: token, Path: "/"}})
		for _, rt := range a.handler.Routes() {
			if rt.Method != http.MethodGet || rt.Access == "public" || rt.Access == "anonymous" {
				continue
			}
			id := int64(o.ID)
			if strings.HasPrefix(rt.Path, "/people/") {
				id = int64(p.ID)
			}
			path := strings.ReplaceAll(strings.ReplaceAll(rt.Path, "{$}", ""), "{id}", strconv.FormatInt(id, 10))
			r := partner.get(path + "?token=" + token)
			if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
				t.Errorf("GET %s with the partner's token: status %d, want a redirect to the login page", path, r.status)
			}
		}
		partner.post(idPath("/orientations", int64(o.ID), "/status"), url.Values{"status": {"transmise"}}).wantStatus(http.StatusUnauthorized)
		// Another orientation's page is not reachable by changing the token.
		partner.get("/p/o/" + token[:len(token)-1] + "x").wantStatus(http.StatusNotFound)
	})
}

// TestPartnerAnswerMalformedInput sends the malformed variants to a real
// partner link with its form token: never a server error, a French summary
// with every 422, and only clean values stored.
func TestPartnerAnswerMalformedInput(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		p := orSharingPerson(t, a, a.st.Mediator, "Awa", "Diallo")
		valid := url.Values{"answer": {"refusee"}, "reason": {"complet"}, "text": {"Revenir en mai"}}
		var token, ft string
		fresh := func() {
			o := orMust(t, a, a.st.Mediator, p.ID, "CCAS", "identite")
			token = orLink(t, a, a.st.Mediator, o.ID)
			ft = partnerForm(a, token, "").Get("form_token")
		}
		fresh()
		n := 0
		for _, v := range malVariants(maillon.PartnerAnswerFields, valid, false) {
			v.noCSRF = true
			if v.body != "" {
				v.body = "form_token=" + url.QueryEscape(ft) + "&" + strings.TrimPrefix(v.body, "&")
			} else {
				v.pairs = append([]malPair{{"form_token", ft, false}}, v.pairs...)
			}
			want := 0
			if v.want == http.StatusRequestEntityTooLarge {
				want = v.want
			}
			r := malSend(a.client(), http.MethodPost, "/p/o/"+token, v)
			malCheck(t, "POST /p/o/{token}: "+v.name, r, want, true)
			if r.status == http.StatusSeeOther {
				fresh()
			}
			n++
		}
		t.Logf("%d malformed answers", n)
		list, _, err := a.db.FindOrientations(bg, actorOf(a.st.Admin), maillon.OrientationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list {
			if !maillon.OrientationStatuses.Valid(o.Status) || (o.Closed() && o.OutcomeSource != "partenaire_lien") {
				t.Errorf("orientation %d stored with status %q, source %q", o.ID, o.Status, o.OutcomeSource)
			}
			if clean, msg := maillon.CleanText(o.ClosureText, maillon.MaxShortTextLen, false); msg != "" || clean != o.ClosureText {
				t.Errorf("closure text stored unclean: %q", o.ClosureText)
			}
			if o.Status == maillon.OrientationRefusee && !maillon.RefusalReasons.Valid(o.ClosureReason) {
				t.Errorf("refusal stored with reason %q", o.ClosureReason)
			}
		}
		if strings.Contains(a.logs.String(), "level=ERROR") {
			t.Errorf("errors logged:\n%s", malErrorLines(a.logs.String()))
		}
	})
}
