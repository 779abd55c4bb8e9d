package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"maillon"
	"maillon/internal/ui"
)

const peoplePerPage = 25

type peoplePage struct {
	Page
	People     []maillon.Person
	Total      int
	Filter     *ui.Form
	Referents  []ui.Option
	Teams      []ui.Option
	Places     []ui.Option
	Sorts      []ui.Option
	Pagination pagination
	Searching  bool
}

// handlePersonIndex lists and searches the structure's people.
func (h *Handler) handlePersonIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	filter := ui.NewForm("q", "mine", "referent", "team", "place", "archived", "sort")
	for _, k := range filter.Order {
		filter.Set(k, q.Get(k))
	}
	f := maillon.PersonFilter{Limit: peoplePerPage, Offset: pageOffset(r, peoplePerPage), Archived: checked(q.Get("archived"))}
	if v, msg := maillon.CleanText(q.Get("q"), 100, false); msg == "" {
		f.Query = v
	} else {
		filter.Errors["q"] = msg
	}
	if checked(q.Get("mine")) {
		f.ReferentID = a.UserID
	} else if id := formID[maillon.UserID](q.Get("referent")); id > 0 {
		f.ReferentID = id
	}
	if id := formID[maillon.TeamID](q.Get("team")); id > 0 {
		f.TeamID = id
	}
	if v := q.Get("place"); v != "" {
		_, zid, msg := h.parsePlace(r, v)
		if msg != "" || zid == 0 {
			filter.Errors["place"] = "Choisissez un quartier dans la liste."
		}
		f.ZoneID = zid
	}
	if maillon.PersonSorts.Valid(q.Get("sort")) {
		f.Sort = q.Get("sort")
	} else {
		filter.Set("sort", "nom")
	}
	status := http.StatusOK
	var people []maillon.Person
	var total int
	if filter.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if people, total, err = h.svc.People.FindPersons(r.Context(), a, f); err != nil {
			return err
		}
	}
	referents, err := h.memberOptions(r, "Tous les référents")
	if err != nil {
		return err
	}
	teams, err := h.teamOptions(r, "Toutes les équipes")
	if err != nil {
		return err
	}
	places, err := h.zoneOptions(r)
	if err != nil {
		return err
	}
	p := peoplePage{Page: h.page(w, r, "Personnes accompagnées", "people"), People: people, Total: total, Filter: filter,
		Referents: referents, Teams: teams, Places: places, Sorts: options(maillon.PersonSorts, ""),
		Pagination: paginate(q, "/people", f.Offset, peoplePerPage, len(people), total), Searching: f.Query != ""}
	p.Form = filter
	return h.render(w, status, "people/index", p)
}

// zoneOptions lists the quartiers only, for filters.
func (h *Handler) zoneOptions(r *http.Request) ([]ui.Option, error) {
	all, err := h.placeOptions(r, "Tous les quartiers")
	if err != nil {
		return nil, err
	}
	out := all[:1]
	for _, o := range all[1:] {
		if o.Value[0] == 'z' {
			out = append(out, o)
		}
	}
	return out, nil
}

type personFormPage struct {
	Page
	Person      *maillon.Person // nil when creating
	Places      []ui.Option
	Referents   []ui.Option
	Teams       []ui.Option
	Genders     []ui.Option
	AgeBands    []ui.Option
	AccessNeeds []ui.Option
	Households  []ui.Option
	Housings    []ui.Option
	Activities  []ui.Option
	Nationals   []ui.Option
	Methods     []ui.Option
	Duplicates  []maillon.DuplicateCandidate
	FactualHint string
}

var personFormFields = append([]string{"place"}, maillon.PersonFields...)

func (h *Handler) personFormView(w http.ResponseWriter, r *http.Request, status int, person *maillon.Person, f *ui.Form, dups []maillon.DuplicateCandidate) error {
	places, err := h.placeOptions(r, "Non précisé")
	if err != nil {
		return err
	}
	referents, err := h.memberOptions(r, "Aucun référent")
	if err != nil {
		return err
	}
	teams, err := h.teamOptions(r, "Aucune équipe")
	if err != nil {
		return err
	}
	title, crumbs := "Nouvelle personne", []Crumb{{"/people", "Personnes"}, {"", "Nouvelle personne"}}
	if person != nil {
		title = "Modifier le dossier de " + person.DisplayName()
		crumbs = []Crumb{{"/people", "Personnes"}, {personURL(person.ID), person.DisplayName()}, {"", "Modifier"}}
	}
	p := personFormPage{Page: h.page(w, r, title, "people", crumbs...), Person: person, Places: places, Referents: referents,
		Teams: teams, Genders: options(maillon.Genders, ""), AgeBands: options(maillon.AgeBands, "Choisir une tranche d'âge"),
		AccessNeeds: options(maillon.AccessNeeds, ""), Households: options(maillon.Households, ""),
		Housings: options(maillon.Housings, ""), Activities: options(maillon.Activities, ""),
		Nationals: options(maillon.Nationalities, ""), Methods: options(maillon.ConsentMethods, ""), Duplicates: dups,
		FactualHint: maillon.FactualHint}
	p.Form = f
	return h.render(w, status, "people/form", p)
}

func personURL(id maillon.PersonID) string { return "/people/" + strconv.FormatInt(int64(id), 10) }

func (h *Handler) handlePersonNew(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	f := ui.NewForm(personFormFields...)
	f.Set("referent_id", strconv.FormatInt(int64(a.UserID), 10)).Set("consent_method", "oral").
		Set("consent_date", maillon.InParis(h.now()).Format("2006-01-02")).Set("gender", "non_precise").
		Set("household", "non_precise").Set("housing", "non_precise").Set("activity", "non_precise").
		Set("nationality", "non_precise")
	if a.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(a.TeamID), 10))
	}
	return h.personFormView(w, r, http.StatusOK, nil, f, nil)
}

// readPersonForm reads the person form into a ui.Form (for re-display)
// and a PersonInput.
func (h *Handler) readPersonForm(r *http.Request) (*ui.Form, maillon.PersonInput, string) {
	pf := r.PostForm
	f := ui.NewForm(personFormFields...)
	for _, k := range personFormFields {
		if k != "access_needs" {
			f.Set(k, pf.Get(k))
		}
	}
	f.SetAll("access_needs", pf["access_needs"])
	cid, zid, placeErr := h.parsePlace(r, pf.Get("place"))
	in := maillon.PersonInput{
		FirstName: pf.Get("first_name"), LastName: pf.Get("last_name"), Pseudonym: pf.Get("pseudonym"),
		BirthYear: pf.Get("birth_year"), AgeBand: pf.Get("age_band"), Gender: pf.Get("gender"), Phone: pf.Get("phone"),
		Email: pf.Get("email"), CommuneID: cid, ZoneID: zid, Languages: pf.Get("languages"),
		InterpreterNeeded: checked(pf.Get("interpreter_needed")), AccessNeeds: pf["access_needs"],
		AccessText: pf.Get("access_text"), Household: pf.Get("household"), Housing: pf.Get("housing"),
		Activity: pf.Get("activity"), Nationality: pf.Get("nationality"),
		ReferentID: formID[maillon.UserID](pf.Get("referent_id")), TeamID: formID[maillon.TeamID](pf.Get("team_id")),
		ConsentGiven: checked(pf.Get("consent_given")), ConsentMethod: pf.Get("consent_method"), ConsentDate: pf.Get("consent_date"),
	}
	return f, in, placeErr
}

// placeFieldErrors moves commune/zone messages to the single place field
// the form shows.
func placeFieldErrors(fields map[string]string, placeErr string) map[string]string {
	out := map[string]string{}
	for k, v := range fields {
		switch k {
		case "commune_id", "zone_id":
			out["place"] = v
		default:
			out[k] = v
		}
	}
	if placeErr != "" {
		out["place"] = placeErr
	}
	return out
}

func (h *Handler) handlePersonCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	f, in, placeErr := h.readPersonForm(r)
	f.Set("confirm_new", r.PostForm.Get("confirm_new"))
	if placeErr != "" {
		f.Errors = placeFieldErrors(nil, placeErr)
		return h.personFormView(w, r, http.StatusUnprocessableEntity, nil, f, nil)
	}
	// A likely duplicate is shown before anything is created, unless the
	// mediator confirmed it is someone else.
	if !checked(r.PostForm.Get("confirm_new")) {
		dups, err := h.svc.People.FindDuplicates(r.Context(), a, in)
		if err != nil {
			return err
		}
		if len(dups) > 0 {
			f.Errors["confirm_new"] = "Un dossier ressemble à cette personne : vérifiez la liste ci-dessous, puis cochez la case pour confirmer qu'il s'agit d'une autre personne."
			return h.personFormView(w, r, http.StatusUnprocessableEntity, nil, f, dups)
		}
	}
	p, err := h.svc.People.CreatePerson(r.Context(), a, in)
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = placeFieldErrors(maillon.FieldsOf(err), "")
		// A confirmed duplicate stays confirmed, with the files it is
		// about, while the mediator fixes the other fields.
		var dups []maillon.DuplicateCandidate
		if checked(r.PostForm.Get("confirm_new")) {
			if dups, err = h.svc.People.FindDuplicates(r.Context(), a, in); err != nil {
				return err
			}
		}
		return h.personFormView(w, r, http.StatusUnprocessableEntity, nil, f, dups)
	}
	h.setFlash(w, "Le dossier a été créé avec l'accord de la personne.")
	http.Redirect(w, r, personURL(p.ID), http.StatusSeeOther)
	return nil
}

func (h *Handler) handlePersonEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	file, err := h.svc.People.FindPersonFile(r.Context(), actor(r), maillon.PersonID(id))
	if err != nil {
		return err
	}
	p := file.Person
	f := ui.NewForm(personFormFields...)
	f.Set("first_name", p.FirstName).Set("last_name", p.LastName).Set("pseudonym", p.Pseudonym).
		Set("age_band", p.AgeBand).Set("gender", p.Gender).Set("phone", p.Phone).Set("email", p.Email).
		Set("place", placeValue(p.CommuneID, p.ZoneID)).Set("languages", p.Languages).
		Set("access_text", p.AccessText).Set("household", p.Household).Set("housing", p.Housing).
		Set("activity", p.Activity).Set("nationality", p.Nationality).SetAll("access_needs", p.AccessNeeds)
	if p.BirthYear != 0 {
		f.Set("birth_year", strconv.Itoa(p.BirthYear))
	}
	if p.InterpreterNeeded {
		f.Set("interpreter_needed", "on")
	}
	if p.ReferentID != 0 {
		f.Set("referent_id", strconv.FormatInt(int64(p.ReferentID), 10))
	}
	if p.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(p.TeamID), 10))
	}
	return h.personFormView(w, r, http.StatusOK, &p, f, nil)
}

func (h *Handler) handlePersonUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	f, in, placeErr := h.readPersonForm(r)
	if placeErr == "" {
		err = h.svc.People.UpdatePerson(r.Context(), a, maillon.PersonID(id), in)
	}
	if placeErr != "" || err != nil {
		if err != nil && !formError(err) {
			return err
		}
		file, ferr := h.svc.People.FindPersonFile(r.Context(), a, maillon.PersonID(id))
		if ferr != nil {
			return ferr
		}
		f.Errors = placeFieldErrors(maillon.FieldsOf(err), placeErr)
		return h.personFormView(w, r, http.StatusUnprocessableEntity, &file.Person, f, nil)
	}
	h.setFlash(w, "Le dossier a été enregistré.")
	http.Redirect(w, r, personURL(maillon.PersonID(id)), http.StatusSeeOther)
	return nil
}

type personPage struct {
	Page
	File          *maillon.PersonFile
	Today         time.Time
	ConsentForm   *ui.Form
	AutonomyForm  *ui.Form
	NoteForm      *ui.Form
	MergeForm     *ui.Form
	Scopes        []ui.Option
	Methods       []ui.Option
	Equipments    []ui.Option
	Internet      []ui.Option
	YesNo         []ui.Option
	Levels        []ui.Option
	CanMerge      bool
	FactualHint   string
	NewIntervURL  string
	ActiveScopes  map[string]bool
	LatestLevel   string
	LevelProgress string
}

func (h *Handler) personView(w http.ResponseWriter, r *http.Request, status int, id maillon.PersonID, forms map[string]*ui.Form) error {
	a := actor(r)
	file, err := h.svc.People.FindPersonFile(r.Context(), a, id)
	if err != nil {
		return err
	}
	get := func(name string, fields ...string) *ui.Form {
		if f, ok := forms[name]; ok {
			return f
		}
		return ui.NewForm(fields...)
	}
	today := maillon.InParis(h.now())
	p := personPage{Page: h.page(w, r, file.Person.DisplayName(), "people", Crumb{"/people", "Personnes"}, Crumb{"", file.Person.DisplayName()}),
		File: file, Today: time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, maillon.Paris),
		ConsentForm:  get("consent", "scope", "method", "date"),
		AutonomyForm: get("autonomy", "assessed_at", "equipment", "internet", "has_email", "franceconnect", "level"),
		NoteForm:     get("note", "text", "private"),
		MergeForm:    get("merge", "other_id", "confirm"),
		Scopes:       options(maillon.ConsentScopes, ""), Methods: options(maillon.ConsentMethods, ""),
		Equipments: options(maillon.Equipments, ""), Internet: options(maillon.InternetAccess, ""),
		YesNo: options(maillon.YesNoUnknown, ""), Levels: options(maillon.AutonomyLevels, ""),
		CanMerge:     a.CanViewTeamData(a.StructureID),
		FactualHint:  maillon.FactualHint,
		NewIntervURL: "/interventions/new?" + url.Values{"person": {strconv.FormatInt(int64(id), 10)}}.Encode(),
		ActiveScopes: map[string]bool{},
	}
	for _, c := range file.Consents {
		if c.Active() {
			p.ActiveScopes[c.Scope] = true
		}
	}
	if n := len(file.Autonomy); n > 0 {
		last := file.Autonomy[n-1]
		p.LatestLevel = last.LevelLabel()
		if n > 1 {
			first := file.Autonomy[0]
			switch {
			case last.Level > first.Level:
				p.LevelProgress = "en progrès depuis le " + ui.Date(first.AssessedAt)
			case last.Level < first.Level:
				p.LevelProgress = "en recul depuis le " + ui.Date(first.AssessedAt)
			default:
				p.LevelProgress = "stable depuis le " + ui.Date(first.AssessedAt)
			}
		}
	}
	if p.ConsentForm.Get("date") == "" {
		p.ConsentForm.Set("date", today.Format("2006-01-02"))
	}
	if p.AutonomyForm.Get("assessed_at") == "" {
		p.AutonomyForm.Set("assessed_at", today.Format("2006-01-02"))
	}
	// The layout's error summary shows the form in error, if any.
	for _, f := range []*ui.Form{p.ConsentForm, p.AutonomyForm, p.NoteForm, p.MergeForm} {
		if f.HasErrors() {
			p.Form = f
		}
	}
	return h.render(w, status, "people/show", p)
}

func (h *Handler) handlePersonShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.personView(w, r, http.StatusOK, maillon.PersonID(id), nil)
}

// personAction runs a POST on a person's file and goes back to it, or
// re-renders the file with the form in error.
func (h *Handler) personAction(w http.ResponseWriter, r *http.Request, form string, f *ui.Form, errField string,
	do func(id maillon.PersonID) error, flash string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := do(maillon.PersonID(id)); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, errField)
		return h.personView(w, r, http.StatusUnprocessableEntity, maillon.PersonID(id), map[string]*ui.Form{form: f})
	}
	h.setFlash(w, flash)
	http.Redirect(w, r, personURL(maillon.PersonID(id)), http.StatusSeeOther)
	return nil
}

func (h *Handler) handlePersonArchive(w http.ResponseWriter, r *http.Request) error {
	return h.personAction(w, r, "note", ui.NewForm("text", "private"), "text", func(id maillon.PersonID) error {
		return h.svc.People.SetPersonArchived(r.Context(), actor(r), id, true)
	}, "Le dossier a été archivé. Il n'apparaît plus dans la liste des personnes suivies.")
}

func (h *Handler) handlePersonRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.People.SetPersonArchived(r.Context(), actor(r), maillon.PersonID(id), false); err != nil {
		if !formError(err) {
			return err
		}
		f := ui.NewForm("scope", "method", "date")
		f.Errors = map[string]string{"scope": maillon.ErrorMessage(err, "Réouverture impossible.")}
		return h.personView(w, r, http.StatusUnprocessableEntity, maillon.PersonID(id), map[string]*ui.Form{"consent": f})
	}
	h.setFlash(w, "Le dossier a été rouvert.")
	http.Redirect(w, r, personURL(maillon.PersonID(id)), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleConsentCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("scope", "method", "date")
	for _, k := range f.Order {
		f.Set(k, r.PostForm.Get(k))
	}
	return h.personAction(w, r, "consent", f, "scope", func(id maillon.PersonID) error {
		return h.svc.People.AddConsent(r.Context(), actor(r), id, maillon.ConsentInput{Scope: f.Get("scope"), Method: f.Get("method"), Date: f.Get("date")})
	}, "L'accord a été enregistré.")
}

func (h *Handler) handleConsentWithdraw(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PathValue("cid"), 10, 64)
	if err != nil || cid <= 0 {
		return maillon.NotFound("Consentement")
	}
	a := actor(r)
	// The consent must belong to this person: read the file first.
	file, err := h.svc.People.FindPersonFile(r.Context(), a, maillon.PersonID(id))
	if err != nil {
		return err
	}
	found := false
	for _, c := range file.Consents {
		if c.ID == maillon.ConsentID(cid) {
			found = true
		}
	}
	if !found {
		return maillon.NotFound("Consentement")
	}
	if err := h.svc.People.WithdrawConsent(r.Context(), a, maillon.ConsentID(cid)); err != nil {
		return err
	}
	h.setFlash(w, "Le retrait de l'accord a été enregistré ; il s'applique dès maintenant.")
	http.Redirect(w, r, personURL(maillon.PersonID(id)), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleAutonomyCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("assessed_at", "equipment", "internet", "has_email", "franceconnect", "level")
	for _, k := range f.Order {
		f.Set(k, r.PostForm.Get(k))
	}
	f.SetAll("equipment", r.PostForm["equipment"])
	return h.personAction(w, r, "autonomy", f, "level", func(id maillon.PersonID) error {
		return h.svc.People.AddAutonomy(r.Context(), actor(r), id, maillon.AutonomyInput{
			Date: f.Get("assessed_at"), Equipment: r.PostForm["equipment"], Internet: f.Get("internet"),
			HasEmail: f.Get("has_email"), FranceConnect: f.Get("franceconnect"), Level: f.Get("level")})
	}, "Le profil d'autonomie numérique a été enregistré.")
}

func (h *Handler) handleNoteCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("text", "private")
	f.Set("text", r.PostForm.Get("text")).Set("private", r.PostForm.Get("private"))
	return h.personAction(w, r, "note", f, "text", func(id maillon.PersonID) error {
		return h.svc.People.AddNote(r.Context(), actor(r), id, maillon.NoteInput{Text: f.Get("text"), Private: checked(f.Get("private"))})
	}, "La note a été ajoutée.")
}

func (h *Handler) handlePersonMerge(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("other_id", "confirm")
	f.Set("other_id", r.PostForm.Get("other_id")).Set("confirm", r.PostForm.Get("confirm"))
	return h.personAction(w, r, "merge", f, "other_id", func(id maillon.PersonID) error {
		other := formID[maillon.PersonID](f.Get("other_id"))
		var fe maillon.FieldErrors
		if other <= 0 {
			fe.Add("other_id", "Indiquez le numéro du dossier à fusionner dans celui-ci (il figure en haut de chaque dossier).")
		}
		if !checked(f.Get("confirm")) {
			fe.Add("confirm", "Cochez la case pour confirmer la fusion : elle ne peut pas être annulée.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		err := h.svc.People.MergePersons(r.Context(), actor(r), id, other)
		if err != nil && httpStatus(err) == http.StatusNotFound {
			return fieldError("other_id", "Aucun dossier de la structure ne porte ce numéro.")
		}
		return err
	}, "Les deux dossiers ont été fusionnés.")
}

type summaryPage struct {
	Page
	File      *maillon.PersonFile
	Structure maillon.Structure
	Done      []summaryItem
	Next      []maillon.FollowUp
	Documents []string
	Printed   time.Time
	Referent  string
}

type summaryItem struct {
	At   time.Time
	Text string
}

// plainRegistre says what was done in words for the person.
var plainRegistre = map[string]string{
	"accueil":               "Nous vous avons accueilli·e et informé·e.",
	"acces_droits":          "Nous vous avons aidé·e dans vos démarches.",
	"mediation_institution": "Nous avons fait le lien avec une administration.",
	"conflit":               "Nous avons aidé à apaiser un désaccord.",
	"orientation":           "Nous vous avons orienté·e vers un partenaire.",
	"presence":              "Nous nous sommes rencontrés dans le quartier.",
	"veille_technique":      "Nous avons signalé un problème dans le quartier.",
	"suivi":                 "Nous avons fait le point avec vous.",
}

// handlePersonSummary prints a plain-language summary for the person:
// short sentences, large type, no internal notes.
func (h *Handler) handlePersonSummary(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	file, err := h.svc.People.FindPersonSummary(r.Context(), actor(r), maillon.PersonID(id))
	if err != nil {
		return err
	}
	p := summaryPage{Page: h.page(w, r, "Synthèse pour "+file.Person.DisplayName(), "people",
		Crumb{"/people", "Personnes"}, Crumb{personURL(file.Person.ID), file.Person.DisplayName()}, Crumb{"", "Synthèse"}),
		File: file, Structure: state(r).sess.Structure, Printed: h.now(), Referent: file.Person.ReferentName}
	since := h.now().AddDate(0, -6, 0)
	for _, e := range file.Timeline {
		if e.At.Before(since) || len(p.Done) >= 12 {
			continue
		}
		switch e.Kind {
		case "intervention":
			text := e.Title + "."
			for code, label := range plainRegistre {
				if maillon.Registres.Label(code) == e.Title {
					text = label
				}
			}
			p.Done = append(p.Done, summaryItem{e.At, text})
		case "procedure":
			p.Done = append(p.Done, summaryItem{e.At, e.Title + " (" + e.Detail + ")."})
		}
	}
	seen := map[string]bool{}
	for _, fu := range file.FollowUps {
		if fu.Done {
			continue
		}
		p.Next = append(p.Next, fu)
		if fu.Documents != "" && !seen[fu.Documents] {
			seen[fu.Documents] = true
			p.Documents = append(p.Documents, fu.Documents)
		}
	}
	return h.render(w, http.StatusOK, "people/summary", p)
}
