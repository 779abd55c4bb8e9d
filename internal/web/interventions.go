package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/ui"
)

const (
	interventionsPerPage = 50
	// maxProcedureBlocks is how many procedure blocks the form reads and
	// shows at most (the domain's limit per intervention).
	maxProcedureBlocks = 5
	// Anonymous count lines: three on a new form, more on an edited one
	// that already holds them.
	minAnonRows = 3
	maxAnonRows = 10
)

// procedureFieldNames are the fields of a procedure block, in form order;
// ProcedureField(i, name) gives the name of the i-th block's field.
var procedureFieldNames = []string{"organisme", "type_id", "label", "channel", "mode", "mandate", "obstacles", "outcome",
	"autonomy_level", "person_id", "directory_structure_id"}

// interventionFormOrder is the order of the fields in the form (required
// first), for the error summary. The commune and quartier are one "place"
// select.
var interventionFormOrder = func() []string {
	order := []string{"date", "time", "minutes", "mediators", "place_type", "registre", "place", "place_label", "initiative",
		"persons", "anonymous", "themes", "registres", "description", "outcome", "next_step", "documents", "follow_up_on",
		"institutions", "commanditaire", "dir_q", "directory_structure_id"}
	for i := range maxProcedureBlocks {
		for _, n := range procedureFieldNames {
			order = append(order, maillon.ProcedureField(i, n))
		}
	}
	return order
}()

// mandateHint says what the mandate checkbox records, and what never is.
const mandateHint = "Seulement pour une démarche faite pour la personne, sous mandat Aidants Connect. " +
	"Les identifiants de connexion de la personne ne sont jamais enregistrés dans Maillon : ne les notez nulle part."

func interventionURL(id maillon.InterventionID) string {
	return "/interventions/" + strconv.FormatInt(int64(id), 10)
}

func anonField(i int, name string) string { return "anon" + strconv.Itoa(i) + "_" + name }

func idStrings[T ~int64](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatInt(int64(id), 10)
	}
	return out
}

// canEditIntervention mirrors the store's rule: its mediators,
// coordinators and administrators may change an intervention.
func canEditIntervention(a maillon.Actor, iv *maillon.Intervention) bool {
	return slices.Contains(iv.Mediators, a.UserID) || a.CanViewTeamData(iv.StructureID)
}

// interventionTitle names an intervention in headings and breadcrumbs.
func interventionTitle(iv *maillon.Intervention) string {
	return "Intervention du " + ui.Date(iv.StartAt) + " à " + ui.Clock(iv.StartAt)
}

// placeText describes where an intervention happened, without its type.
func placeText(iv *maillon.Intervention) string {
	var parts []string
	switch {
	case iv.ZoneName != "":
		parts = append(parts, iv.CommuneName+" – "+iv.ZoneName)
	case iv.CommuneName != "":
		parts = append(parts, iv.CommuneName)
	}
	if iv.PlaceLabel != "" {
		parts = append(parts, iv.PlaceLabel)
	}
	return strings.Join(parts, ", ")
}

// ---------------------------------------------------------------------
// The list.

type interventionsPage struct {
	Page
	Interventions []maillon.Intervention
	Total         int
	Filter        *ui.Form
	CanFilter     bool // coordinators and administrators filter by mediator or team
	Mediators     []ui.Option
	Teams         []ui.Option
	Own           bool // the list shows the actor's own interventions
	Pagination    pagination
}

// Place is placeText for templates.
func (interventionsPage) Place(iv maillon.Intervention) string { return placeText(&iv) }

func (h *Handler) handleInterventionIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("from", "to", "mediator", "team")
	f := maillon.InterventionFilter{Limit: interventionsPerPage, Offset: pageOffset(r, interventionsPerPage)}
	self := strconv.FormatInt(int64(a.UserID), 10)
	canFilter := a.CanViewTeamData(a.StructureID)
	// Everyone starts on their own interventions; coordinators and
	// administrators may choose another mediator, a team or everybody
	// (an empty mediator).
	mediator := self
	if canFilter && q.Has("mediator") {
		mediator = q.Get("mediator")
	}
	if id := formID[maillon.UserID](mediator); id > 0 {
		f.MediatorID = id
	} else {
		mediator = ""
	}
	form.Set("mediator", mediator)
	if canFilter {
		if id := formID[maillon.TeamID](q.Get("team")); id > 0 {
			f.TeamID = id
			form.Set("team", q.Get("team"))
		}
	}
	form.Set("from", q.Get("from")).Set("to", q.Get("to"))
	if v := q.Get("from"); v != "" {
		if t, ok := parseDay(v); ok {
			f.From = t
		} else {
			form.Errors["from"] = "Indiquez une date au format jj/mm/aaaa."
		}
	}
	if v := q.Get("to"); v != "" {
		if t, ok := parseDay(v); ok {
			f.To = t.AddDate(0, 0, 1) // the "to" day is included
		} else {
			form.Errors["to"] = "Indiquez une date au format jj/mm/aaaa."
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		form.Errors["to"] = "La date de fin doit suivre la date de début."
	}
	p := interventionsPage{Page: h.page(w, r, "Interventions", "interventions"), Filter: form, CanFilter: canFilter,
		Own: f.MediatorID == a.UserID && f.TeamID == 0}
	p.Form = form
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		p.Interventions, p.Total, err = h.svc.Interventions.FindInterventions(r.Context(), a, f)
		if err != nil {
			return err
		}
		p.Pagination = paginate(q, "/interventions", f.Offset, interventionsPerPage, len(p.Interventions), p.Total)
	}
	if canFilter {
		var err error
		if p.Mediators, err = h.memberOptions(r, "Toute la structure"); err != nil {
			return err
		}
		if p.Teams, err = h.teamOptions(r, "Toutes les équipes"); err != nil {
			return err
		}
	}
	return h.render(w, status, "interventions/index", p)
}

// ---------------------------------------------------------------------
// The form.

// optGroup is a labelled group of options (<optgroup>).
type optGroup struct {
	Label   string
	Options []ui.Option
}

// groupedSelect is a select whose options are grouped, with an empty
// first option.
type groupedSelect struct {
	ui.Field
	Empty  string
	Groups []optGroup
}

// procBlock is one procedure block of the form.
type procBlock struct {
	N          int
	Type       groupedSelect
	ShowPerson bool
}

type interventionFormPage struct {
	Page
	Intervention   *maillon.Intervention // nil on creation
	Action         string
	Cancel         string
	Mediators      []ui.Option
	PlaceTypes     []ui.Option
	Places         []ui.Option
	Registres      []ui.Option
	OtherRegistres []ui.Option
	Themes         []ui.Option
	Initiatives    []ui.Option
	Persons        []ui.Option
	Refused        []string // people named in the link but without a nominative file
	AnonRows       []int
	AgeBands       []ui.Option
	Genders        []ui.Option
	Outcomes       []ui.Option
	Procedures     []procBlock
	Organismes     []ui.Option
	Channels       []ui.Option
	Modes          []ui.Option
	Obstacles      []ui.Option
	ProcOutcomes   []ui.Option
	Levels         []ui.Option
	ProcPersons    []ui.Option
	FactualHint    string
	MandateHint    string

	// The directory picker (annuaire_links.go): the structures offered
	// to the intervention and its procedures, and the search's outcome.
	directoryPicker
}

// interventionFormState is what a form page shows besides the values.
type interventionFormState struct {
	persons    []maillon.PersonRef
	refused    []string
	anonRows   int
	procBlocks int
	// dirFound are the directory structures of a search (nil: none ran).
	dirFound []maillon.DirectoryStructure
}

// modeOptions are the ways a procedure was done, with what each means.
func modeOptions() []ui.Option {
	hints := map[string]string{
		"seule_guidee": "La personne fait elle-même ; la médiation explique et vérifie.",
		"faire_avec":   "La personne et la médiation font ensemble, la personne garde la main autant que possible.",
		"faire_pour":   "La médiation fait à la place de la personne, avec son accord (mandat Aidants Connect si en ligne).",
	}
	out := options(maillon.ProcedureModes, "")
	for i := range out {
		out[i].Hint = hints[out[i].Value]
	}
	return out
}

func (h *Handler) interventionFormView(w http.ResponseWriter, r *http.Request, status int, iv *maillon.Intervention, f *ui.Form, st interventionFormState) error {
	a := actor(r)
	title := "Saisir une intervention"
	crumbs := []Crumb{{"/interventions", "Interventions"}}
	p := interventionFormPage{Intervention: iv, Action: "/interventions", Cancel: "/interventions",
		PlaceTypes: options(maillon.PlaceTypes, ""), Registres: options(maillon.Registres, "Choisir le type"),
		OtherRegistres: options(maillon.Registres, ""), Themes: options(maillon.Themes, ""),
		Initiatives: options(maillon.Initiatives, ""), AgeBands: options(maillon.AgeBands, ""),
		Genders: options(maillon.Genders, ""), Outcomes: options(maillon.Outcomes, ""),
		Organismes: options(maillon.Organismes, "Aucune démarche"), Channels: options(maillon.Channels, "Choisir le canal"),
		Modes: modeOptions(), Obstacles: options(maillon.Obstacles, ""),
		ProcOutcomes: options(maillon.ProcedureOutcomes, "En attente (par défaut)"),
		Levels:       options(maillon.AutonomyLevels, "Non observé"),
		Refused:      st.refused, FactualHint: maillon.FactualHint, MandateHint: mandateHint}
	if iv != nil {
		title = "Modifier l'intervention"
		p.Action = interventionURL(iv.ID)
		p.Cancel = interventionURL(iv.ID)
		crumbs = append(crumbs, Crumb{interventionURL(iv.ID), interventionTitle(iv)})
	}
	crumbs = append(crumbs, Crumb{"", title})
	p.Page = h.page(w, r, title, "interventions", crumbs...)
	p.Form = f
	var err error
	if p.Mediators, err = h.memberOptions(r, ""); err != nil {
		return err
	}
	if iv != nil {
		// Mediators since deactivated stay on the record and in the form.
		for i, uid := range iv.Mediators {
			v := strconv.FormatInt(int64(uid), 10)
			found := false
			for _, o := range p.Mediators {
				found = found || o.Value == v
			}
			if !found && i < len(iv.MediatorNames) {
				p.Mediators = append(p.Mediators, ui.Option{Value: v, Label: iv.MediatorNames[i] + " (compte désactivé)"})
			}
		}
	}
	if p.Places, err = h.placeOptions(r, "Non précisé"); err != nil {
		return err
	}
	p.ProcPersons = []ui.Option{{Value: "", Label: "Non précisé ou toutes"}}
	for _, pr := range st.persons {
		o := ui.Option{Value: strconv.FormatInt(int64(pr.ID), 10), Label: pr.Name}
		p.Persons = append(p.Persons, o)
		p.ProcPersons = append(p.ProcPersons, o)
	}
	for i := range min(max(st.anonRows, minAnonRows), maxAnonRows) {
		p.AnonRows = append(p.AnonRows, i)
	}

	// The catalogue: active entries, and retired ones still chosen on
	// this intervention so that editing keeps them.
	types, err := h.svc.Interventions.FindProcedureTypes(r.Context(), a, false)
	if err != nil {
		return err
	}
	blocks := min(max(st.procBlocks, 1), maxProcedureBlocks)
	used := map[string]bool{}
	for i := range blocks {
		used[f.Get(maillon.ProcedureField(i, "type_id"))] = true
	}
	var groups []optGroup
	for _, t := range types {
		id := strconv.FormatInt(int64(t.ID), 10)
		if !t.Active && !used[id] {
			continue
		}
		label := t.Label
		if !t.Active {
			label += " (retirée du catalogue)"
		}
		g := maillon.Organismes.Label(t.Organisme)
		if len(groups) == 0 || groups[len(groups)-1].Label != g {
			groups = append(groups, optGroup{Label: g})
		}
		last := &groups[len(groups)-1]
		last.Options = append(last.Options, ui.Option{Value: id, Label: label})
	}
	for i := range blocks {
		name := maillon.ProcedureField(i, "type_id")
		fd := ui.Field{Name: name, ID: ui.FieldID(name), Label: "Démarche du catalogue", Value: f.Get(name), Error: f.Errors[name],
			Hint: "Choisissez dans le groupe de l'organisme, ou décrivez la démarche ci-dessous."}
		person := maillon.ProcedureField(i, "person_id")
		p.Procedures = append(p.Procedures, procBlock{N: i, Type: groupedSelect{Field: fd, Empty: "Autre démarche (décrite ci-dessous)", Groups: groups},
			ShowPerson: len(st.persons) > 1 || f.Errors[person] != "" || f.Get(person) != ""})
	}
	if err := h.interventionDirectoryOptions(r, &p, iv, f, st.dirFound, blocks); err != nil {
		return err
	}
	return h.render(w, status, "interventions/form", p)
}

// resolvePersons names the people of a form. Names already known (those of
// the edited intervention) are reused; the others are looked up, and IDs
// that name nobody of the structure are dropped. With strict, people
// without an active dossier consent, or archived, are left out and listed
// in refused, so that the mediator counts them anonymously instead.
func (h *Handler) resolvePersons(r *http.Request, ids []maillon.PersonID, known []maillon.PersonRef, strict bool) (refs []maillon.PersonRef, refused []string, err error) {
	seen := map[maillon.PersonID]bool{}
	for _, id := range ids {
		if id <= 0 || seen[id] || len(seen) > maillon.MaxPersonsPerRecord {
			continue
		}
		seen[id] = true
		if i := slices.IndexFunc(known, func(p maillon.PersonRef) bool { return p.ID == id }); i >= 0 {
			refs = append(refs, known[i])
			continue
		}
		file, err := h.svc.People.FindPersonFile(r.Context(), actor(r), id)
		if errors.Is(err, maillon.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		name := file.Person.DisplayName()
		if strict && (file.Person.Archived || !file.HasConsent(maillon.ConsentDossier)) {
			refused = append(refused, name)
			continue
		}
		refs = append(refs, maillon.PersonRef{ID: id, Name: name})
	}
	return refs, refused, nil
}

func (h *Handler) handleInterventionNew(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	now := maillon.InParis(h.now())
	f := ui.NewForm(interventionFormOrder...)
	f.Set("date", now.Format("2006-01-02")).
		Set("time", time.Date(now.Year(), now.Month(), now.Day(), now.Hour(), now.Minute()-now.Minute()%5, 0, 0, maillon.Paris).Format("15:04")).
		Set("minutes", "30").
		Set("mediators", strconv.FormatInt(int64(a.UserID), 10)).
		Set("initiative", "personne").
		Set("outcome", "en_attente")
	for i := range minAnonRows {
		f.Set(anonField(i, "age"), "non_precise").Set(anonField(i, "gender"), "non_precise")
	}
	persons, refused, err := h.resolvePersons(r, formIDs[maillon.PersonID](r.URL.Query()["person"]), nil, true)
	if err != nil {
		return err
	}
	f.SetAll("persons", idStrings(refIDs(persons)))
	return h.interventionFormView(w, r, http.StatusOK, nil, f, interventionFormState{persons: persons, refused: refused, anonRows: minAnonRows, procBlocks: 1})
}

func refIDs(refs []maillon.PersonRef) []maillon.PersonID {
	out := make([]maillon.PersonID, len(refs))
	for i, p := range refs {
		out[i] = p.ID
	}
	return out
}

// interventionForm fills a form with a stored intervention.
func interventionForm(iv *maillon.Intervention) (*ui.Form, interventionFormState) {
	f := ui.NewForm(interventionFormOrder...)
	start := maillon.InParis(iv.StartAt)
	f.Set("date", start.Format("2006-01-02")).Set("time", start.Format("15:04")).Set("minutes", strconv.Itoa(iv.Minutes)).
		SetAll("mediators", idStrings(iv.Mediators)).Set("place_type", iv.PlaceType).
		Set("place", placeValue(iv.CommuneID, iv.ZoneID)).Set("place_label", iv.PlaceLabel).
		Set("registre", iv.Registre).SetAll("registres", iv.Registres).SetAll("themes", iv.Themes).
		Set("initiative", iv.Initiative).SetAll("persons", idStrings(refIDs(iv.Persons))).
		Set("institutions", iv.Institutions).Set("commanditaire", iv.Commanditaire).Set("description", iv.Description).
		Set("outcome", iv.Outcome).Set("next_step", iv.NextStep).Set("documents", iv.Documents)
	if !iv.FollowUpOn.IsZero() {
		f.Set("follow_up_on", maillon.InParis(iv.FollowUpOn).Format("2006-01-02"))
	}
	rows := min(max(len(iv.Anonymous)+1, minAnonRows), maxAnonRows)
	for i := range rows {
		age, gender, count := "non_precise", "non_precise", ""
		if i < len(iv.Anonymous) {
			age, gender, count = iv.Anonymous[i].AgeBand, iv.Anonymous[i].Gender, strconv.Itoa(iv.Anonymous[i].Count)
		}
		f.Set(anonField(i, "age"), age).Set(anonField(i, "gender"), gender).Set(anonField(i, "count"), count)
	}
	for i, pr := range iv.Procedures {
		field := func(name string) string { return maillon.ProcedureField(i, name) }
		f.Set(field("organisme"), pr.Organisme).Set(field("label"), pr.Label).Set(field("channel"), pr.Channel).
			Set(field("mode"), pr.Mode).Set(field("outcome"), pr.Outcome).SetAll(field("obstacles"), pr.Obstacles)
		if pr.TypeID != 0 {
			f.Set(field("type_id"), strconv.FormatInt(int64(pr.TypeID), 10))
		}
		if pr.Mandate {
			f.Set(field("mandate"), "on")
		}
		if pr.AutonomyLevel > 0 {
			f.Set(field("autonomy_level"), strconv.Itoa(pr.AutonomyLevel))
		}
		if pr.PersonID != 0 {
			f.Set(field("person_id"), strconv.FormatInt(int64(pr.PersonID), 10))
		}
		if pr.Directory.ID != 0 {
			f.Set(field("directory_structure_id"), strconv.FormatInt(int64(pr.Directory.ID), 10))
		}
	}
	if iv.Directory.ID != 0 {
		f.Set("directory_structure_id", strconv.FormatInt(int64(iv.Directory.ID), 10))
	}
	return f, interventionFormState{persons: iv.Persons, anonRows: rows, procBlocks: len(iv.Procedures) + 1}
}

// readInterventionForm reads a posted form into a ui.Form (to show it
// again) and an InterventionInput. Empty procedure blocks are skipped and
// the others renumbered from 0, so that the domain's messages, keyed by
// procedure index, land on the fields shown again.
func (h *Handler) readInterventionForm(r *http.Request) (*ui.Form, maillon.InterventionInput, interventionFormState, string) {
	pf := r.PostForm
	f := ui.NewForm(interventionFormOrder...)
	for _, k := range []string{"date", "time", "minutes", "place_type", "registre", "place", "place_label", "initiative",
		"description", "outcome", "next_step", "documents", "follow_up_on", "institutions", "commanditaire",
		"dir_q", "directory_structure_id"} {
		f.Set(k, pf.Get(k))
	}
	for _, k := range []string{"mediators", "registres", "themes", "persons"} {
		f.SetAll(k, pf[k])
	}
	cid, zid, placeErr := h.parsePlace(r, pf.Get("place"))
	in := maillon.InterventionInput{
		Date: pf.Get("date"), Time: pf.Get("time"), Minutes: pf.Get("minutes"),
		Mediators: formIDs[maillon.UserID](pf["mediators"]), PlaceType: pf.Get("place_type"),
		CommuneID: cid, ZoneID: zid, PlaceLabel: pf.Get("place_label"),
		Registre: pf.Get("registre"), Registres: pf["registres"], Themes: pf["themes"], Initiative: pf.Get("initiative"),
		Persons:      formIDs[maillon.PersonID](pf["persons"]),
		Institutions: pf.Get("institutions"), Commanditaire: pf.Get("commanditaire"), Description: pf.Get("description"),
		Outcome: pf.Get("outcome"), NextStep: pf.Get("next_step"), Documents: pf.Get("documents"), FollowUpOn: pf.Get("follow_up_on"),
		DirectoryStructureID: max(formID[maillon.DirectoryStructureID](pf.Get("directory_structure_id")), 0),
	}
	st := interventionFormState{anonRows: minAnonRows}
	for i := range maxAnonRows {
		age, gender, count := pf.Get(anonField(i, "age")), pf.Get(anonField(i, "gender")), pf.Get(anonField(i, "count"))
		if _, ok := pf[anonField(i, "count")]; ok {
			st.anonRows = max(st.anonRows, i+1)
		}
		f.Set(anonField(i, "age"), age).Set(anonField(i, "gender"), gender).Set(anonField(i, "count"), count)
		n := 0
		if s := strings.TrimSpace(count); s != "" {
			v, err := strconv.Atoi(s)
			if err != nil {
				v = -1 // refused by validation with a message
			}
			n = v
		}
		if n != 0 {
			in.Anonymous = append(in.Anonymous, maillon.AnonymousCount{AgeBand: age, Gender: gender, Count: n})
		}
	}
	for b := range maxProcedureBlocks {
		raw := map[string]string{}
		obstacles := pf[maillon.ProcedureField(b, "obstacles")]
		empty := len(obstacles) == 0
		for _, n := range procedureFieldNames {
			if n != "obstacles" {
				raw[n] = pf.Get(maillon.ProcedureField(b, n))
				empty = empty && strings.TrimSpace(raw[n]) == ""
			}
		}
		if empty {
			continue
		}
		i := len(in.Procedures)
		for n, v := range raw {
			f.Set(maillon.ProcedureField(i, n), v)
		}
		f.SetAll(maillon.ProcedureField(i, "obstacles"), obstacles)
		in.Procedures = append(in.Procedures, maillon.ProcedureInput{
			PersonID: formID[maillon.PersonID](raw["person_id"]), Organisme: raw["organisme"],
			TypeID: formID[maillon.ProcedureTypeID](raw["type_id"]), Label: raw["label"], Channel: raw["channel"],
			Mode: raw["mode"], Mandate: checked(raw["mandate"]), Obstacles: obstacles, Outcome: raw["outcome"],
			AutonomyLevel:        raw["autonomy_level"],
			DirectoryStructureID: max(formID[maillon.DirectoryStructureID](raw["directory_structure_id"]), 0),
		})
	}
	st.procBlocks = len(in.Procedures) + 1
	// With one person named, the procedures are theirs: the autonomy
	// level observed then extends their trajectory.
	if persons := uniquePersons(in.Persons); len(persons) == 1 {
		for i := range in.Procedures {
			if in.Procedures[i].PersonID == 0 {
				in.Procedures[i].PersonID = persons[0]
			}
		}
	}
	return f, in, st, placeErr
}

func uniquePersons(ids []maillon.PersonID) []maillon.PersonID {
	var out []maillon.PersonID
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// interventionErrors turns the domain's messages into the form's fields:
// commune and quartier are one select; the number of procedures is
// reported on the first block.
func interventionErrors(fields map[string]string, placeErr string) map[string]string {
	out := placeFieldErrors(fields, placeErr)
	if msg, ok := out["procedures"]; ok {
		delete(out, "procedures")
		if _, taken := out[maillon.ProcedureField(0, "organisme")]; !taken {
			out[maillon.ProcedureField(0, "organisme")] = msg
		}
	}
	return out
}

// saveIntervention validates and saves a posted form: create when iv is
// nil, update otherwise. It re-renders the form on errors.
func (h *Handler) saveIntervention(w http.ResponseWriter, r *http.Request, iv *maillon.Intervention, id maillon.InterventionID) error {
	a := actor(r)
	f, in, st, placeErr := h.readInterventionForm(r)
	if ok, err := h.interventionDirectorySearch(w, r, iv, f, in, st); ok || err != nil {
		return err
	}
	var err error
	if placeErr != "" {
		// The place could not be read: check the rest anyway, so that
		// every message shows at once.
		check := in
		_, _, _, verr := check.Validate(h.now())
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: maillon.FieldsOf(verr)}
	} else if iv == nil {
		var created *maillon.Intervention
		created, err = h.svc.Interventions.CreateIntervention(r.Context(), a, in)
		if err == nil {
			id = created.ID
		}
	} else {
		err = h.svc.Interventions.UpdateIntervention(r.Context(), a, id, in)
	}
	if err == nil {
		if iv == nil {
			h.setFlash(w, "L'intervention a été enregistrée.")
		} else {
			h.setFlash(w, "Les modifications de l'intervention ont été enregistrées.")
		}
		http.Redirect(w, r, interventionURL(id), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = interventionErrors(maillon.FieldsOf(err), placeErr)
	if len(f.Errors) == 0 {
		f.Errors = errorsOrMessage(err, "date")
	}
	var known []maillon.PersonRef
	if iv != nil {
		known = iv.Persons
	}
	if st.persons, _, err = h.resolvePersons(r, in.Persons, known, false); err != nil {
		return err
	}
	return h.interventionFormView(w, r, http.StatusUnprocessableEntity, iv, f, st)
}

func (h *Handler) handleInterventionCreate(w http.ResponseWriter, r *http.Request) error {
	return h.saveIntervention(w, r, nil, 0)
}

// editableIntervention loads the intervention of the path and checks the
// actor may change it.
func (h *Handler) editableIntervention(r *http.Request) (*maillon.Intervention, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a := actor(r)
	iv, err := h.svc.Interventions.FindInterventionByID(r.Context(), a, maillon.InterventionID(id))
	if err != nil {
		return nil, err
	}
	if !canEditIntervention(a, iv) {
		return nil, maillon.Errorf(maillon.ErrForbidden,
			"Seuls les médiateurs de cette intervention, la coordination et l'administration peuvent la modifier.")
	}
	return iv, nil
}

func (h *Handler) handleInterventionEdit(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.editableIntervention(r)
	if err != nil {
		return err
	}
	f, st := interventionForm(iv)
	return h.interventionFormView(w, r, http.StatusOK, iv, f, st)
}

func (h *Handler) handleInterventionUpdate(w http.ResponseWriter, r *http.Request) error {
	iv, err := h.editableIntervention(r)
	if err != nil {
		return err
	}
	return h.saveIntervention(w, r, iv, iv.ID)
}

// ---------------------------------------------------------------------
// The record.

// procedureView is a procedure with the name of its person.
type procedureView struct {
	maillon.Procedure
	PersonName string
}

// Level is the code of the autonomy level observed, "" when none.
func (p procedureView) Level() string {
	if p.AutonomyLevel == 0 {
		return ""
	}
	return strconv.Itoa(p.AutonomyLevel)
}

type interventionPage struct {
	Page
	Intervention *maillon.Intervention
	Place        string
	Procedures   []procedureView
	CanEdit      bool
	Overdue      bool
	Problem      string
}

func (h *Handler) interventionView(w http.ResponseWriter, r *http.Request, status int, id maillon.InterventionID, problem string) error {
	a := actor(r)
	iv, err := h.svc.Interventions.FindInterventionByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := interventionTitle(iv)
	p := interventionPage{Page: h.page(w, r, title, "interventions", Crumb{"/interventions", "Interventions"}, Crumb{"", title}),
		Intervention: iv, Place: placeText(iv), CanEdit: canEditIntervention(a, iv), Problem: problem}
	today := maillon.InParis(h.now())
	p.Overdue = !iv.FollowUpOn.IsZero() && (maillon.FollowUp{On: iv.FollowUpOn, Done: iv.FollowUpDone}).
		Overdue(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, maillon.Paris))
	for _, pr := range iv.Procedures {
		v := procedureView{Procedure: pr}
		if i := slices.IndexFunc(iv.Persons, func(x maillon.PersonRef) bool { return x.ID == pr.PersonID }); i >= 0 {
			v.PersonName = iv.Persons[i].Name
		}
		p.Procedures = append(p.Procedures, v)
	}
	return h.render(w, status, "interventions/show", p)
}

func (h *Handler) handleInterventionShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.interventionView(w, r, http.StatusOK, maillon.InterventionID(id), "")
}

// handleFollowUpDone marks the follow-up of an intervention done (done=1)
// or not (done=0), then goes back to the page the button was on.
func (h *Handler) handleFollowUpDone(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	done := checked(r.PostForm.Get("done"))
	if err := h.svc.Interventions.SetFollowUpDone(r.Context(), actor(r), maillon.InterventionID(id), done); err != nil {
		if !errors.Is(err, maillon.ErrInvalid) {
			return err
		}
		return h.interventionView(w, r, http.StatusUnprocessableEntity, maillon.InterventionID(id),
			maillon.ErrorMessage(err, "La relance n'a pas pu être modifiée."))
	}
	if done {
		h.setFlash(w, "La relance est marquée comme faite.")
	} else {
		h.setFlash(w, "La relance est de nouveau à faire.")
	}
	back := interventionURL(maillon.InterventionID(id))
	if b := r.PostForm.Get("back"); b != "" {
		back = safeNext(b)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}
