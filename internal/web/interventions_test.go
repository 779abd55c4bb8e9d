package web_test

import (
	"fmt"
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

// ivID formats an ID for a form value.
func ivID[T ~int64](id T) string { return strconv.FormatInt(int64(id), 10) }

// ivMustPerson creates a person of u's structure with the dossier consent.
func ivMustPerson(t testing.TB, a *app, u *maillon.User, first, last string) *maillon.Person {
	t.Helper()
	p, err := a.db.CreatePerson(bg, actorOf(u), maillon.PersonInput{FirstName: first, LastName: last, ConsentGiven: true, ConsentMethod: "oral"})
	if err != nil {
		t.Fatalf("create person %s %s: %v", first, last, err)
	}
	return p
}

// ivMustIntervention records an intervention directly in the store.
func ivMustIntervention(t testing.TB, a *app, u *maillon.User, in maillon.InterventionInput) *maillon.Intervention {
	t.Helper()
	if in.Date == "" {
		in.Date = "2026-03-09"
	}
	if in.Time == "" {
		in.Time = "10:00"
	}
	if in.Minutes == "" {
		in.Minutes = "30"
	}
	if in.Mediators == nil {
		in.Mediators = []maillon.UserID{u.ID}
	}
	if in.PlaceType == "" {
		in.PlaceType = "permanence"
	}
	if in.Registre == "" {
		in.Registre = "accueil"
	}
	iv, err := a.db.CreateIntervention(bg, actorOf(u), in)
	if err != nil {
		t.Fatalf("create intervention: %v", err)
	}
	return iv
}

// ivCatalogueEntry returns the ID of an active catalogue entry.
func ivCatalogueEntry(t testing.TB, a *app, u *maillon.User, organisme, label string) maillon.ProcedureTypeID {
	t.Helper()
	types, err := a.db.FindProcedureTypes(bg, actorOf(u), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range types {
		if pt.Organisme == organisme && pt.Label == label {
			return pt.ID
		}
	}
	t.Fatalf("no catalogue entry %s / %s", organisme, label)
	return 0
}

// newAzInterventionFixtures adds to the authorisation matrix fixtures an
// intervention of a.st naming a person, with a follow-up and a procedure.
func newAzInterventionFixtures(t *testing.T, fx *azFixtures) {
	t.Helper()
	a := fx.a
	p := ivMustPerson(t, a, a.st.Admin, "Zoé", "Marqueur-Dossier")
	fx.ivPerson = int64(p.ID)
	fx.procType = int64(ivCatalogueEntry(t, a, a.st.Admin, "caf", "Demande de RSA"))
	iv := ivMustIntervention(t, a, a.st.Admin, maillon.InterventionInput{
		Mediators: []maillon.UserID{a.st.Mediator.ID}, Persons: []maillon.PersonID{p.ID},
		Description: "Description Marqueur", FollowUpOn: "2026-03-20",
		Procedures: []maillon.ProcedureInput{{Organisme: "caf", TypeID: maillon.ProcedureTypeID(fx.procType), Channel: "en_ligne", Mode: "faire_avec"}},
	})
	fx.intervention = int64(iv.ID)
	fx.markers = append(fx.markers, "Marqueur-Dossier", "Description Marqueur")
}

// azInterventionForm is a valid intervention form naming a.st's mediator
// and person.
func azInterventionForm(fx *azFixtures) url.Values {
	return url.Values{"date": {"2026-03-09"}, "time": {"15:00"}, "minutes": {"45"},
		"mediators": {ivID(fx.a.st.Mediator.ID)}, "place_type": {"permanence"}, "registre": {"acces_droits"},
		"persons": {strconv.FormatInt(fx.ivPerson, 10)}, "description": {"Saisie du test"}, "follow_up_on": {"2026-03-20"},
		"proc0_organisme": {"caf"}, "proc0_label": {"Demande"}, "proc0_channel": {"guichet"}, "proc0_mode": {"faire_avec"}}
}

// ivFixture is a structure ready for interventions: a territory, a team,
// a colleague, people in every state, and one of another structure.
type ivFixture struct {
	commune     *maillon.Commune
	zone        *maillon.Zone
	team        *maillon.Team
	colleague   *maillon.User // a mediator of the team
	person      *maillon.Person
	withdrawn   *maillon.Person // dossier consent withdrawn
	archived    *maillon.Person
	otherPerson *maillon.Person // of a.other
	rsa         maillon.ProcedureTypeID
	vitale      maillon.ProcedureTypeID // a CPAM entry
}

func newIvFixture(t *testing.T, a *app) *ivFixture {
	t.Helper()
	fx := &ivFixture{}
	admin := a.st.Admin
	fx.commune = mustCommune(t, a, admin, "69259", "Vénissieux")
	fx.zone = mustZone(t, a, admin, fx.commune.ID, "Minguettes", "QN06901M")
	fx.team = mustTeam(t, a, admin, "Équipe Nord")
	fx.colleague = mustUser(t, a, admin, "Karim Binôme", "karim@exemple.fr", maillon.RoleMediateur, fx.team.ID)
	fx.person = ivMustPerson(t, a, admin, "Awa", "Diallo")
	fx.withdrawn = ivMustPerson(t, a, admin, "Paul", "Retiré")
	file, err := a.db.FindPersonFile(bg, actorOf(admin), fx.withdrawn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.WithdrawConsent(bg, actorOf(admin), file.Consents[0].ID); err != nil {
		t.Fatal(err)
	}
	fx.archived = ivMustPerson(t, a, admin, "Lina", "Archivée")
	if err := a.db.SetPersonArchived(bg, actorOf(admin), fx.archived.ID, true); err != nil {
		t.Fatal(err)
	}
	fx.otherPerson = ivMustPerson(t, a, a.other.Admin, "Hugo", "Ailleurs")
	fx.rsa = ivCatalogueEntry(t, a, admin, "caf", "Demande de RSA")
	fx.vitale = ivCatalogueEntry(t, a, admin, "cpam", "Carte Vitale")
	return fx
}

// ivFullForm fills every kind of field of the intervention form.
func ivFullForm(a *app, fx *ivFixture) url.Values {
	return url.Values{
		"date": {"2026-03-09"}, "time": {"18:45"}, "minutes": {"50"},
		"mediators":  {ivID(a.st.Mediator.ID), ivID(fx.colleague.ID)},
		"place_type": {"domicile"}, "place": {"z" + ivID(fx.zone.ID)}, "place_label": {"Bâtiment B"},
		"registre": {"acces_droits"}, "registres": {"orientation", "mediation_institution"},
		"themes": {"logement", "numerique"}, "initiative": {"mediation"},
		"persons":   {ivID(fx.person.ID)},
		"anon0_age": {"26_44"}, "anon0_gender": {"femme"}, "anon0_count": {"2"},
		"anon1_age": {"65_plus"}, "anon1_gender": {"homme"}, "anon1_count": {"1"},
		"anon2_age": {"non_precise"}, "anon2_gender": {"non_precise"}, "anon2_count": {""},
		"institutions": {"CAF, bailleur"}, "commanditaire": {"Ville de Vénissieux"},
		"description": {"Aide à la demande d'aide au logement."}, "outcome": {"oriente"},
		"next_step": {"Rappeler la CAF"}, "documents": {"Avis d'imposition"}, "follow_up_on": {"2026-03-16"},
		"proc0_organisme": {"caf"}, "proc0_type_id": {ivID(fx.rsa)}, "proc0_label": {"avec sa fille"},
		"proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_pour"}, "proc0_mandate": {"on"},
		"proc0_obstacles": {"identification", "numerisation"}, "proc0_outcome": {"attente"}, "proc0_autonomy_level": {"1"},
	}
}

// ivMinimalForm is the smallest valid form.
func ivMinimalForm(a *app) url.Values {
	return url.Values{"date": {"2026-03-10"}, "time": {"09:00"}, "minutes": {"30"},
		"mediators": {ivID(a.st.Mediator.ID)}, "place_type": {"permanence"}, "registre": {"accueil"}}
}

// ivCreatedID reads the intervention ID of a creation's redirect.
func ivCreatedID(t *testing.T, r *response) maillon.InterventionID {
	t.Helper()
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; main: %.800s", r.status, r.text("main"))
	}
	loc := r.header.Get("Location")
	id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/interventions/"), 10, 64)
	if err != nil {
		t.Fatalf("redirect to %q", loc)
	}
	return maillon.InterventionID(id)
}

// ivChecked lists the values of the checked inputs named name.
func ivChecked(r *response, name string) []string {
	var out []string
	r.find(`input[name="` + name + `"][checked]`).Each(func(_ int, s *goquery.Selection) { out = append(out, s.AttrOr("value", "")) })
	return out
}

// ivSelected is the selected value of the select named name.
func ivSelected(r *response, name string) string {
	return r.find(`select[name="`+name+`"] option[selected]`).AttrOr("value", "")
}

// ivFormValues reads the values a browser would send with the form of
// the page whose action is action.
func ivFormValues(r *response, action string) url.Values {
	v := url.Values{}
	form := r.find(`form[action="` + action + `"]`)
	form.Find("input[name], textarea[name]").Each(func(_ int, s *goquery.Selection) {
		name := s.AttrOr("name", "")
		switch s.AttrOr("type", "text") {
		case "checkbox", "radio":
			if _, ok := s.Attr("checked"); ok {
				v.Add(name, s.AttrOr("value", "on"))
			}
		default:
			if s.Is("textarea") {
				v.Add(name, s.Text())
			} else {
				v.Add(name, s.AttrOr("value", ""))
			}
		}
	})
	form.Find("select[name]").Each(func(_ int, s *goquery.Selection) {
		opt := s.Find("option[selected]")
		if opt.Length() == 0 {
			opt = s.Find("option").First()
		}
		v.Add(s.AttrOr("name", ""), opt.AttrOr("value", ""))
	})
	return v
}

func TestInterventionNewFormDefaultsAndPersonPrefill(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		c := a.login(a.st.Mediator)
		// 10:32 in Paris: the time is rounded down to 10:30.
		a.db.Clock.Set(time.Date(2026, 3, 10, 10, 32, 0, 0, maillon.Paris))
		q := url.Values{"person": {ivID(fx.person.ID), ivID(fx.otherPerson.ID), ivID(fx.withdrawn.ID), "999999", "abc"}}
		r := c.get("/interventions/new?" + q.Encode()).wantStatus(http.StatusOK)
		checkA11y(t, "new intervention form", r)
		if v := r.find("#f-date").AttrOr("value", ""); v != "2026-03-10" {
			t.Errorf("date = %q", v)
		}
		if v := r.find("#f-time").AttrOr("value", ""); v != "10:30" {
			t.Errorf("time = %q", v)
		}
		if v := r.find("#f-minutes").AttrOr("value", ""); v != "30" {
			t.Errorf("minutes = %q", v)
		}
		if got := ivChecked(r, "mediators"); !slices.Equal(got, []string{ivID(a.st.Mediator.ID)}) {
			t.Errorf("mediators checked = %v, want the actor only", got)
		}
		if got := ivChecked(r, "initiative"); !slices.Equal(got, []string{"personne"}) {
			t.Errorf("initiative = %v", got)
		}
		// The person of the link is pre-checked and named; other IDs are
		// ignored, the person without a file is named in a warning.
		if got := ivChecked(r, "persons"); !slices.Equal(got, []string{ivID(fx.person.ID)}) {
			t.Errorf("persons checked = %v", got)
		}
		r.wantContains("#f-persons", "Awa Diallo", "Chercher une personne")
		if r.find(`#f-persons a[href="/people"]`).Length() != 1 {
			t.Error("no link to search people")
		}
		r.wantContains(".notice--warning", "Paul Retiré", "anonyme")
		if strings.Contains(r.body, "Hugo") {
			t.Error("the form names a person of another structure")
		}
		// Required fields come first and say so.
		labels := r.find("main form.stack").Text()
		if i, j := strings.Index(labels, "Type principal d'intervention"), strings.Index(labels, "Commune ou quartier"); i < 0 || j < i {
			t.Error("required fields do not come first")
		}
		if n := r.find(".required").Length(); n < 6 {
			t.Errorf("%d fields marked required, want at least 6", n)
		}
		// Three anonymous lines, one procedure block in a fieldset whose
		// catalogue select groups entries by organisme.
		for i := range 3 {
			for _, f := range []string{"age", "gender", "count"} {
				if r.find(fmt.Sprintf(`[name="anon%d_%s"]`, i, f)).Length() != 1 {
					t.Errorf("no field anon%d_%s", i, f)
				}
			}
		}
		if r.find(`[name="anon3_count"]`).Length() != 0 {
			t.Error("more than three anonymous lines on a new form")
		}
		proc := r.find("fieldset.procedure")
		if proc.Length() != 1 || !strings.Contains(proc.ChildrenFiltered("legend").Text(), "Démarche accompagnée") {
			t.Fatalf("%d procedure blocks", proc.Length())
		}
		if v := r.find(`select[name="proc0_organisme"] option`).First(); v.AttrOr("value", "x") != "" || !strings.Contains(v.Text(), "Aucune") {
			t.Errorf("first organisme option = %q", v.Text())
		}
		if r.find(`select[name="proc0_type_id"] optgroup[label="CAF"] option[value="`+ivID(fx.rsa)+`"]`).Length() != 1 {
			t.Error("the RSA entry is not in the CAF group")
		}
		if r.find(`input[name="proc0_mode"]`).Length() != 3 {
			t.Error("the mode is not three radios")
		}
		r.wantContains("#f-proc0-mandate-hint", "identifiants", "jamais enregistrés")
		r.wantContains("#f-description-hint", maillon.FactualHint)
		// One person named: no need to say whose procedure it is.
		if r.find(`[name="proc0_person_id"]`).Length() != 0 {
			t.Error("person select shown with one person")
		}
		two := c.get("/interventions/new?person=" + ivID(fx.person.ID) + "&person=" + ivID(ivMustPerson(t, a, a.st.Admin, "Omar", "Second").ID))
		if two.find(`select[name="proc0_person_id"] option`).Length() != 3 {
			t.Error("person select missing with two people")
		}
	})
}

func TestInterventionCreateWithEveryField(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		c := a.login(a.st.Mediator)
		c.get("/interventions/new")
		r := c.post("/interventions", ivFullForm(a, fx))
		id := ivCreatedID(t, r)
		show := c.get(r.header.Get("Location")).wantStatus(http.StatusOK).wantFlash("enregistrée")

		iv, err := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), id)
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 3, 9, 18, 45, 0, 0, maillon.Paris); !iv.StartAt.Equal(want) || iv.Minutes != 50 || !iv.OutsideHours {
			t.Errorf("start %v, %d min, outside hours %v", iv.StartAt, iv.Minutes, iv.OutsideHours)
		}
		if got := slices.Sorted(slices.Values(iv.Mediators)); !slices.Equal(got, slices.Sorted(slices.Values([]maillon.UserID{a.st.Mediator.ID, fx.colleague.ID}))) {
			t.Errorf("mediators %v", got)
		}
		if iv.PlaceType != "domicile" || iv.CommuneID != fx.commune.ID || iv.ZoneID != fx.zone.ID || iv.PlaceLabel != "Bâtiment B" {
			t.Errorf("place %q %d %d %q", iv.PlaceType, iv.CommuneID, iv.ZoneID, iv.PlaceLabel)
		}
		if iv.Registre != "acces_droits" || !slices.Equal(iv.Registres, []string{"mediation_institution", "orientation"}) ||
			!slices.Equal(iv.Themes, []string{"logement", "numerique"}) || iv.Initiative != "mediation" {
			t.Errorf("types %q %v, themes %v, initiative %q", iv.Registre, iv.Registres, iv.Themes, iv.Initiative)
		}
		if len(iv.Persons) != 1 || iv.Persons[0].ID != fx.person.ID {
			t.Errorf("persons %v", iv.Persons)
		}
		if want := []maillon.AnonymousCount{{AgeBand: "26_44", Gender: "femme", Count: 2}, {AgeBand: "65_plus", Gender: "homme", Count: 1}}; !slices.Equal(iv.Anonymous, want) {
			t.Errorf("anonymous %v", iv.Anonymous)
		}
		if iv.Institutions != "CAF, bailleur" || iv.Commanditaire != "Ville de Vénissieux" || iv.Description != "Aide à la demande d'aide au logement." ||
			iv.Outcome != "oriente" || iv.NextStep != "Rappeler la CAF" || iv.Documents != "Avis d'imposition" ||
			!iv.FollowUpOn.Equal(time.Date(2026, 3, 16, 0, 0, 0, 0, maillon.Paris)) || iv.FollowUpDone {
			t.Errorf("texts and follow-up: %+v", iv)
		}
		if len(iv.Procedures) != 1 {
			t.Fatalf("%d procedures", len(iv.Procedures))
		}
		p := iv.Procedures[0]
		if p.Organisme != "caf" || p.TypeID != fx.rsa || p.Label != "avec sa fille" || p.Channel != "en_ligne" || p.Mode != "faire_pour" ||
			!p.Mandate || p.Outcome != "attente" || p.AutonomyLevel != 1 || p.PersonID != fx.person.ID {
			t.Errorf("procedure %+v", p)
		}
		if got := slices.Sorted(slices.Values(p.Obstacles)); !slices.Equal(got, []string{"identification", "numerisation"}) {
			t.Errorf("obstacles %v", got)
		}
		// The level observed extends the person's trajectory.
		file, err := a.db.FindPersonFile(bg, actorOf(a.st.Admin), fx.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(file.Autonomy) != 1 || file.Autonomy[0].Level != 1 {
			t.Errorf("autonomy trajectory %+v", file.Autonomy)
		}

		// The record shows everything in French.
		checkA11y(t, "intervention page", show)
		show.wantContains("h1", "Intervention du 9 mars 2026 à 18 h 45")
		show.wantContains("main", "Hors horaires", "Accompagnement aux droits et aux démarches", "lundi 9 mars 2026, de 18 h 45 à 19 h 35",
			"Orientation, mise en relation", "Médiation personne ↔ institution", "Logement, Numérique", "Domicile – Vénissieux – Minguettes, Bâtiment B",
			"La médiation (aller vers)", "2 (26 à 44 ans, Femme) ; 1 (65 ans et plus, Homme)", "CAF, bailleur", "Ville de Vénissieux",
			"Orienté vers un partenaire", "Rappeler la CAF", "Avis d'imposition", "Aide à la demande d'aide au logement.",
			"Relance le lundi 16 mars 2026", "CAF – Demande de RSA (avec sa fille)", "En ligne",
			"Faire pour la personne – sous mandat Aidants Connect", "Identification / FranceConnect, Document à numériser",
			"En attente auprès de l'institution", "Entièrement accompagné·e", "Karim Binôme")
		if show.find(`a[href="/people/`+ivID(fx.person.ID)+`"]`).Length() == 0 {
			t.Error("no link to the person")
		}
		if show.find(`a[href="/interventions/`+ivID(id)+`/edit"]`).Length() != 1 {
			t.Error("no Modifier link for a mediator of the intervention")
		}
	})
}

func TestInterventionValidation(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		c := a.login(a.st.Mediator)
		c.get("/interventions/new")
		with := func(changes url.Values) url.Values {
			f := ivMinimalForm(a)
			for k, v := range changes {
				f[k] = v
			}
			return f
		}
		for _, tc := range []struct {
			name, field, msg string
			form             url.Values
		}{
			{"future date", "date", "plus d'un jour", with(url.Values{"date": {"2026-03-12"}})},
			{"malformed date", "date", "jj/mm/aaaa", with(url.Values{"date": {"10/03/2026"}})},
			{"no time", "time", "heure", with(url.Values{"time": {""}})},
			{"zero duration", "minutes", "au moins une minute", with(url.Values{"minutes": {"0"}})},
			{"negative duration", "minutes", "au moins une minute", with(url.Values{"minutes": {"-5"}})},
			{"huge duration", "minutes", "12 heures", with(url.Values{"minutes": {"721"}})},
			{"duration not a number", "minutes", "en minutes", with(url.Values{"minutes": {"une heure"}})},
			{"no mediator", "mediators", "au moins un", with(url.Values{"mediators": nil})},
			{"mediator of another structure", "mediators", "membres actifs", with(url.Values{"mediators": {ivID(a.other.Mediator.ID)}})},
			{"no place type", "place_type", "type de lieu", with(url.Values{"place_type": {"lune"}})},
			{"unknown registre", "registre", "type principal", with(url.Values{"registre": {"inconnu"}})},
			{"unknown theme", "themes", "thématiques", with(url.Values{"themes": {"logement", "astrologie"}})},
			{"unknown quartier", "place", "quartier", with(url.Values{"place": {"z999999"}})},
			{"malformed place", "place", "lieu", with(url.Values{"place": {"x12"}})},
			{"person without dossier consent", "persons", "accord", with(url.Values{"persons": {ivID(fx.withdrawn.ID)}})},
			{"archived person", "persons", "archivé", with(url.Values{"persons": {ivID(fx.archived.ID)}})},
			{"person of another structure", "persons", "n'existe pas", with(url.Values{"persons": {ivID(fx.otherPerson.ID)}})},
			{"anonymous count not a number", "anonymous", "entre 0 et 500", with(url.Values{"anon0_count": {"beaucoup"}})},
			{"anonymous count too high", "anonymous", "entre 0 et 500", with(url.Values{"anon0_age": {"16_25"}, "anon0_gender": {"femme"}, "anon0_count": {"501"}})},
			{"follow-up before the intervention", "follow_up_on", "précéder", with(url.Values{"follow_up_on": {"2026-03-01"}})},
			{"description too long", "description", "", with(url.Values{"description": {strings.Repeat("a", 5001)}})},
			{"procedure without organisme", "proc0_organisme", "organisme", with(url.Values{"proc0_label": {"Une démarche"}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}})},
			{"procedure without label", "proc0_label", "décrivez", with(url.Values{"proc0_organisme": {"caf"}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}})},
			{"procedure without channel", "proc0_channel", "canal", with(url.Values{"proc0_organisme": {"caf"}, "proc0_label": {"x"}, "proc0_mode": {"faire_avec"}})},
			{"procedure without mode", "proc0_mode", "réalisé", with(url.Values{"proc0_organisme": {"caf"}, "proc0_label": {"x"}, "proc0_channel": {"en_ligne"}})},
			{"catalogue entry of another organisme", "proc0_type_id", "cet organisme", with(url.Values{"proc0_organisme": {"caf"}, "proc0_type_id": {ivID(fx.vitale)}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}})},
			{"malformed catalogue entry", "proc0_type_id", "catalogue", with(url.Values{"proc0_organisme": {"caf"}, "proc0_type_id": {"abc"}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}})},
			{"unknown autonomy level", "proc0_autonomy_level", "autonomie", with(url.Values{"proc0_organisme": {"caf"}, "proc0_label": {"x"}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}, "proc0_autonomy_level": {"7"}})},
			{"procedure person not named", "proc0_person_id", "personnes de l'intervention", with(url.Values{"proc0_organisme": {"caf"}, "proc0_label": {"x"}, "proc0_channel": {"en_ligne"}, "proc0_mode": {"faire_avec"}, "proc0_person_id": {ivID(fx.person.ID)}})},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.post("/interventions", tc.form).wantStatus(http.StatusUnprocessableEntity)
				r.wantFieldError(tc.field, tc.msg)
				if !strings.HasPrefix(r.text("title"), "Erreur : ") {
					t.Errorf("title %q", r.text("title"))
				}
			})
		}
		if _, n, err := a.db.FindInterventions(bg, actorOf(a.st.Admin), maillon.InterventionFilter{}); err != nil || n != 0 {
			t.Errorf("refused forms stored %d interventions (%v)", n, err)
		}

		// Values are kept, checkbox groups too, and the error state is
		// accessible.
		form := ivFullForm(a, fx)
		form.Set("minutes", "0")
		r := c.post("/interventions", form).wantStatus(http.StatusUnprocessableEntity)
		checkA11y(t, "intervention form in error", r)
		r.wantFieldError("minutes", "au moins une minute")
		if got := slices.Sorted(slices.Values(ivChecked(r, "mediators"))); !slices.Equal(got, slices.Sorted(slices.Values(form["mediators"]))) {
			t.Errorf("mediators kept %v", got)
		}
		for _, name := range []string{"themes", "registres", "persons", "proc0_obstacles", "place_type", "initiative", "proc0_mode", "proc0_mandate"} {
			got := ivChecked(r, name)
			want := form[name]
			if name == "proc0_mandate" {
				want = []string{"on"}
			}
			if !slices.Equal(slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))) {
				t.Errorf("%s kept %v, want %v", name, got, want)
			}
		}
		for _, name := range []string{"place", "registre", "outcome", "anon0_age", "anon1_gender", "proc0_organisme", "proc0_type_id", "proc0_channel", "proc0_outcome", "proc0_autonomy_level"} {
			if got := ivSelected(r, name); got != form.Get(name) {
				t.Errorf("%s kept %q, want %q", name, got, form.Get(name))
			}
		}
		for _, name := range []string{"date", "time", "place_label", "anon0_count", "institutions", "commanditaire", "next_step", "documents", "follow_up_on", "proc0_label"} {
			if got := r.find(`input[name="`+name+`"]`).AttrOr("value", ""); got != form.Get(name) {
				t.Errorf("%s kept %q, want %q", name, got, form.Get(name))
			}
		}
		if got := r.find(`textarea[name="description"]`).Text(); got != form.Get("description") {
			t.Errorf("description kept %q", got)
		}
		r.wantContains("#f-persons", "Awa Diallo")

		// A procedure entered in a later block is reported on the block
		// shown again, renumbered from the first.
		r = c.post("/interventions", with(url.Values{"proc2_organisme": {"caf"}, "proc2_channel": {"en_ligne"}, "proc2_mode": {"faire_avec"}})).
			wantStatus(http.StatusUnprocessableEntity)
		r.wantFieldError("proc0_label", "décrivez")
		if ivSelected(r, "proc0_organisme") != "caf" || r.find(`[name="proc2_organisme"]`).Length() != 0 {
			t.Errorf("procedure block not renumbered: proc0_organisme=%q", ivSelected(r, "proc0_organisme"))
		}
		checkA11y(t, "procedure error", r)
	})
}

func TestInterventionEditAccess(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{
			Persons: []maillon.PersonID{fx.person.ID}, FollowUpOn: "2026-03-12",
			Anonymous: []maillon.AnonymousCount{{AgeBand: "16_25", Gender: "femme", Count: 1}, {AgeBand: "26_44", Gender: "homme", Count: 2}, {AgeBand: "45_64", Gender: "femme", Count: 1}},
			Procedures: []maillon.ProcedureInput{
				{Organisme: "caf", TypeID: fx.rsa, Channel: "en_ligne", Mode: "faire_avec", Obstacles: []string{"connexion"}},
				{Organisme: "cpam", Label: "Attestation", Channel: "guichet", Mode: "seule_guidee", AutonomyLevel: "2"},
			},
		})
		path := idPath("/interventions", int64(iv.ID), "")

		// A colleague who is not one of its mediators reads it but may
		// not change it.
		other := a.login(fx.colleague)
		show := other.get(path).wantStatus(http.StatusOK)
		if show.find(`a[href="`+path+`/edit"]`).Length() != 0 {
			t.Error("Modifier link shown to a mediator who is not one of its mediators")
		}
		other.get(path + "/edit").wantStatus(http.StatusForbidden)
		form := ivMinimalForm(a)
		other.post(path, form).wantStatus(http.StatusForbidden)

		// A coordinator may: the form is filled, with the procedures as
		// blocks and one empty block more.
		coord := a.login(a.st.Coordinator)
		if coord.get(path).find(`a[href="`+path+`/edit"]`).Length() != 1 {
			t.Error("no Modifier link for the coordinator")
		}
		edit := coord.get(path + "/edit").wantStatus(http.StatusOK)
		checkA11y(t, "edit form", edit)
		if n := edit.find("fieldset.procedure").Length(); n != 3 {
			t.Errorf("%d procedure blocks, want 3", n)
		}
		if ivSelected(edit, "proc0_type_id") != ivID(fx.rsa) || ivSelected(edit, "proc1_organisme") != "cpam" ||
			edit.find(`[name="proc1_label"]`).AttrOr("value", "") != "Attestation" || ivSelected(edit, "proc1_autonomy_level") != "2" ||
			ivSelected(edit, "proc2_organisme") != "" {
			t.Error("procedure blocks not filled")
		}
		if got := ivChecked(edit, "proc0_obstacles"); !slices.Equal(got, []string{"connexion"}) {
			t.Errorf("obstacles %v", got)
		}
		if edit.find(`[name="anon3_count"]`).Length() != 1 || edit.find(`[name="anon2_count"]`).AttrOr("value", "") != "1" {
			t.Error("anonymous lines not filled (three lines and an empty one)")
		}
		if edit.find(`#f-follow-up-on`).AttrOr("value", "") != "2026-03-12" || ivChecked(edit, "persons")[0] != ivID(fx.person.ID) {
			t.Error("follow-up or person not filled")
		}
		values := ivFormValues(edit, path)
		values.Set("minutes", "90")
		values.Set("proc2_organisme", "impots")
		values.Set("proc2_label", "Déclaration")
		values.Set("proc2_channel", "en_ligne")
		values.Set("proc2_mode", "faire_avec")
		coord.post(path, values).wantRedirect(path)
		coord.get(path).wantFlash("modifications")
		got, err := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), iv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Minutes != 90 || len(got.Procedures) != 3 || got.Procedures[0].TypeID != fx.rsa || len(got.Anonymous) != 3 ||
			!slices.Equal(got.Mediators, []maillon.UserID{a.st.Mediator.ID}) {
			t.Errorf("after edit: %d min, %d procedures, %d anonymous lines, mediators %v", got.Minutes, len(got.Procedures), len(got.Anonymous), got.Mediators)
		}
		// An edit in error keeps the intervention's title and values.
		values.Set("minutes", "-1")
		bad := coord.post(path, values).wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("minutes", "au moins une minute")
		bad.wantContains("h1", "Modifier l'intervention")
		checkA11y(t, "edit in error", bad)

		// Its own mediator may edit it too.
		a.login(a.st.Mediator).get(path + "/edit").wantStatus(http.StatusOK)
	})
}

func TestInterventionList(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		mustJoinTeam(t, a, a.st.Admin, a.st.Mediator, fx.team.ID)
		solo := mustTeam(t, a, a.st.Admin, "Équipe Sud")
		mustJoinTeam(t, a, a.st.Admin, a.st.Coordinator, solo.ID)
		ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Date: "2026-03-02", Time: "09:00", Minutes: "45",
			Registre: "orientation", PlaceType: "espace_public", CommuneID: fx.commune.ID, Persons: []maillon.PersonID{fx.person.ID},
			Anonymous: []maillon.AnonymousCount{{AgeBand: "16_25", Gender: "homme", Count: 3}}, Outcome: "resolu"})
		ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Date: "2026-03-09", Time: "20:15", PlaceLabel: "Gymnase"})
		ivMustIntervention(t, a, fx.colleague, maillon.InterventionInput{Date: "2026-03-05", Registre: "conflit"})
		ivMustIntervention(t, a, a.other.Admin, maillon.InterventionInput{Date: "2026-03-05", Description: "Autre structure"})

		rows := func(r *response) []string {
			var out []string
			r.find("main tbody tr").Each(func(_ int, s *goquery.Selection) { out = append(out, strings.Join(strings.Fields(s.Text()), " ")) })
			return out
		}
		c := a.login(a.st.Mediator)
		r := c.get("/interventions").wantStatus(http.StatusOK)
		checkA11y(t, "interventions", r)
		if r.find(`main a[href="/interventions/new"]`).Length() != 1 {
			t.Error("no Saisir une intervention button")
		}
		got := rows(r)
		if len(got) != 2 {
			t.Fatalf("rows %v", got)
		}
		for i, want := range [][]string{
			{"9 mars 2026 à 20 h 15", "Hors horaires", "30 min", "Accueil et information", "Permanence", "Gymnase", "En attente"},
			{"2 mars 2026 à 9 h 00", "45 min", "Orientation, mise en relation", "Espace public", "Vénissieux", "Awa Diallo", "3 sans dossier", "Résolu"},
		} {
			for _, w := range want {
				if !strings.Contains(got[i], w) {
					t.Errorf("row %d = %q, want %q", i, got[i], w)
				}
			}
		}
		if r.find(`main a[href="/people/`+ivID(fx.person.ID)+`"]`).Length() != 1 {
			t.Error("person not linked")
		}
		if r.find(`select[name="mediator"]`).Length() != 0 {
			t.Error("a mediator is offered the mediator filter")
		}
		// A mediator cannot list someone else's by the query string.
		if got := rows(c.get("/interventions?mediator=" + ivID(fx.colleague.ID))); len(got) != 2 {
			t.Errorf("mediator filter by query: %v", got)
		}
		if got := rows(c.get("/interventions?from=2026-03-03&to=2026-03-09")); len(got) != 1 || !strings.Contains(got[0], "9 mars") {
			t.Errorf("period: %v", got)
		}
		bad := c.get("/interventions?from=hier&to=2026-03-40").wantStatus(http.StatusUnprocessableEntity)
		bad.wantFieldError("from", "jj/mm/aaaa")
		checkA11y(t, "interventions filter in error", bad)
		c.get("/interventions?from=2026-03-10&to=2026-03-01").wantStatus(http.StatusUnprocessableEntity).wantFieldError("to", "suivre")

		coord := a.login(a.st.Coordinator)
		cr := coord.get("/interventions").wantStatus(http.StatusOK)
		if len(rows(cr)) != 0 || ivSelected(cr, "mediator") != ivID(a.st.Coordinator.ID) {
			t.Errorf("coordinator's own: %v, mediator %q", rows(cr), ivSelected(cr, "mediator"))
		}
		if got := rows(coord.get("/interventions?mediator=")); len(got) != 3 {
			t.Errorf("whole structure: %v", got)
		}
		if got := rows(coord.get("/interventions?mediator=" + ivID(fx.colleague.ID))); len(got) != 1 || !strings.Contains(got[0], "Gestion d'un conflit") {
			t.Errorf("by mediator: %v", got)
		}
		if got := rows(coord.get("/interventions?mediator=&team=" + ivID(fx.team.ID))); len(got) != 3 {
			t.Errorf("by team: %v", got)
		}
		if got := rows(coord.get("/interventions?mediator=&team=" + ivID(solo.ID))); len(got) != 0 {
			t.Errorf("by the coordinator's team: %v", got)
		}
		checkA11y(t, "coordinator's interventions", coord.get("/interventions?mediator="))

		// Pagination.
		for i := range 50 {
			ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Date: "2026-02-01", Time: fmt.Sprintf("%02d:%02d", 8+i/6, i%6*10)})
		}
		first := c.get("/interventions")
		if len(rows(first)) != 50 {
			t.Errorf("first page: %d rows", len(rows(first)))
		}
		next, ok := first.find(`a[rel="next"]`).Attr("href")
		if !ok {
			t.Fatal("no next page")
		}
		if got := rows(c.get(next)); len(got) != 2 {
			t.Errorf("second page: %d rows", len(got))
		}
		for _, q := range []string{"page=-1", "page=99999999999999999999", "page=abc", "mediator=-5&team=abc", "from=%ff%fe", "to=2026-13-45"} {
			if r := coord.get("/interventions?" + q); r.status != http.StatusOK && r.status != http.StatusUnprocessableEntity {
				t.Errorf("?%s: status %d", q, r.status)
			}
		}
	})
}

func TestInterventionsOfAnotherStructureAreNotFound(t *testing.T) {
	t.Parallel()
	run(t, func(t *testing.T, a *app) {
		fx := newIvFixture(t, a)
		iv := ivMustIntervention(t, a, a.st.Mediator, maillon.InterventionInput{Persons: []maillon.PersonID{fx.person.ID},
			FollowUpOn: "2026-03-12", Description: "Texte secret"})
		path := idPath("/interventions", int64(iv.ID), "")
		for _, u := range []*maillon.User{a.other.Admin, a.other.Mediator} {
			c := a.login(u)
			c.get(path).wantStatus(http.StatusNotFound)
			c.get(path + "/edit").wantStatus(http.StatusNotFound)
			c.post(path, ivMinimalForm(a)).wantStatus(http.StatusNotFound)
			c.post(path+"/followup", url.Values{"done": {"1"}}).wantStatus(http.StatusNotFound)
			for _, p := range []string{"/interventions?mediator=&from=2026-01-01", "/interventions?mediator=" + ivID(a.st.Mediator.ID),
				"/followups?all=1", "/interventions/new?person=" + ivID(fx.person.ID)} {
				r := c.get(p).wantStatus(http.StatusOK)
				for _, s := range []string{"Awa Diallo", "Texte secret", "Vénissieux"} {
					if strings.Contains(r.body, s) {
						t.Errorf("%s as %s shows %q", p, u.Role, s)
					}
				}
			}
			// Naming a.st's person is refused like an unknown person.
			form := ivMinimalForm(a)
			form.Set("mediators", ivID(u.ID))
			form.Set("persons", ivID(fx.person.ID))
			r := c.post("/interventions", form).wantStatus(http.StatusUnprocessableEntity)
			r.wantFieldError("persons", "n'existe pas")
			if strings.Contains(r.body, "Awa Diallo") {
				t.Error("the refused form names a.st's person")
			}
		}
		a.login(a.other.Admin).post(idPath("/admin/procedures", int64(fx.rsa), "/active"), url.Values{"active": {"0"}}).wantStatus(http.StatusNotFound)
		if got, _ := a.db.FindInterventionByID(bg, actorOf(a.st.Admin), iv.ID); got.FollowUpDone || got.Description != "Texte secret" {
			t.Error("another structure changed the intervention")
		}
	})
}
