package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"maillon"
)

// Helpers of the people pages tests.

// ppInput is a valid creation input with the dossier consent.
func ppInput(first, last string) maillon.PersonInput {
	return maillon.PersonInput{FirstName: first, LastName: last, ConsentGiven: true, ConsentMethod: "oral"}
}

// ppPerson creates a person as u, directly in the store.
func ppPerson(t testing.TB, a *app, u *maillon.User, in maillon.PersonInput) *maillon.Person {
	t.Helper()
	if !in.ConsentGiven {
		in.ConsentGiven, in.ConsentMethod = true, "oral"
	}
	p, err := a.db.CreatePerson(bg, actorOf(u), in)
	if err != nil {
		t.Fatalf("create person %s %s: %v", in.FirstName, in.LastName, err)
	}
	return p
}

func ppPath(id maillon.PersonID, suffix string) string { return idPath("/people", int64(id), suffix) }

// ppFile reads a person's file directly in the store.
func ppFile(t testing.TB, a *app, u *maillon.User, id maillon.PersonID) *maillon.PersonFile {
	t.Helper()
	f, err := a.db.FindPersonFile(bg, actorOf(u), id)
	if err != nil {
		t.Fatalf("FindPersonFile(%d): %v", id, err)
	}
	return f
}

// ppRows lists the names of the people table.
func ppRows(r *response) []string {
	var out []string
	r.find("main table tbody tr").Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.TrimSpace(s.Find("td a").First().Text()))
	})
	return out
}

// ppTexts lists the normalised texts of the matches of sel.
func ppTexts(r *response, sel string) []string {
	var out []string
	r.find(sel).Each(func(_ int, s *goquery.Selection) {
		out = append(out, strings.Join(strings.Fields(s.Text()), " "))
	})
	return out
}

func ppValue(r *response, name string) string {
	return r.find(`main [name="`+name+`"]`).First().AttrOr("value", "")
}

func ppChecked(r *response, name string) []string {
	var out []string
	r.find(`main input[name="` + name + `"]:checked`).Each(func(_ int, s *goquery.Selection) {
		out = append(out, s.AttrOr("value", ""))
	})
	return out
}

func ppSelected(r *response, name string) string {
	return r.find(`main select[name="`+name+`"] option[selected]`).AttrOr("value", "")
}

// ppForm is a valid creation form.
func ppForm(first, last string) url.Values {
	return url.Values{"first_name": {first}, "last_name": {last}, "consent_given": {"on"}, "consent_method": {"oral"},
		"consent_date": {"2026-03-10"}, "gender": {"non_precise"}}
}

// newAzPeopleFixtures adds to the authorisation matrix fixtures a person
// of a.st whose pages every actor requests.
func newAzPeopleFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	p := ppPerson(t, fx.a, fx.a.st.Admin, maillon.PersonInput{FirstName: "Lucie", LastName: "Marqueur-Personne",
		Phone: "04 78 99 88 77", TeamID: maillon.TeamID(fx.team)})
	if err := fx.a.db.AddNote(bg, fx.admin, p.ID, maillon.NoteInput{Text: "Note Marqueur du dossier"}); err != nil {
		t.Fatal(err)
	}
	fx.person = int64(p.ID)
	fx.markers = append(fx.markers, "Marqueur-Personne", "Note Marqueur du dossier", "04 78 99 88 77")
}

// azPersonID returns the person for the {id} of a /people route: the
// shared one, or a fresh one in the state the route needs. For the
// withdrawal route it also sets fx.consent to a consent of that person.
func (fx *azFixtures) azPersonID(key string, fresh bool) int64 {
	t := fx.t
	if !fresh {
		return fx.person
	}
	n := azSeq.Add(1)
	p := ppPerson(t, fx.a, fx.a.st.Admin, ppInput("Fraîche", "Personne "+strconv.FormatInt(n, 10)))
	switch {
	case strings.HasSuffix(key, "/restore"):
		if err := fx.a.db.SetPersonArchived(bg, fx.admin, p.ID, true); err != nil {
			t.Fatal(err)
		}
	case strings.HasSuffix(key, "/withdraw"):
		if err := fx.a.db.AddConsent(bg, fx.admin, p.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
			t.Fatal(err)
		}
		for _, c := range ppFile(t, fx.a, fx.a.st.Admin, p.ID).Consents {
			if c.Scope == "partage" {
				fx.consent = int64(c.ID)
			}
		}
	}
	return int64(p.ID)
}

// azPeopleForm is a valid form for a /people route.
func (fx *azFixtures) azPeopleForm(key string) url.Values {
	n := strconv.FormatInt(azSeq.Add(1), 10)
	switch key {
	case "POST /people":
		// The team is a.st's: refused to another structure.
		f := ppForm("Nouvelle", "Personne "+n)
		f.Set("team_id", strconv.FormatInt(fx.team, 10))
		f.Set("confirm_new", "on")
		return f
	case "POST /people/{id}":
		return url.Values{"first_name": {"Lucie"}, "last_name": {"Marqueur-Personne"}, "phone": {"04 78 99 88 77"},
			"languages": {"Langues " + n}, "team_id": {strconv.FormatInt(fx.team, 10)}}
	case "POST /people/{id}/consents":
		return url.Values{"scope": {"institution"}, "method": {"ecrit"}, "date": {"2026-03-09"}}
	case "POST /people/{id}/autonomy":
		return url.Values{"assessed_at": {"2026-03-09"}, "level": {"2"}, "equipment": {"smartphone"}}
	case "POST /people/{id}/notes":
		return url.Values{"text": {"Note " + n}}
	case "POST /people/{id}/merge":
		// A fresh duplicate to merge into the route's person.
		fx.known = ""
		p := ppPerson(fx.t, fx.a, fx.a.st.Admin, ppInput("Doublon", "Personne "+n))
		return url.Values{"other_id": {strconv.FormatInt(int64(p.ID), 10)}, "confirm": {"on"}}
	}
	return url.Values{}
}

// ppFixture is a structure with a territory, a team and people to list.
type ppFixture struct {
	lyon       *maillon.Commune
	pentes     *maillon.Zone
	gerland    *maillon.Zone
	team       *maillon.Team
	otherTeam  *maillon.Team
	otherPlace *maillon.Commune // of a.other
	helene     *maillon.Person  // referent: the mediator, team, Pentes
	marc       *maillon.Person  // referent: the coordinator, Gerland
	archived   *maillon.Person
}

func newPPFixture(t *testing.T, a *app) *ppFixture {
	t.Helper()
	fx := &ppFixture{}
	fx.team = mustTeam(t, a, a.st.Admin, "Équipe Nord")
	fx.otherTeam = mustTeam(t, a, a.st.Admin, "Équipe Sud")
	fx.lyon = mustCommune(t, a, a.st.Admin, "69123", "Lyon")
	fx.pentes = mustZone(t, a, a.st.Admin, fx.lyon.ID, "Pentes", "")
	fx.gerland = mustZone(t, a, a.st.Admin, fx.lyon.ID, "Gerland", "QN06902M")
	fx.otherPlace = mustCommune(t, a, a.other.Admin, "69259", "Vénissieux")
	fx.helene = ppPerson(t, a, a.st.Mediator, maillon.PersonInput{FirstName: "Hélène", LastName: "Dupré", BirthYear: "1980",
		Phone: "04 78 12 34 56", Email: "helene.dupre@exemple.fr", CommuneID: fx.lyon.ID, ZoneID: fx.pentes.ID,
		ReferentID: a.st.Mediator.ID, TeamID: fx.team.ID, Languages: "arabe, français", InterpreterNeeded: true,
		AccessNeeds: []string{"visuel"}, AccessText: "Grands caractères"})
	fx.marc = ppPerson(t, a, a.st.Coordinator, maillon.PersonInput{FirstName: "Marc", LastName: "Dupont", AgeBand: "26_44",
		CommuneID: fx.lyon.ID, ZoneID: fx.gerland.ID, ReferentID: a.st.Coordinator.ID, TeamID: fx.otherTeam.ID})
	fx.archived = ppPerson(t, a, a.st.Mediator, ppInput("Paul", "Archivé"))
	if err := a.db.SetPersonArchived(bg, actorOf(a.st.Mediator), fx.archived.ID, true); err != nil {
		t.Fatal(err)
	}
	// A namesake in another structure, never shown.
	ppPerson(t, a, a.other.Mediator, ppInput("Hélène", "Dupré"))
	return fx
}

func TestPeopleListAndSearch(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		c := a.login(a.st.Mediator)
		ids := func(list ...*maillon.Person) []string {
			var out []string
			for _, p := range list {
				out = append(out, p.DisplayName())
			}
			return out
		}
		r := c.get("/people").wantStatus(http.StatusOK)
		checkA11y(t, "people list", r)
		if got := ppRows(r); !slices.Equal(got, ids(fx.marc, fx.helene)) {
			t.Errorf("list = %q", got)
		}
		r.wantContains("main table caption", "2 personnes")
		r.wantContains("main table tbody tr:nth-child(2)", "né·e en 1980", "Lyon – Pentes", a.st.Mediator.DisplayName, "10 mars 2026")
		r.wantContains("main table tbody tr:nth-child(1)", "26 à 44 ans", "Lyon – Gerland")
		if href := r.find("main table tbody a").Last().AttrOr("href", ""); href != ppPath(fx.helene.ID, "") {
			t.Errorf("link to the file = %q", href)
		}
		if r.find(`main a[href="/people/new"]`).Length() == 0 {
			t.Error("no link to create a file")
		}
		// The search form is labelled and keeps its values.
		if r.find(`form[role="search"] label[for="f-q"]`).Length() != 1 {
			t.Error("search field has no label")
		}

		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"q=helene", ids(fx.helene)},
			{"q=DUPRÉ", ids(fx.helene)},
			{"q=dup", ids(fx.marc, fx.helene)},
			{"q=04+78+12", ids(fx.helene)},
			{"q=%27%3B+drop+table+persons", nil},
			{"mine=on", ids(fx.helene)},
			{"referent=" + strconv.FormatInt(int64(a.st.Coordinator.ID), 10), ids(fx.marc)},
			{"team=" + strconv.FormatInt(int64(fx.team.ID), 10), ids(fx.helene)},
			{"place=z" + strconv.FormatInt(int64(fx.gerland.ID), 10), ids(fx.marc)},
			{"archived=on", ids(fx.archived)},
			{"archived=on&q=paul", ids(fx.archived)},
			{"q=paul", nil},
			{"sort=contact", ids(fx.marc, fx.helene)}, // same day: newest file first
			{"sort=creation", ids(fx.marc, fx.helene)},
			{"sort=inconnu", ids(fx.marc, fx.helene)},
			{"referent=abc&team=-1", ids(fx.marc, fx.helene)},
			{"page=-1", ids(fx.marc, fx.helene)},
		} {
			r := c.get("/people?" + tc.query).wantStatus(http.StatusOK)
			if got := ppRows(r); !slices.Equal(got, tc.want) {
				t.Errorf("%s: list = %q, want %q", tc.query, got, tc.want)
			}
		}
		// A contact started by the person puts them first by contact.
		a.db.Clock.Advance(10 * time.Minute)
		if _, err := a.db.CreateIntervention(bg, actorOf(a.st.Mediator), maillon.InterventionInput{Date: "2026-03-10", Time: "10:35",
			Minutes: "10", Mediators: []maillon.UserID{a.st.Mediator.ID}, PlaceType: "telephone", Registre: "accueil",
			Initiative: "personne", Persons: []maillon.PersonID{fx.helene.ID}}); err != nil {
			t.Fatal(err)
		}
		if got := ppRows(c.get("/people?sort=contact")); !slices.Equal(got, ids(fx.helene, fx.marc)) {
			t.Errorf("by contact: %q", got)
		}
		// The filters keep their values.
		r = c.get("/people?q=dup&mine=on&sort=contact&archived=&team=" + strconv.FormatInt(int64(fx.team.ID), 10))
		if ppValue(r, "q") != "dup" || len(ppChecked(r, "mine")) != 1 || ppSelected(r, "sort") != "contact" ||
			ppSelected(r, "team") != strconv.FormatInt(int64(fx.team.ID), 10) || len(ppChecked(r, "archived")) != 0 {
			t.Errorf("filters not kept: q=%q mine=%v sort=%q team=%q", ppValue(r, "q"), ppChecked(r, "mine"), ppSelected(r, "sort"), ppSelected(r, "team"))
		}
		r.wantContains("main table caption", "1 personne pour cette recherche")
		// Nothing found: a hint to create the file, when searching.
		r = c.get("/people?q=zzz").wantStatus(http.StatusOK)
		r.wantContains("main", "Aucune personne ne correspond", "créez un dossier")
		checkA11y(t, "empty search", r)

		// An over-long query, or a commune instead of a quartier: 422.
		r = c.get("/people?q=" + strings.Repeat("x", 101)).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("q", "trop long")
		checkA11y(t, "search in error", r)
		if len(ppRows(r)) != 0 {
			t.Error("a refused search lists people")
		}
		r = c.get("/people?place=c" + strconv.FormatInt(int64(fx.lyon.ID), 10)).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("place", "quartier")
		c.get("/people?place=zabc").wantStatus(http.StatusUnprocessableEntity)

		// A search is audited; browsing is not.
		entries, _, err := a.db.FindAuditEntries(bg, actorOf(a.st.Admin), maillon.AuditFilter{Action: maillon.AuditPersonSearch, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 9 {
			t.Errorf("%d search entries, want 9 (one per query)", len(entries))
		}
	})
}

func TestPeopleListPaginates(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		for i := range 30 {
			ppPerson(t, a, a.st.Mediator, ppInput("Prénom", "Nom "+strconv.Itoa(100+i)))
		}
		c := a.login(a.st.Mediator)
		r := c.get("/people?q=nom").wantStatus(http.StatusOK)
		rows := ppRows(r)
		if len(rows) != 25 || rows[0] != "Prénom Nom 100" {
			t.Fatalf("first page: %d rows, first %q", len(rows), rows[0])
		}
		r.wantContains("main table caption", "30 personnes")
		r.wantContains(".pagination", "1 à 25 sur 30")
		next := r.find(`.pagination a[rel="next"]`).AttrOr("href", "")
		if next != "/people?page=2&q=nom" {
			t.Fatalf("next page link = %q", next)
		}
		checkA11y(t, "people page 1", r)
		r = c.get(next).wantStatus(http.StatusOK)
		if rows := ppRows(r); len(rows) != 5 || rows[4] != "Prénom Nom 129" {
			t.Errorf("second page = %q", rows)
		}
		r.wantContains(".pagination", "26 à 30 sur 30")
		if prev := r.find(`.pagination a[rel="prev"]`).AttrOr("href", ""); prev != "/people?q=nom" {
			t.Errorf("previous page link = %q", prev)
		}
		checkA11y(t, "people page 2", r)
		// A page past the end says so and leads to the last page.
		r = c.get("/people?page=9&q=nom").wantStatus(http.StatusOK)
		if rows := ppRows(r); len(rows) != 0 {
			t.Errorf("page past the end = %q", rows)
		}
		r.wantContains(".pagination", "au-delà de la fin de la liste, qui compte 30 résultats")
		if prev := r.find(`.pagination a[rel="prev"]`).AttrOr("href", ""); prev != "/people?page=2&q=nom" {
			t.Errorf("link from past the end = %q", prev)
		}
		if strings.Contains(r.find("main").Text(), "Aucune personne") {
			t.Error("a page past the end says nobody matches")
		}
		checkA11y(t, "people page past the end", r)
	})
}

func TestPersonCreateForm(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		mustJoinTeam(t, a, a.st.Admin, a.st.Mediator, fx.team.ID)
		c := a.login(a.st.Mediator)
		r := c.get("/people/new").wantStatus(http.StatusOK)
		checkA11y(t, "new person", r)
		for field, label := range map[string]string{
			"first_name": "Prénom", "last_name": "Nom", "pseudonym": "Pseudonyme ou initiales", "birth_year": "Année de naissance",
			"age_band": "Tranche d'âge", "phone": "Téléphone", "email": "Adresse e-mail", "place": "Lieu de vie",
			"languages": "Langues parlées", "interpreter_needed": "interprète", "access_text": "Précisions sur l'accessibilité",
			"household": "Composition du foyer", "housing": "Logement", "activity": "Activité", "nationality": "Nationalité",
			"referent_id": "Référent·e", "team_id": "Équipe", "consent_given": "accepte la tenue d'un dossier nominatif (obligatoire)",
			"consent_date": "Date de l'accord (obligatoire)",
		} {
			if got := strings.Join(strings.Fields(r.find(`label[for="f-`+strings.ReplaceAll(field, "_", "-")+`"]`).Text()), " "); !strings.Contains(got, label) {
				t.Errorf("label of %s = %q, want it to contain %q", field, got, label)
			}
		}
		for _, legend := range []string{"Genre", "Besoins d'accessibilité", "Accord donné (obligatoire)"} {
			if !slices.Contains(ppTexts(r, "main legend"), legend) {
				t.Errorf("no fieldset %q among %q", legend, ppTexts(r, "main legend"))
			}
		}
		r.wantContains("main", "Un dossier nominatif n'existe qu'avec l'accord de la personne", "Accord de la personne",
			"retirer son accord à tout moment")
		// Sensible defaults: the mediator as referent, their team, an oral
		// consent today.
		if ppSelected(r, "referent_id") != strconv.FormatInt(int64(a.st.Mediator.ID), 10) ||
			ppSelected(r, "team_id") != strconv.FormatInt(int64(fx.team.ID), 10) ||
			!slices.Equal(ppChecked(r, "consent_method"), []string{"oral"}) || ppValue(r, "consent_date") != "2026-03-10" ||
			!slices.Equal(ppChecked(r, "gender"), []string{"non_precise"}) || len(ppChecked(r, "consent_given")) != 0 {
			t.Errorf("defaults: referent %q team %q method %v date %q gender %v consent %v", ppSelected(r, "referent_id"),
				ppSelected(r, "team_id"), ppChecked(r, "consent_method"), ppValue(r, "consent_date"), ppChecked(r, "gender"),
				ppChecked(r, "consent_given"))
		}
		// The places are the structure's communes and quartiers only.
		var places []string
		r.find(`select[name="place"] option`).Each(func(_ int, s *goquery.Selection) { places = append(places, s.Text()) })
		if want := []string{"Non précisé", "Lyon (toute la commune)", "Lyon – Gerland (QPV)", "Lyon – Pentes"}; !slices.Equal(places, want) {
			t.Errorf("places = %q, want %q", places, want)
		}
		if r.find(`[name="confirm_new"]`).Length() != 0 {
			t.Error("the duplicate confirmation shows before any duplicate")
		}

		// Created: to the new file, with a flash.
		form := ppForm("Aïssatou", "N'Diaye")
		form.Set("birth_year", "1990")
		form.Set("place", "z"+strconv.FormatInt(int64(fx.pentes.ID), 10))
		form["access_needs"] = []string{"moteur", "auditif"}
		r = c.post("/people", form)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/people/") {
			t.Fatalf("create: status %d, location %q; main %.300s", r.status, r.header.Get("Location"), r.text("main"))
		}
		show := c.get(r.header.Get("Location")).wantStatus(http.StatusOK).wantFlash("créé avec l'accord de la personne")
		show.wantContains("main h1", "Aïssatou N'Diaye")
		show.wantContains("main .summary-list", "né·e en 1990", "Lyon – Pentes", "Handicap moteur, Handicap auditif")
	})
}

func TestPersonCreateErrorsKeepTheValues(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		c := a.login(a.st.Mediator)
		c.get("/people/new")
		before := len(ppRowsOf(t, a))

		// A quartier that is not in the list: the place is in error, the
		// rest kept.
		form := ppForm("Zoé", "Lefèvre")
		form.Set("languages", "tamoul")
		form.Set("interpreter_needed", "on")
		form["access_needs"] = []string{"visuel", "cognitif"}
		form.Set("place", "z987654")
		r := c.post("/people", form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "new person, unknown place", r)
		r.wantFieldError("place", "territoire de la structure")
		if ppValue(r, "first_name") != "Zoé" || ppValue(r, "languages") != "tamoul" ||
			!slices.Equal(ppChecked(r, "access_needs"), []string{"visuel", "cognitif"}) || len(ppChecked(r, "interpreter_needed")) != 1 ||
			len(ppChecked(r, "consent_given")) != 1 {
			t.Errorf("values lost: first %q languages %q needs %v interpreter %v consent %v", ppValue(r, "first_name"),
				ppValue(r, "languages"), ppChecked(r, "access_needs"), ppChecked(r, "interpreter_needed"), ppChecked(r, "consent_given"))
		}
		// Another structure's commune is refused on the place field.
		form.Set("place", "c"+strconv.FormatInt(int64(fx.otherPlace.ID), 10))
		r = c.post("/people", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("place", "territoire de la structure")
		// A quartier of the structure under a wrong form value prefix.
		form.Set("place", "x"+strconv.FormatInt(int64(fx.pentes.ID), 10))
		c.post("/people", form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("place", "Choisissez un lieu")

		// Without the consent and with bad values: every message at once.
		form = url.Values{"first_name": {"Zoé"}, "last_name": {"Lefèvre"}, "birth_year": {"78"}, "email": {"zoe@"},
			"gender": {"femme"}, "access_needs": {"moteur", "inconnu"}, "consent_method": {""}, "consent_date": {"2026-03-11"}}
		r = c.post("/people", form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "new person in error", r)
		r.wantFieldError("consent_given", "Sans l'accord de la personne")
		r.wantFieldError("consent_method", "à l'oral ou par écrit")
		r.wantFieldError("consent_date", "futur")
		r.wantFieldError("birth_year", "4 chiffres")
		r.wantFieldError("email", "adresse e-mail valide")
		r.wantFieldError("access_needs", "dans la liste")
		if !strings.HasPrefix(r.text("title"), "Erreur : ") {
			t.Errorf("title = %q", r.text("title"))
		}
		if ppValue(r, "birth_year") != "78" || ppValue(r, "email") != "zoe@" || !slices.Equal(ppChecked(r, "gender"), []string{"femme"}) ||
			ppValue(r, "consent_date") != "2026-03-11" {
			t.Errorf("values lost: year %q email %q gender %v date %q", ppValue(r, "birth_year"), ppValue(r, "email"),
				ppChecked(r, "gender"), ppValue(r, "consent_date"))
		}
		// No name at all.
		r = c.post("/people", url.Values{"consent_given": {"on"}, "consent_method": {"oral"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("last_name", "pseudonyme")
		if after := len(ppRowsOf(t, a)); after != before {
			t.Errorf("refused forms created people: %d → %d", before, after)
		}
	})
}

// ppRowsOf lists a.st's active people through the store.
func ppRowsOf(t *testing.T, a *app) []maillon.Person {
	t.Helper()
	list, _, err := a.db.FindPersons(bg, actorOf(a.st.Admin), maillon.PersonFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestPersonDuplicateWarning(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		c := a.login(a.st.Mediator)
		c.get("/people/new")
		before := len(ppRowsOf(t, a))
		form := ppForm("HELENE", "dupre")
		form.Set("birth_year", "1980")
		form["access_needs"] = []string{"psychique"}
		r := c.post("/people", form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "duplicate warning", r)
		r.wantContains(".notice--warning", "Dossiers qui se ressemblent", "Hélène Dupré", "dossier n° "+strconv.FormatInt(int64(fx.helene.ID), 10),
			"né·e en 1980", "Lyon")
		if href := r.find(".notice--warning a").AttrOr("href", ""); href != ppPath(fx.helene.ID, "") {
			t.Errorf("candidate link = %q", href)
		}
		r.wantFieldError("confirm_new", "cochez la case pour confirmer")
		if len(ppChecked(r, "confirm_new")) != 0 || ppValue(r, "first_name") != "HELENE" || !slices.Equal(ppChecked(r, "access_needs"), []string{"psychique"}) {
			t.Errorf("form after the warning: confirm %v first %q needs %v", ppChecked(r, "confirm_new"), ppValue(r, "first_name"), ppChecked(r, "access_needs"))
		}
		if n := len(ppRowsOf(t, a)); n != before {
			t.Fatal("the warning created a file")
		}
		// Confirmed, but with another error: the confirmation and the
		// candidates stay while the mediator fixes it.
		form.Set("confirm_new", "on")
		form.Del("consent_given")
		r = c.post("/people", form).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("consent_given", "Sans l'accord")
		if len(ppChecked(r, "confirm_new")) != 1 || r.find(".notice--warning").Length() != 1 {
			t.Errorf("the confirmation was lost after another error")
		}
		checkA11y(t, "duplicate confirmed, other error", r)
		// Confirmed: created.
		form.Set("consent_given", "on")
		r = c.post("/people", form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("create after confirming: %d; %.300s", r.status, r.text("main"))
		}
		if n := len(ppRowsOf(t, a)); n != before+1 {
			t.Errorf("%d people after confirming, want %d", n, before+1)
		}
		// A different person with the same name but another year and no
		// commune is not a duplicate.
		other := ppForm("Hélène", "Dupré")
		other.Set("birth_year", "1955")
		if r := c.post("/people", other); r.status != http.StatusSeeOther {
			t.Errorf("another Hélène Dupré: status %d", r.status)
		}
	})
}

// ppRichFile builds a file with everything a page shows, as seen by the
// mediator: consents, an autonomy trajectory, an intervention with a
// procedure and a follow-up, notes (one private to the mediator, one to
// the coordinator), and a change.
func ppRichFile(t *testing.T, a *app, fx *ppFixture) *maillon.Person {
	t.Helper()
	med, coord := actorOf(a.st.Mediator), actorOf(a.st.Coordinator)
	p := fx.helene
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.db.AddConsent(bg, med, p.ID, maillon.ConsentInput{Scope: "partage", Method: "ecrit", Date: "2026-03-01"}))
	must(a.db.AddAutonomy(bg, med, p.ID, maillon.AutonomyInput{Date: "2025-11-02", Level: "1", Equipment: []string{"aucun"}, Internet: "non"}))
	must(a.db.AddAutonomy(bg, med, p.ID, maillon.AutonomyInput{Date: "2026-03-02", Level: "3", Equipment: []string{"smartphone"},
		Internet: "oui", HasEmail: "oui", FranceConnect: "oui"}))
	_, err := a.db.CreateIntervention(bg, med, maillon.InterventionInput{Date: "2026-03-09", Time: "14:00", Minutes: "45",
		Mediators: []maillon.UserID{a.st.Mediator.ID}, PlaceType: "permanence", Registre: "acces_droits", Initiative: "personne",
		Persons: []maillon.PersonID{p.ID}, Description: "Description interne de l'intervention", NextStep: "Envoyer l'avis d'imposition à la CAF",
		Documents: "Avis d'imposition 2025", FollowUpOn: "2026-03-20",
		Procedures: []maillon.ProcedureInput{{PersonID: p.ID, Organisme: "caf", Label: "Prime d'activité", Channel: "en_ligne",
			Mode: "faire_avec", Outcome: "realisee", AutonomyLevel: "2"}}})
	must(err)
	must(a.db.AddNote(bg, med, p.ID, maillon.NoteInput{Text: "Note visible de la médiatrice."}))
	must(a.db.AddNote(bg, med, p.ID, maillon.NoteInput{Text: "Note privée de la médiatrice.", Private: true}))
	must(a.db.AddNote(bg, coord, p.ID, maillon.NoteInput{Text: "Note privée de la coordination.", Private: true}))
	up := maillon.PersonInput{FirstName: p.FirstName, LastName: p.LastName, BirthYear: "1980", Phone: "04 78 12 34 57",
		Email: p.Email, CommuneID: p.CommuneID, ZoneID: p.ZoneID, ReferentID: p.ReferentID, TeamID: p.TeamID,
		Languages: p.Languages, InterpreterNeeded: true, AccessNeeds: p.AccessNeeds, AccessText: p.AccessText}
	must(a.db.UpdatePerson(bg, med, p.ID, up))
	return p
}

func TestPersonShowPage(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		p := ppRichFile(t, a, fx)
		c := a.login(a.st.Mediator)
		r := c.get(ppPath(p.ID, "")).wantStatus(http.StatusOK)
		checkA11y(t, "person page", r)
		r.wantContains("main h1", "Hélène Dupré")
		r.wantContains("main", "Dossier n° "+strconv.FormatInt(int64(p.ID), 10), "dernier contact le 10 mars 2026")
		r.wantContains("main .summary-list", "né·e en 1980 (45 à 64 ans)", "04 78 12 34 57", "helene.dupre@exemple.fr",
			"Lyon – Pentes", "arabe, français – interprète nécessaire", "Handicap visuel – Grands caractères",
			a.st.Mediator.DisplayName+" – équipe Équipe Nord")
		if href := r.find(`main a[href^="/interventions/new"]`).AttrOr("href", ""); href != "/interventions/new?person="+strconv.FormatInt(int64(p.ID), 10) {
			t.Errorf("new intervention link = %q", href)
		}
		if r.find(`main a[href="`+ppPath(p.ID, "/edit")+`"]`).Length() != 1 || r.find(`main a[href="`+ppPath(p.ID, "/summary")+`"]`).Length() != 1 {
			t.Error("no link to edit the file or to its summary")
		}
		// Follow-ups due.
		r.wantContains("#followups ~ ul", "20 mars 2026", "Envoyer l'avis d'imposition à la CAF")

		// Consents: one row each, a withdraw button while in force.
		rows := ppTexts(r, "#consents-caption ~ tbody tr")
		if len(rows) != 2 {
			t.Fatalf("consent rows = %q", rows)
		}
		if !strings.Contains(rows[0], "Tenue d'un dossier nominatif") || !strings.Contains(rows[0], "À l'oral, le 10 mars 2026") ||
			!strings.Contains(rows[1], "Partage avec un partenaire") || !strings.Contains(rows[1], "Par écrit, le 1er mars 2026") ||
			!strings.Contains(rows[1], "En vigueur") || !strings.Contains(rows[1], a.st.Mediator.DisplayName) {
			t.Errorf("consent rows = %q", rows)
		}
		f := ppFile(t, a, a.st.Mediator, p.ID)
		for _, cs := range f.Consents {
			action := ppPath(p.ID, "/consents/"+strconv.FormatInt(int64(cs.ID), 10)+"/withdraw")
			form := r.find(`form[action="` + action + `"]`)
			if form.Length() != 1 || !strings.Contains(form.Find("button").Text(), "Enregistrer le retrait") ||
				form.AttrOr("data-confirm", "") == "" {
				t.Errorf("no withdraw form for consent %d", cs.ID)
			}
		}
		// The consent form: every scope, required.
		if got := ppTexts(r, `form[action="`+ppPath(p.ID, "/consents")+`"] legend`); !slices.Equal(got, []string{"Objet de l'accord (obligatoire)", "Accord donné (obligatoire)"}) {
			t.Errorf("consent form legends = %q", got)
		}

		// Autonomy: the latest level, the progress, the trajectory.
		// The level observed during the procedure is the latest.
		r.wantContains("#autonomy ~ p", "Niveau le plus récent : Partiellement autonome (en progrès depuis le 2 novembre 2025).")
		var traj []string
		r.find("#autonomy-caption ~ tbody tr").Each(func(_ int, tr *goquery.Selection) {
			var cells []string
			tr.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, strings.TrimSpace(td.Text())) })
			traj = append(traj, strings.Join(cells, " | "))
		})
		if want := []string{
			"2 novembre 2025 | Entièrement accompagné·e | Aucun équipement | Non | Ne sait pas | Ne sait pas | Profil saisi par " + a.st.Mediator.DisplayName,
			"2 mars 2026 | Autonome | Smartphone | Oui | Oui | Oui | Profil saisi par " + a.st.Mediator.DisplayName,
			"9 mars 2026 | Partiellement autonome |  | Ne sait pas | Ne sait pas | Ne sait pas | Observé pendant une démarche",
		}; !slices.Equal(traj, want) {
			t.Errorf("trajectory =\n%q\nwant\n%q", traj, want)
		}
		if r.find(`details[open]`).Length() != 0 {
			t.Error("the autonomy form is open without error")
		}

		// The timeline: newest first, linking to the intervention.
		tl := ppTexts(r, "ol.timeline li")
		joined := strings.Join(tl, "\n")
		for _, want := range []string{"Démarche : CAF – Prime d'activité", "Accompagnement aux droits et aux démarches",
			"Accord : Partage avec un partenaire", "Autonomie numérique : Autonome", "Note de " + a.st.Mediator.DisplayName} {
			if !strings.Contains(joined, want) {
				t.Errorf("timeline lacks %q:\n%s", want, joined)
			}
		}
		if strings.Contains(joined, "Note privée de la coordination") {
			t.Errorf("the timeline shows the coordinator's private note:\n%s", joined)
		}
		if r.find(`ol.timeline a[href^="/interventions/"]`).Length() != 2 {
			t.Errorf("timeline links = %d, want 2 (the intervention and its procedure)", r.find(`ol.timeline a[href^="/interventions/"]`).Length())
		}
		if n := r.find("ol.timeline .badge").Length(); n != 1 {
			t.Errorf("%d private badges on the timeline, want 1", n)
		}

		// Notes: the mediator's private note is marked; the coordinator's
		// is not there.
		notes := ppTexts(r, "article.note")
		if len(notes) != 2 || !strings.Contains(notes[0], "Note privée de la médiatrice.") || !strings.Contains(notes[0], "visible par vous seul·e") ||
			!strings.Contains(notes[1], "Note visible de la médiatrice.") || strings.Contains(notes[1], "visible par vous seul") {
			t.Errorf("notes = %q", notes)
		}
		if strings.Contains(r.body, "Note privée de la coordination") {
			t.Error("the mediator sees the coordinator's private note")
		}
		r.wantContains(`label[for="f-private"]`, "Visible par moi seul·e")
		r.wantContains("#f-text-hint", "Écrivez des faits")

		// History: who changed what, field names only.
		hist := ppTexts(r, "#history ~ ul li")
		if len(hist) < 3 || !strings.Contains(hist[0], "Modification d'un dossier (phone)") || !strings.Contains(hist[0], a.st.Mediator.DisplayName) ||
			!strings.Contains(hist[len(hist)-1], "Création d'un dossier") {
			t.Errorf("history = %q", hist)
		}
		if strings.Contains(strings.Join(hist, " "), "04 78") {
			t.Errorf("history shows values: %q", hist)
		}

		// Merging is for coordinators and admins.
		if r.find(`form[action="`+ppPath(p.ID, "/merge")+`"]`).Length() != 0 {
			t.Error("the mediator is offered the merge")
		}
		for _, u := range []*maillon.User{a.st.Coordinator, a.st.Admin} {
			r := a.login(u).get(ppPath(p.ID, "")).wantStatus(http.StatusOK)
			checkA11y(t, "person page as "+string(u.Role), r)
			if r.find(`form[action="`+ppPath(p.ID, "/merge")+`"] input[name="other_id"]`).Length() != 1 {
				t.Errorf("%s: no merge form", u.Role)
			}
			if strings.Contains(r.body, "Note privée de la médiatrice") {
				t.Errorf("%s reads the mediator's private note", u.Role)
			}
			if u.Role == maillon.RoleCoordinateur && !strings.Contains(r.body, "Note privée de la coordination") {
				t.Error("the coordinator does not see their own private note")
			}
		}

		// Opening the page is audited.
		entries, _, err := a.db.FindAuditEntries(bg, actorOf(a.st.Admin), maillon.AuditFilter{Action: maillon.AuditPersonRead, ActorID: a.st.Mediator.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || entries[0].RecordID != int64(p.ID) {
			t.Errorf("read entries = %+v", entries)
		}
		// Unknown, malformed and other structures' files are not found.
		for _, path := range []string{"/people/987654", "/people/abc", "/people/0", "/people/-1", ppPath(p.ID, "/nope")} {
			c.get(path).wantStatus(http.StatusNotFound)
		}
		for _, suffix := range []string{"", "/edit", "/summary"} {
			r := a.login(a.other.Admin).get(ppPath(p.ID, suffix)).wantStatus(http.StatusNotFound)
			if strings.Contains(r.body, "Dupré") {
				t.Errorf("another structure sees the file at %s", suffix)
			}
		}
	})
}

func TestPersonEditAndUpdate(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		p := fx.helene
		c := a.login(a.st.Mediator)
		r := c.get(ppPath(p.ID, "/edit")).wantStatus(http.StatusOK)
		checkA11y(t, "edit person", r)
		r.wantContains("main h1", "Modifier le dossier de Hélène Dupré")
		if ppValue(r, "first_name") != "Hélène" || ppValue(r, "birth_year") != "1980" || ppValue(r, "phone") != "04 78 12 34 56" ||
			ppSelected(r, "place") != "z"+strconv.FormatInt(int64(fx.pentes.ID), 10) ||
			ppSelected(r, "referent_id") != strconv.FormatInt(int64(a.st.Mediator.ID), 10) ||
			ppSelected(r, "team_id") != strconv.FormatInt(int64(fx.team.ID), 10) ||
			!slices.Equal(ppChecked(r, "access_needs"), []string{"visuel"}) || len(ppChecked(r, "interpreter_needed")) != 1 ||
			ppValue(r, "access_text") != "Grands caractères" || ppSelected(r, "age_band") != "45_64" {
			t.Errorf("edit form not filled: %s", r.text("form"))
		}
		if r.find(`[name="consent_given"]`).Length() != 0 {
			t.Error("the edit form asks for the consent again")
		}
		if action := r.find(`main form[method="post"]`).AttrOr("action", ""); action != ppPath(p.ID, "") {
			t.Errorf("form action = %q", action)
		}

		form := url.Values{"first_name": {"Hélène"}, "last_name": {"Dupré-Martin"}, "birth_year": {"1980"}, "phone": {"06 11 22 33 44"},
			"place": {"c" + strconv.FormatInt(int64(fx.lyon.ID), 10)}, "referent_id": {strconv.FormatInt(int64(a.st.Coordinator.ID), 10)},
			"gender": {"femme"}, "access_needs": {"visuel", "moteur"}}
		c.post(ppPath(p.ID, ""), form).wantRedirect(ppPath(p.ID, ""))
		r = c.get(ppPath(p.ID, "")).wantFlash("Le dossier a été enregistré")
		r.wantContains("main h1", "Hélène Dupré-Martin")
		r.wantContains("main .summary-list", "06 11 22 33 44", "Lyon", "Femme", "Handicap moteur, Handicap visuel", a.st.Coordinator.DisplayName)
		if strings.Contains(r.text("main .summary-list"), "Pentes") || strings.Contains(r.text("main .summary-list"), "interprète") {
			t.Errorf("cleared fields still shown: %s", r.text("main .summary-list"))
		}
		if hist := ppTexts(r, "#history ~ ul li"); len(hist) == 0 ||
			!strings.Contains(hist[0], "(last_name, gender, phone, email, zone, languages, interpreter_needed, access_needs, access_text, referent, team)") {
			t.Errorf("history = %q", hist)
		}

		// Errors re-render the form with the values and the messages.
		form.Set("last_name", "")
		form.Set("first_name", "")
		form.Set("email", "pas une adresse")
		form.Set("referent_id", strconv.FormatInt(int64(a.other.Admin.ID), 10))
		r = c.post(ppPath(p.ID, ""), form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "edit person in error", r)
		r.wantFieldError("last_name", "Indiquez un nom")
		r.wantFieldError("email", "adresse e-mail valide")
		r.wantContains("main h1", "Modifier le dossier de Hélène Dupré-Martin")
		if ppValue(r, "email") != "pas une adresse" || !slices.Equal(ppChecked(r, "access_needs"), []string{"moteur", "visuel"}) {
			t.Errorf("values lost: %q %v", ppValue(r, "email"), ppChecked(r, "access_needs"))
		}
		// A referent of another structure is refused once the rest is valid.
		form.Set("last_name", "Dupré")
		form.Set("email", "")
		c.post(ppPath(p.ID, ""), form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("referent_id", "de la structure")
		form.Set("referent_id", "")
		form.Set("place", "z987654")
		c.post(ppPath(p.ID, ""), form).wantStatus(http.StatusUnprocessableEntity).wantFieldError("place", "territoire de la structure")
		if got := ppFile(t, a, a.st.Mediator, p.ID).Person; got.LastName != "Dupré-Martin" {
			t.Errorf("refused updates changed the file: %+v", got)
		}
		c.post("/people/987654", form).wantStatus(http.StatusNotFound)
		c.get("/people/987654/edit").wantStatus(http.StatusNotFound)
	})
}

func TestPersonArchiveAndRestore(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		p := fx.helene
		c := a.login(a.st.Mediator)
		r := c.get(ppPath(p.ID, ""))
		if r.find(`form[action="`+ppPath(p.ID, "/archive")+`"]`).Length() != 1 || r.find(`form[action="`+ppPath(p.ID, "/restore")+`"]`).Length() != 0 {
			t.Fatal("an open file offers to archive, not to restore")
		}
		c.post(ppPath(p.ID, "/archive"), nil).wantRedirect(ppPath(p.ID, ""))
		r = c.get(ppPath(p.ID, "")).wantFlash("Le dossier a été archivé")
		checkA11y(t, "archived file", r)
		r.wantContains("main .badge", "archivé")
		if r.find(`main a[href^="/interventions/new"]`).Length() != 0 {
			t.Error("an archived file offers a new intervention")
		}
		if r.find(`form[action="`+ppPath(p.ID, "/restore")+`"]`).Length() != 1 {
			t.Error("no restore button")
		}
		if slices.Contains(ppRows(c.get("/people")), "Hélène Dupré") || !slices.Contains(ppRows(c.get("/people?archived=on")), "Hélène Dupré") {
			t.Error("the archived file is in the wrong list")
		}
		c.post(ppPath(p.ID, "/restore"), nil).wantRedirect(ppPath(p.ID, ""))
		c.get(ppPath(p.ID, "")).wantFlash("Le dossier a été rouvert")

		// Withdrawing the dossier consent archives; restoring then needs a
		// new consent, and says so on the consent form.
		var dossier maillon.ConsentID
		for _, cs := range ppFile(t, a, a.st.Mediator, p.ID).Consents {
			dossier = cs.ID
		}
		c.post(ppPath(p.ID, "/consents/"+strconv.FormatInt(int64(dossier), 10)+"/withdraw"), nil).wantRedirect(ppPath(p.ID, ""))
		r = c.get(ppPath(p.ID, "")).wantFlash("Le retrait de l'accord a été enregistré")
		r.wantContains("main .badge", "archivé")
		r.wantContains("#consents-caption ~ tbody", "Retiré le 10 mars 2026")
		if r.find(`form[action$="/withdraw"]`).Length() != 0 {
			t.Error("a withdrawn consent can be withdrawn again")
		}
		r = c.post(ppPath(p.ID, "/restore"), nil).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "restore refused", r)
		r.wantFieldError("scope", "enregistrez d'abord un nouvel accord")
		c.post(ppPath(p.ID, "/consents"), url.Values{"scope": {"dossier"}, "method": {"oral"}, "date": {"2026-03-10"}}).wantRedirect(ppPath(p.ID, ""))
		c.post(ppPath(p.ID, "/restore"), nil).wantRedirect(ppPath(p.ID, ""))
		if ppFile(t, a, a.st.Mediator, p.ID).Person.Archived {
			t.Error("not restored")
		}
		c.post("/people/987654/archive", nil).wantStatus(http.StatusNotFound)
		c.post("/people/987654/restore", nil).wantStatus(http.StatusNotFound)
	})
}

func TestPersonPageForms(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		p := fx.helene
		c := a.login(a.st.Mediator)
		path := ppPath(p.ID, "")
		c.get(path)

		// Consent: errors on the consent form only.
		r := c.post(path+"/consents", url.Values{"scope": {""}, "method": {"signe"}, "date": {"2026-03-11"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "consent in error", r)
		r.wantFieldError("scope", "Choisissez l'objet")
		r.wantFieldError("method", "à l'oral ou par écrit")
		r.wantFieldError("date", "futur")
		if n := r.find(".error-summary li").Length(); n != 3 {
			t.Errorf("%d errors in the summary, want 3", n)
		}
		if ppValue(r, "date") != "2026-03-11" || r.find(`details[open]`).Length() != 0 {
			t.Errorf("consent form: date %q; autonomy form open: %d", ppValue(r, "date"), r.find(`details[open]`).Length())
		}
		// The dossier consent is in force already: a conflict, shown as an
		// error on the scope.
		r = c.post(path+"/consents", url.Values{"scope": {"dossier"}, "method": {"oral"}}).wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("scope", "déjà en vigueur")
		if !slices.Equal(ppChecked(r, "scope"), []string{"dossier"}) {
			t.Errorf("scope not kept: %v", ppChecked(r, "scope"))
		}
		c.post(path+"/consents", url.Values{"scope": {"institution"}, "method": {"ecrit"}, "date": {""}}).wantRedirect(path)
		c.get(path).wantFlash("L'accord a été enregistré").wantContains("#consents-caption ~ tbody", "Contact d'une institution en son nom")

		// Autonomy: the form opens with its errors and values.
		r = c.post(path+"/autonomy", url.Values{"assessed_at": {"2026-03-09"}, "equipment": {"aucun", "smartphone"}, "internet": {"oui"}}).
			wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "autonomy in error", r)
		r.wantFieldError("level", "niveau d'autonomie")
		r.wantFieldError("equipment", "Aucun équipement")
		if r.find(`details[open]`).Length() != 1 || !slices.Equal(ppChecked(r, "equipment"), []string{"smartphone", "aucun"}) ||
			!slices.Equal(ppChecked(r, "internet"), []string{"oui"}) || ppValue(r, "assessed_at") != "2026-03-09" {
			t.Errorf("autonomy form: open %d, equipment %v, internet %v, date %q", r.find(`details[open]`).Length(),
				ppChecked(r, "equipment"), ppChecked(r, "internet"), ppValue(r, "assessed_at"))
		}
		if r.find("#f-scope-error").Length() != 0 {
			t.Error("the consent form shows an error it did not have")
		}
		c.post(path+"/autonomy", url.Values{"assessed_at": {"2026-03-09"}, "level": {"2"}, "equipment": {"smartphone"}}).wantRedirect(path)
		r = c.get(path).wantFlash("Le profil d'autonomie numérique a été enregistré")
		r.wantContains("#autonomy ~ p", "Niveau le plus récent : Partiellement autonome.")
		c.post(path+"/autonomy", url.Values{"assessed_at": {"2026-03-10"}, "level": {"2"}}).wantRedirect(path)
		c.get(path).wantContains("#autonomy ~ p", "Partiellement autonome (stable depuis le 9 mars 2026)")
		c.post(path+"/autonomy", url.Values{"assessed_at": {"2026-03-10"}, "level": {"1"}}).wantRedirect(path)
		c.get(path).wantContains("#autonomy ~ p", "Entièrement accompagné·e (en recul depuis le 9 mars 2026)")

		// Notes.
		r = c.post(path+"/notes", url.Values{"text": {"   "}, "private": {"on"}}).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "note in error", r)
		r.wantFieldError("text", "Écrivez la note")
		if len(ppChecked(r, "private")) != 1 {
			t.Error("the private box was not kept")
		}
		long := strings.Repeat("a", maillon.MaxLongTextLen+1)
		c.post(path+"/notes", url.Values{"text": {long}}).wantStatus(http.StatusUnprocessableEntity).wantFieldError("text", "trop long")
		c.post(path+"/notes", url.Values{"text": {"Rendez-vous pris à la CAF.\nDeuxième ligne."}, "private": {"on"}}).wantRedirect(path)
		r = c.get(path).wantFlash("La note a été ajoutée")
		r.wantContains("article.note", "Rendez-vous pris à la CAF.", "visible par vous seul·e")
		if strings.Contains(a.login(a.st.Coordinator).get(path).body, "Rendez-vous pris à la CAF") {
			t.Error("the coordinator reads the private note")
		}
		// Unknown files are not found, whatever the form.
		for _, s := range []string{"/consents", "/autonomy", "/notes"} {
			c.post("/people/987654"+s, url.Values{"text": {"x"}, "level": {"1"}, "scope": {"partage"}, "method": {"oral"}}).wantStatus(http.StatusNotFound)
		}
	})
}

func TestConsentWithdrawal(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		med := actorOf(a.st.Mediator)
		if err := a.db.AddConsent(bg, med, fx.helene.ID, maillon.ConsentInput{Scope: "partage", Method: "oral"}); err != nil {
			t.Fatal(err)
		}
		var partage maillon.ConsentID
		for _, cs := range ppFile(t, a, a.st.Mediator, fx.helene.ID).Consents {
			if cs.Scope == "partage" {
				partage = cs.ID
			}
		}
		cid := strconv.FormatInt(int64(partage), 10)
		c := a.login(a.st.Mediator)
		c.get(ppPath(fx.helene.ID, ""))
		// Through another person's URL, or with a malformed or unknown
		// consent: not found, and nothing withdrawn.
		for _, path := range []string{
			ppPath(fx.marc.ID, "/consents/"+cid+"/withdraw"),
			ppPath(fx.helene.ID, "/consents/987654/withdraw"),
			ppPath(fx.helene.ID, "/consents/abc/withdraw"),
			ppPath(fx.helene.ID, "/consents/-1/withdraw"),
			"/people/987654/consents/" + cid + "/withdraw",
		} {
			c.post(path, nil).wantStatus(http.StatusNotFound)
		}
		a.login(a.other.Admin).post(ppPath(fx.helene.ID, "/consents/"+cid+"/withdraw"), nil).wantStatus(http.StatusNotFound)
		if !ppFile(t, a, a.st.Mediator, fx.helene.ID).HasConsent("partage") {
			t.Fatal("a refused withdrawal withdrew the consent")
		}
		c.post(ppPath(fx.helene.ID, "/consents/"+cid+"/withdraw"), nil).wantRedirect(ppPath(fx.helene.ID, ""))
		f := ppFile(t, a, a.st.Mediator, fx.helene.ID)
		if f.HasConsent("partage") || f.Person.Archived {
			t.Errorf("after withdrawing the sharing consent: %+v", f)
		}
		// Again: harmless.
		c.post(ppPath(fx.helene.ID, "/consents/"+cid+"/withdraw"), nil).wantRedirect(ppPath(fx.helene.ID, ""))
	})
}

func TestPersonMerge(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		dup := ppPerson(t, a, a.st.Mediator, ppInput("Helene", "DUPRE"))
		if err := a.db.AddNote(bg, actorOf(a.st.Mediator), dup.ID, maillon.NoteInput{Text: "Note du doublon."}); err != nil {
			t.Fatal(err)
		}
		stranger := ppPerson(t, a, a.other.Mediator, ppInput("Hélène", "Dupré"))
		keep := ppPath(fx.helene.ID, "")
		c := a.login(a.st.Coordinator)
		c.get(keep)
		for _, tc := range []struct {
			name, field, msg string
			form             url.Values
		}{
			{"no number", "other_id", "Indiquez le numéro", url.Values{"confirm": {"on"}}},
			{"not a number", "other_id", "Indiquez le numéro", url.Values{"other_id": {"abc"}, "confirm": {"on"}}},
			{"unknown number", "other_id", "Aucun dossier de la structure", url.Values{"other_id": {"987654"}, "confirm": {"on"}}},
			{"another structure's file", "other_id", "Aucun dossier de la structure", url.Values{"other_id": {strconv.FormatInt(int64(stranger.ID), 10)}, "confirm": {"on"}}},
			{"the same file", "other_id", "un autre dossier que celui-ci", url.Values{"other_id": {strconv.FormatInt(int64(fx.helene.ID), 10)}, "confirm": {"on"}}},
			{"not confirmed", "confirm", "Cochez la case", url.Values{"other_id": {strconv.FormatInt(int64(dup.ID), 10)}}},
		} {
			r := c.post(keep+"/merge", tc.form).wantStatus(http.StatusUnprocessableEntity)
			checkA11y(t, "merge: "+tc.name, r)
			r.wantFieldError(tc.field, tc.msg)
			if tc.form.Get("other_id") != "" && ppValue(r, "other_id") != tc.form.Get("other_id") {
				t.Errorf("%s: other_id not kept: %q", tc.name, ppValue(r, "other_id"))
			}
		}
		// An unknown file and another structure's are refused in the same
		// words.
		r1 := c.post(keep+"/merge", url.Values{"other_id": {"987654"}, "confirm": {"on"}})
		r2 := c.post(keep+"/merge", url.Values{"other_id": {strconv.FormatInt(int64(stranger.ID), 10)}, "confirm": {"on"}})
		if r1.text(".error-summary") != r2.text(".error-summary") {
			t.Errorf("another structure's file is told apart: %q vs %q", r1.text(".error-summary"), r2.text(".error-summary"))
		}
		// Mediators may not merge.
		m := a.login(a.st.Mediator)
		m.get(keep)
		m.post(keep+"/merge", url.Values{"other_id": {strconv.FormatInt(int64(dup.ID), 10)}, "confirm": {"on"}}).wantStatus(http.StatusForbidden)

		c.post(keep+"/merge", url.Values{"other_id": {strconv.FormatInt(int64(dup.ID), 10)}, "confirm": {"on"}}).wantRedirect(keep)
		r := c.get(keep).wantFlash("Les deux dossiers ont été fusionnés")
		r.wantContains("article.note", "Note du doublon.")
		if hist := ppTexts(r, "#history ~ ul li"); len(hist) == 0 || !strings.Contains(hist[0], "Fusion de deux dossiers") {
			t.Errorf("history = %q", hist)
		}
		c.get(ppPath(dup.ID, "")).wantStatus(http.StatusNotFound)
		if _, err := a.db.FindPersonFile(bg, actorOf(a.other.Admin), stranger.ID); err != nil {
			t.Errorf("the other structure's file: %v", err)
		}
	})
}

func TestPersonSummary(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		if err := a.db.UpdateStructure(bg, actorOf(a.st.Admin), a.st.ID, maillon.StructureInput{Name: "Médiation Test",
			Phone: "04 72 00 00 00", Email: "contact@mediation.fr",
			Address: maillon.Address{Line: "3 rue des Lilas", PostalCode: "69001", City: "Lyon"}}); err != nil {
			t.Fatal(err)
		}
		p := ppRichFile(t, a, fx)
		med := actorOf(a.st.Mediator)
		// An old intervention (over six months) and a done follow-up are
		// left out.
		old, err := a.db.CreateIntervention(bg, med, maillon.InterventionInput{Date: "2025-06-01", Time: "10:00", Minutes: "30",
			Mediators: []maillon.UserID{a.st.Mediator.ID}, PlaceType: "permanence", Registre: "conflit", Initiative: "personne",
			Persons: []maillon.PersonID{p.ID}, NextStep: "Étape ancienne", Documents: "Document ancien", FollowUpOn: "2025-06-10"})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.db.SetFollowUpDone(bg, med, old.ID, true); err != nil {
			t.Fatal(err)
		}
		c := a.login(a.st.Mediator)
		r := c.get(ppPath(p.ID, "/summary")).wantStatus(http.StatusOK)
		checkA11y(t, "summary", r)
		r.wantContains("main h1", "Votre accompagnement")
		r.wantContains("main", "Hélène Dupré – document remis le 10 mars 2026 par Médiation Test")
		done := ppTexts(r, "h2:contains('Ce que nous avons fait') + ul li")
		if want := []string{
			"Le 9 mars 2026 : Démarche : CAF – Prime d'activité (Faire avec la personne · Réalisée).",
			"Le 9 mars 2026 : Nous vous avons aidé·e dans vos démarches.",
		}; !slices.Equal(done, want) {
			t.Errorf("what we did = %q, want %q", done, want)
		}
		if next := ppTexts(r, "h2:contains('Vos prochaines étapes') + ul li"); !slices.Equal(next, []string{"Le 20 mars 2026 : Envoyer l'avis d'imposition à la CAF"}) {
			t.Errorf("next steps = %q", next)
		}
		if docs := ppTexts(r, "h2:contains('Documents à apporter') + ul li"); !slices.Equal(docs, []string{"Avis d'imposition 2025"}) {
			t.Errorf("documents = %q", docs)
		}
		contacts := ppTexts(r, "h2:contains('Nous contacter') + ul li")
		if want := []string{"Médiation Test", "3 rue des Lilas, 69001 Lyon", "Téléphone : 04 72 00 00 00", "E-mail : contact@mediation.fr",
			"Votre médiateur ou médiatrice : " + a.st.Mediator.DisplayName}; !slices.Equal(contacts, want) {
			t.Errorf("contacts = %q, want %q", contacts, want)
		}
		// Nothing internal: no note, no description, no old step, no
		// history.
		for _, secret := range []string{"Note visible", "Note privée", "Description interne", "Étape ancienne", "Document ancien",
			"conflit", "Modification", "Dossier n°"} {
			if strings.Contains(r.text("main"), secret) {
				t.Errorf("the summary shows %q", secret)
			}
		}
		if r.find(".plain-summary").Length() != 1 || r.find(`.no-print a[href="`+ppPath(p.ID, "")+`"]`).Length() != 1 {
			t.Error("no printable block or no way back to the file")
		}
		// A file with nothing yet says so plainly.
		r = c.get(ppPath(fx.marc.ID, "/summary")).wantStatus(http.StatusOK)
		r.wantContains("main", "Nous n'avons encore rien noté", "Pas de rendez-vous prévu", "Rien de particulier")
		checkA11y(t, "empty summary", r)
		c.get("/people/987654/summary").wantStatus(http.StatusNotFound)
	})
}

// TestPeoplePagesOfAnotherStructure checks every people page and action
// of a.st's file as each role of another structure: not found, nothing
// shown, nothing changed.
func TestPeoplePagesOfAnotherStructure(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		p := ppRichFile(t, a, fx)
		before := ppFile(t, a, a.st.Admin, p.ID)
		cid := strconv.FormatInt(int64(before.Consents[0].ID), 10)
		for _, u := range []*maillon.User{a.other.Mediator, a.other.Coordinator, a.other.Admin} {
			c := a.login(u)
			for _, path := range []string{"", "/edit", "/summary"} {
				r := c.get(ppPath(p.ID, path)).wantStatus(http.StatusNotFound)
				if strings.Contains(r.body, "Dupré") {
					t.Errorf("%s sees the file at %s", u.Role, path)
				}
			}
			for path, form := range map[string]url.Values{
				"":                               {"first_name": {"Pirate"}},
				"/archive":                       nil,
				"/restore":                       nil,
				"/consents":                      {"scope": {"institution"}, "method": {"oral"}},
				"/consents/" + cid + "/withdraw": nil,
				"/autonomy":                      {"level": {"1"}},
				"/notes":                         {"text": {"Pirate"}},
				"/merge":                         {"other_id": {strconv.FormatInt(int64(fx.marc.ID), 10)}, "confirm": {"on"}},
			} {
				r := c.post(ppPath(p.ID, path), form)
				want := http.StatusNotFound
				if path == "/merge" && u.Role == maillon.RoleMediateur {
					want = http.StatusForbidden
				}
				if r.status != want {
					t.Errorf("%s: POST %s: status %d, want %d", u.Role, path, r.status, want)
				}
			}
			list := c.get("/people?q=dupre").wantStatus(http.StatusOK)
			if rows := ppRows(list); len(rows) != 1 {
				t.Errorf("%s searching: %q (only their own namesake)", u.Role, rows)
			}
			if strings.Contains(list.body, ppPath(p.ID, "")) {
				t.Errorf("%s: the list links to a.st's file", u.Role)
			}
		}
		after := ppFile(t, a, a.st.Admin, p.ID)
		if after.Person.LastName != before.Person.LastName || after.Person.Archived || len(after.Consents) != len(before.Consents) ||
			!after.HasConsent(maillon.ConsentDossier) || len(after.Notes) != len(before.Notes) || len(after.Autonomy) != len(before.Autonomy) {
			t.Errorf("refused requests changed the file")
		}
		if _, err := a.db.FindPersonFile(bg, actorOf(a.st.Admin), fx.marc.ID); err != nil {
			t.Errorf("the merge target was removed: %v", err)
		}
	})
}

// TestPeopleListMalformedQueries sends the malformed query strings of
// malformed_test.go to the people list: never a server error.
func TestPeopleListMalformedQueries(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newPPFixture(t, a)
		c := a.login(a.st.Mediator)
		fields := []string{"q", "mine", "referent", "team", "place", "archived", "sort", "page"}
		valid := url.Values{"q": {"hélène"}, "mine": {"on"}, "referent": {strconv.FormatInt(int64(a.st.Mediator.ID), 10)},
			"team": {strconv.FormatInt(int64(fx.team.ID), 10)}, "place": {"z" + strconv.FormatInt(int64(fx.pentes.ID), 10)},
			"sort": {"contact"}, "page": {"1"}}
		if rows := ppRows(c.get("/people?" + valid.Encode()).wantStatus(http.StatusOK)); !slices.Equal(rows, []string{"Hélène Dupré"}) {
			t.Fatalf("valid query lists %q", rows)
		}
		n := 0
		for _, v := range malVariants(fields, valid, true) {
			r := malSend(c, http.MethodGet, "/people", v)
			malCheck(t, "GET /people: "+v.name, r, v.want, false)
			if r.status == http.StatusUnprocessableEntity {
				checkA11y(t, "GET /people: "+v.name, r)
			}
			n++
		}
		t.Logf("%d malformed queries", n)
		if strings.Contains(a.logs.String(), "level=ERROR") {
			t.Errorf("errors logged:\n%s", malErrorLines(a.logs.String()))
		}
	})
}
