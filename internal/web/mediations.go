package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/ui"
)

const mediationsPerPage = 50

// recentInterventions is how many of the mediator's interventions the
// forms offer, for steps and identified parties.
const recentInterventions = 40

func mediationURL(id maillon.MediationID) string {
	return "/mediations/" + strconv.FormatInt(int64(id), 10)
}

// topicOptions lists the topics of both kinds in one select, labelled
// with their kind, so that no script is needed; the store checks that the
// topic belongs to the kind chosen.
func topicOptions() []ui.Option {
	out := []ui.Option{{Value: "", Label: "Choisir le domaine"}}
	for _, c := range maillon.ConflictTopics {
		out = append(out, ui.Option{Value: c.Code, Label: "Conflit – " + c.Label})
	}
	for _, c := range maillon.InstitutionTopics {
		out = append(out, ui.Option{Value: c.Code, Label: "Institution – " + c.Label})
	}
	return out
}

// ---------------------------------------------------------------------
// The list and its filters.

type mediationsPage struct {
	Page
	Mediations []maillon.Mediation
	Total      int
	Filter     *ui.Form
	Kinds      []ui.Option
	Statuses   []ui.Option
	Teams      []ui.Option
	Places     []ui.Option
	Ages       []ui.Option
	Pagination pagination
}

func (h *Handler) handleMediationIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("kind", "status", "team", "place", "age")
	for _, k := range form.Order {
		form.Set(k, q.Get(k))
	}
	f := maillon.MediationFilter{Limit: mediationsPerPage, Offset: pageOffset(r, mediationsPerPage)}
	choose := func(field string, cs maillon.Choices, dst *string, msg string) {
		if v := q.Get(field); v != "" {
			if cs.Valid(v) {
				*dst = v
			} else {
				form.Errors[field] = msg
			}
		}
	}
	choose("kind", maillon.MediationKinds, &f.Kind, "Choisissez un type dans la liste.")
	choose("status", maillon.MediationStatuses, &f.Status, "Choisissez un statut dans la liste.")
	choose("age", maillon.MediationAges, &f.Age, "Choisissez une ancienneté dans la liste.")
	if f.TeamID = formID[maillon.TeamID](q.Get("team")); f.TeamID < 0 {
		form.Errors["team"] = "Choisissez une équipe dans la liste."
	}
	var msg string
	if f.CommuneID, f.ZoneID, msg = h.parsePlace(r, q.Get("place")); msg != "" {
		form.Errors["place"] = msg
	}
	p := mediationsPage{Page: h.page(w, r, "Médiations", "mediations"), Filter: form,
		Kinds: options(maillon.MediationKinds, "Tous les types"), Statuses: options(maillon.MediationStatuses, "Tous les statuts"),
		Ages: options(maillon.MediationAges, "Toutes les anciennetés")}
	p.Form = form
	var err error
	if p.Teams, err = h.teamOptions(r, "Toutes les équipes"); err != nil {
		return err
	}
	if p.Places, err = h.placeOptions(r, "Tous les lieux"); err != nil {
		return err
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		if p.Mediations, p.Total, err = h.svc.Mediations.FindMediations(r.Context(), a, f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/mediations", f.Offset, mediationsPerPage, len(p.Mediations), p.Total)
	}
	return h.render(w, status, "mediations/index", p)
}

// ---------------------------------------------------------------------
// Choices drawn from the mediator's recent work.

// recentWork reads the actor's recent interventions: the steps a case may
// link, and the people they met, who may be identified parties.
func (h *Handler) recentWork(r *http.Request) ([]maillon.Intervention, error) {
	a := actor(r)
	ivs, _, err := h.svc.Interventions.FindInterventions(r.Context(), a,
		maillon.InterventionFilter{MediatorID: a.UserID, Limit: recentInterventions})
	return ivs, err
}

// personOptions lists the people of the actor's recent interventions, and
// extra (the people a form starts from, or chose) first.
func personOptions(ivs []maillon.Intervention, extra ...*maillon.PersonRef) []ui.Option {
	out := []ui.Option{{Value: "", Label: "Choisir la personne"}}
	seen := map[maillon.PersonID]bool{}
	add := func(p maillon.PersonRef) {
		if !seen[p.ID] {
			seen[p.ID] = true
			out = append(out, ui.Option{Value: strconv.FormatInt(int64(p.ID), 10), Label: p.Name})
		}
	}
	for _, p := range extra {
		if p != nil {
			add(*p)
		}
	}
	for _, iv := range ivs {
		for _, p := range iv.Persons {
			add(p)
		}
	}
	return out
}

// interventionOptions lists interventions for a step, those naming an
// identified party of the case first.
func interventionOptions(ivs []maillon.Intervention, m *maillon.Mediation) []ui.Option {
	parties := map[maillon.PersonID]bool{}
	for _, p := range m.Parties {
		if p.PersonID != 0 {
			parties[p.PersonID] = true
		}
	}
	var first, rest []ui.Option
	for _, iv := range ivs {
		label := maillon.InParis(iv.StartAt).Format("02/01/2006 15:04") + " – " + maillon.Registres.Label(iv.Registre)
		named := false
		var names []string
		for _, p := range iv.Persons {
			names = append(names, p.Name)
			named = named || parties[p.ID]
		}
		if len(names) > 0 {
			label += " – " + strings.Join(names, ", ")
		}
		o := ui.Option{Value: strconv.FormatInt(int64(iv.ID), 10), Label: label}
		if named {
			first = append(first, o)
		} else {
			rest = append(rest, o)
		}
	}
	return append(append([]ui.Option{{Value: "", Label: "Choisir l'intervention"}}, first...), rest...)
}

// ---------------------------------------------------------------------
// The opening form.

type mediationFormPage struct {
	Page
	Kinds        []ui.Option
	Topics       []ui.Option
	Origins      []ui.Option
	Teams        []ui.Option // coordinators and administrators only
	Places       []ui.Option
	PartyKinds   []ui.Option
	People       []ui.Option
	Methods      []ui.Option
	ScopeIssues  []ui.Option
	RelayTargets []ui.Option
	Parties      []partyBlock
}

// partyBlock is one of the two party fieldsets of the opening form.
type partyBlock struct {
	Legend, Prefix string
}

func (h *Handler) mediationFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, people ...*maillon.PersonRef) error {
	a := actor(r)
	title := "Nouvelle médiation"
	p := mediationFormPage{Page: h.page(w, r, title, "mediations", Crumb{"/mediations", "Médiations"}, Crumb{"", title}),
		Kinds: options(maillon.MediationKinds, ""), Topics: topicOptions(), Origins: options(maillon.MediationOrigins, "Choisir"),
		PartyKinds: options(maillon.PartyKinds, "Choisir le type de partie"), Methods: options(maillon.ConsentMethods, ""),
		ScopeIssues: options(maillon.ScopeIssues, ""), RelayTargets: options(maillon.RelayTargets, "Choisir"),
		Parties: []partyBlock{{"Première partie", "party1_"}, {"Deuxième partie", "party2_"}}}
	p.Form = f
	var err error
	if a.CanViewTeamData(a.StructureID) {
		if p.Teams, err = h.teamOptions(r, "Aucune équipe"); err != nil {
			return err
		}
	}
	if p.Places, err = h.placeOptions(r, "Non précisé"); err != nil {
		return err
	}
	ivs, err := h.recentWork(r)
	if err != nil {
		return err
	}
	p.People = personOptions(ivs, people...)
	return h.render(w, status, "mediations/form", p)
}

// formPerson reads the person a form starts from (?person=); an unknown
// one is ignored.
func (h *Handler) formPerson(r *http.Request, pid maillon.PersonID) (*maillon.PersonRef, error) {
	if pid <= 0 {
		return nil, nil
	}
	file, err := h.svc.People.FindPersonFile(r.Context(), actor(r), pid)
	if errors.Is(err, maillon.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &maillon.PersonRef{ID: pid, Name: file.Person.DisplayName()}, nil
}

func (h *Handler) handleMediationNew(w http.ResponseWriter, r *http.Request) error {
	person, err := h.formPerson(r, formID[maillon.PersonID](r.URL.Query().Get("person")))
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.MediationFields...)
	f.Set("kind", maillon.MediationConflit).Set("origin_on", maillon.InParis(h.now()).Format("2006-01-02"))
	f.Set("party1_consent_method", "oral").Set("party2_consent_method", "oral")
	if a := actor(r); a.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(a.TeamID), 10))
	}
	if person != nil {
		f.Set("party1_kind", maillon.PartyPerson).Set("party1_person_id", strconv.FormatInt(int64(person.ID), 10))
	}
	return h.mediationFormView(w, r, http.StatusOK, f, person)
}

// readParty reads the fields of a party carrying prefix.
func readParty(pf map[string][]string, prefix string, f *ui.Form) maillon.PartyInput {
	get := func(k string) string {
		if v := pf[prefix+k]; len(v) > 0 {
			f.Set(prefix+k, v[0])
			return v[0]
		}
		return ""
	}
	return maillon.PartyInput{Kind: get("kind"), PersonID: formID[maillon.PersonID](get("person_id")), Label: get("label"),
		Consent: checked(get("consent")), ConsentMethod: get("consent_method"), ConsentOn: get("consent_on")}
}

func (h *Handler) handleMediationCreate(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	f := ui.NewForm(maillon.MediationFields...)
	for _, k := range []string{"kind", "topic", "subject", "origin", "origin_on", "team_id", "place", "relay_target",
		"relay_reason", "notes"} {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("scope_issues", pf["scope_issues"])
	a := actor(r)
	var team maillon.TeamID
	if a.CanViewTeamData(a.StructureID) {
		// Only the coordination chooses; the store ignores it otherwise.
		team = formID[maillon.TeamID](pf.Get("team_id"))
	}
	in := maillon.MediationInput{Kind: pf.Get("kind"), Topic: pf.Get("topic"), Subject: pf.Get("subject"),
		Origin: pf.Get("origin"), OriginOn: pf.Get("origin_on"), TeamID: team,
		Notes: pf.Get("notes"), ScopeIssues: pf["scope_issues"], RelayTarget: pf.Get("relay_target"),
		RelayReason: pf.Get("relay_reason")}
	var placeErr string
	in.CommuneID, in.ZoneID, placeErr = h.parsePlace(r, pf.Get("place"))
	in.Parties = []maillon.PartyInput{readParty(pf, "party1_", f), readParty(pf, "party2_", f)}
	var m *maillon.Mediation
	var err error
	if placeErr != "" {
		_, _, verr := in.Validate(h.now())
		fields := maillon.FieldsOf(verr)
		if fields == nil {
			fields = map[string]string{}
		}
		fields["place"] = placeErr
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: fields}
	} else {
		m, err = h.svc.Mediations.CreateMediation(r.Context(), a, in)
	}
	if err == nil {
		msg := "La médiation a été ouverte."
		if m.Outcome == maillon.OutcomeRelais {
			msg = "La situation sort du cadre de la médiation : le relais est enregistré et la médiation clôturée."
		}
		h.setFlash(w, msg)
		http.Redirect(w, r, mediationURL(m.ID), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "subject")
	// The people chosen stay offered, whether or not the mediator met
	// them lately.
	var people []*maillon.PersonRef
	for _, k := range []string{"party1_person_id", "party2_person_id"} {
		person, err := h.formPerson(r, formID[maillon.PersonID](pf.Get(k)))
		if err != nil {
			return err
		}
		people = append(people, person)
	}
	return h.mediationFormView(w, r, http.StatusUnprocessableEntity, f, people...)
}

// ---------------------------------------------------------------------
// The case: its timeline, parties, steps, agreement and status.

// mediationEvent is one line of a case's timeline.
type mediationEvent struct {
	At     time.Time
	Title  string
	Detail string
	URL    string
}

// partyView is a party with its consent form.
type partyView struct {
	maillon.MediationParty
	Prefix string
	Form   *ui.Form
}

type mediationPage struct {
	Page
	Mediation     *maillon.Mediation
	Parties       []partyView
	Timeline      []mediationEvent
	Problem       string
	CanStart      bool
	CloseForm     *ui.Form
	PartyForm     *ui.Form
	StepForm      *ui.Form
	CommitForm    *ui.Form
	FollowForm    *ui.Form
	Outcomes      []ui.Option
	RelayTargets  []ui.Option
	PartyKinds    []ui.Option
	Methods       []ui.Option
	People        []ui.Option
	StepKinds     []ui.Option
	Interventions []ui.Option
	PartyOptions  []ui.Option
	CommitParties []ui.Option // parties whose consent is in force
	Results       []ui.Option
	FollowUpDue   bool
	// NewIntervURL opens the intervention form with the identified
	// parties named, for a step not yet recorded.
	NewIntervURL string
}

// mediationTimeline tells the story of the case, newest first.
func mediationTimeline(m *maillon.Mediation) []mediationEvent {
	ev := []mediationEvent{{At: m.OriginOn, Title: "Saisine : " + maillon.MediationOrigins.Label(m.Origin)}}
	names := map[maillon.MediationPartyID]string{}
	for _, p := range m.Parties {
		names[p.ID] = p.Name()
		// The parties named at opening are part of the opening.
		if p.CreatedAt.Sub(m.CreatedAt) > time.Minute {
			ev = append(ev, mediationEvent{At: p.CreatedAt, Title: "Partie ajoutée : " + p.Name(), Detail: maillon.PartyKinds.Label(p.Kind)})
		}
		if !p.ConsentOn.IsZero() {
			ev = append(ev, mediationEvent{At: p.ConsentOn, Title: "Accord pour participer : " + p.Name(),
				Detail: maillon.ConsentMethods.Label(p.Method)})
		}
		if !p.WithdrawnAt.IsZero() {
			ev = append(ev, mediationEvent{At: p.WithdrawnAt, Title: "Accord retiré : " + p.Name()})
		}
	}
	for _, s := range m.Steps {
		detail := s.Note
		if n := names[s.PartyID]; n != "" {
			detail = strings.TrimSuffix("Avec "+n+" · "+s.Note, " · ")
		}
		ev = append(ev, mediationEvent{At: s.At, Title: maillon.StepKinds.Label(s.Kind), Detail: detail, URL: interventionURL(s.InterventionID)})
	}
	for _, c := range m.Commitments {
		ev = append(ev, mediationEvent{At: c.AgreedOn, Title: "Engagement de " + names[c.PartyID], Detail: c.Text})
	}
	for _, e := range m.History {
		if e.Action != maillon.AuditMediationStatus && e.Action != maillon.AuditMediationConsent {
			continue
		}
		for _, f := range e.Fields {
			if s, ok := strings.CutPrefix(f, "status_"); ok {
				ev = append(ev, mediationEvent{At: e.At, Title: "Statut : " + maillon.MediationStatuses.Label(s), Detail: "par " + e.ActorLabel()})
			}
		}
	}
	if m.Closed() {
		detail := maillon.MediationOutcomes.Label(m.Outcome)
		if m.Outcome == maillon.OutcomeRelais {
			detail += " vers " + maillon.RelayTargets.Label(m.RelayTarget) + " (" + m.RelayReason + ")"
		}
		ev = append(ev, mediationEvent{At: m.ClosedAt, Title: "Clôture", Detail: detail})
		if m.FollowUpDone {
			ev = append(ev, mediationEvent{At: m.UpdatedAt, Title: "Suivi de l'accord", Detail: maillon.FollowUpResults.Label(m.FollowUpResult)})
		}
	}
	slices.SortStableFunc(ev, func(a, b mediationEvent) int { return b.At.Compare(a.At) })
	return ev
}

// mediationView renders a case; failed names the form in error ("close",
// "party", "step", "commitment", "followup" or "consent<id>") with its
// errors in f.
func (h *Handler) mediationView(w http.ResponseWriter, r *http.Request, status int, id maillon.MediationID, failed string, f *ui.Form, problem string) error {
	a := actor(r)
	m, err := h.svc.Mediations.FindMediationByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := "Médiation : " + m.Subject
	p := mediationPage{Page: h.page(w, r, title, "mediations", Crumb{"/mediations", "Médiations"}, Crumb{"", m.Subject}),
		Mediation: m, Timeline: mediationTimeline(m), Problem: problem, CanStart: m.StartProblem() == "",
		CloseForm: ui.NewForm(maillon.MediationStatusFields...),
		PartyForm: ui.NewForm("party_kind", "party_person_id", "party_label", "party_consent", "party_consent_method", "party_consent_on"),
		StepForm:  ui.NewForm(maillon.StepFields...), CommitForm: ui.NewForm(maillon.CommitmentFields...), FollowForm: ui.NewForm("result"),
		Outcomes: options(maillon.MediationOutcomes, ""), RelayTargets: options(maillon.RelayTargets, "Choisir (pour un relais)"),
		PartyKinds: options(maillon.PartyKinds, "Choisir le type de partie"), Methods: options(maillon.ConsentMethods, ""),
		StepKinds: options(maillon.StepKinds, "Choisir le type d'étape"), Results: options(maillon.FollowUpResults, "")}
	p.PartyForm.Set("party_consent_method", "oral")
	p.PartyOptions = []ui.Option{{Value: "", Label: "Aucune en particulier"}}
	commitParties := []ui.Option{{Value: "", Label: "Choisir la partie"}}
	for _, party := range m.Parties {
		prefix := "consent" + strconv.FormatInt(int64(party.ID), 10) + "_"
		pv := partyView{MediationParty: party, Prefix: prefix, Form: ui.NewForm(prefix+"method", prefix+"on")}
		if failed == "consent"+strconv.FormatInt(int64(party.ID), 10) {
			pv.Form = f
		}
		p.Parties = append(p.Parties, pv)
		o := ui.Option{Value: strconv.FormatInt(int64(party.ID), 10), Label: party.Name()}
		p.PartyOptions = append(p.PartyOptions, o)
		if party.Consenting() {
			commitParties = append(commitParties, o)
		}
	}
	switch failed {
	case "close":
		p.CloseForm = f
	case "party":
		p.PartyForm = f
	case "step":
		p.StepForm = f
	case "commitment":
		p.CommitForm = f
	case "followup":
		p.FollowForm = f
	}
	p.Form = f
	if !m.Closed() {
		ivs, err := h.recentWork(r)
		if err != nil {
			return err
		}
		p.People = personOptions(ivs)
		p.Interventions = interventionOptions(ivs, m)
	}
	p.CommitParties = commitParties
	q := url.Values{}
	for _, party := range m.Parties {
		if party.PersonID != 0 {
			q.Add("person", strconv.FormatInt(int64(party.PersonID), 10))
		}
	}
	p.NewIntervURL = "/interventions/new"
	if len(q) > 0 {
		p.NewIntervURL += "?" + q.Encode()
	}
	p.FollowUpDue = m.Closed() && !m.FollowUpOn.IsZero() && !m.FollowUpDone
	return h.render(w, status, "mediations/show", p)
}

func (h *Handler) handleMediationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.mediationView(w, r, http.StatusOK, maillon.MediationID(id), "", nil, "")
}

// mediationAction runs a change of the case and redirects with flash, or
// re-renders the page with the form's errors (prefixed by prefix) on
// ErrInvalid; a refusal without fields shows as the page's problem.
func (h *Handler) mediationAction(w http.ResponseWriter, r *http.Request, id maillon.MediationID, failed, prefix string, f *ui.Form,
	err error, flash string) error {
	if err == nil {
		h.setFlash(w, flash)
		http.Redirect(w, r, mediationURL(id), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	fields := maillon.FieldsOf(err)
	if msg, ok := fields["status"]; ok || len(fields) == 0 {
		if msg == "" {
			msg = maillon.ErrorMessage(err, "Ce changement n'est pas possible.")
		}
		return h.mediationView(w, r, http.StatusUnprocessableEntity, id, "", nil, msg)
	}
	for k, v := range fields {
		f.Errors[prefix+k] = v
	}
	return h.mediationView(w, r, http.StatusUnprocessableEntity, id, failed, f, "")
}

// handleMediationStatus starts, suspends, resumes or closes a case.
func (h *Handler) handleMediationStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	in := maillon.MediationStatusInput{Status: pf.Get("status"), Outcome: pf.Get("outcome"), OutcomeText: pf.Get("outcome_text"),
		RelayTarget: pf.Get("relay_target"), RelayReason: pf.Get("relay_reason"), FollowUpOn: pf.Get("follow_up_on")}
	f := ui.NewForm(maillon.MediationStatusFields...)
	for _, k := range maillon.MediationStatusFields {
		f.Set(k, pf.Get(k))
	}
	err = h.svc.Mediations.SetMediationStatus(r.Context(), actor(r), maillon.MediationID(id), in)
	return h.mediationAction(w, r, maillon.MediationID(id), "close", "", f, err,
		"La médiation est maintenant « "+maillon.MediationStatuses.Label(in.Status)+" ».")
}

func (h *Handler) handleMediationParty(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("party_kind", "party_person_id", "party_label", "party_consent", "party_consent_method", "party_consent_on")
	in := readParty(r.PostForm, "party_", f)
	err = h.svc.Mediations.AddMediationParty(r.Context(), actor(r), maillon.MediationID(id), in)
	return h.mediationAction(w, r, maillon.MediationID(id), "party", "party_", f, err, "La partie a été ajoutée.")
}

// handleMediationConsent records or withdraws a party's consent.
func (h *Handler) handleMediationConsent(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	party := formID[maillon.MediationPartyID](pf.Get("party_id"))
	if party <= 0 {
		return maillon.NotFound("Partie")
	}
	prefix := "consent" + strconv.FormatInt(int64(party), 10) + "_"
	f := ui.NewForm(prefix+"method", prefix+"on")
	f.Set(prefix+"method", pf.Get(prefix+"method")).Set(prefix+"on", pf.Get(prefix+"on"))
	in := maillon.PartyConsentInput{Withdraw: pf.Get("action") == "withdraw", Method: pf.Get(prefix + "method"), On: pf.Get(prefix + "on")}
	err = h.svc.Mediations.SetPartyConsent(r.Context(), actor(r), maillon.MediationID(id), party, in)
	flash := "L'accord de la partie pour participer est enregistré."
	if in.Withdraw {
		flash = "Le retrait de l'accord est enregistré : il prend effet immédiatement."
	}
	return h.mediationAction(w, r, maillon.MediationID(id), "consent"+strconv.FormatInt(int64(party), 10), prefix, f, err, flash)
}

func (h *Handler) handleMediationStep(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	f := ui.NewForm(maillon.StepFields...)
	for _, k := range maillon.StepFields {
		f.Set(k, pf.Get(k))
	}
	in := maillon.StepInput{Kind: pf.Get("step_kind"), InterventionID: formID[maillon.InterventionID](pf.Get("intervention_id")),
		PartyID: formID[maillon.MediationPartyID](pf.Get("party_id")), Note: pf.Get("step_note")}
	err = h.svc.Mediations.AddMediationStep(r.Context(), actor(r), maillon.MediationID(id), in)
	return h.mediationAction(w, r, maillon.MediationID(id), "step", "", f, err, "L'étape a été ajoutée.")
}

func (h *Handler) handleMediationCommitment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	f := ui.NewForm(maillon.CommitmentFields...)
	for _, k := range maillon.CommitmentFields {
		f.Set(k, pf.Get(k))
	}
	in := maillon.CommitmentInput{PartyID: formID[maillon.MediationPartyID](pf.Get("commitment_party_id")),
		Text: pf.Get("commitment_text"), AgreedOn: pf.Get("agreed_on")}
	err = h.svc.Mediations.AddCommitment(r.Context(), actor(r), maillon.MediationID(id), in)
	return h.mediationAction(w, r, maillon.MediationID(id), "commitment", "", f, err, "L'engagement a été ajouté à l'accord.")
}

func (h *Handler) handleMediationFollowUp(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("result")
	f.Set("result", r.PostForm.Get("result"))
	err = h.svc.Mediations.SetMediationFollowUp(r.Context(), actor(r), maillon.MediationID(id), r.PostForm.Get("result"))
	return h.mediationAction(w, r, maillon.MediationID(id), "followup", "", f, err, "Le suivi de l'accord est enregistré.")
}

// ---------------------------------------------------------------------
// The printable agreement: only what the parties need.

// agreementParty is a party and its commitments.
type agreementParty struct {
	Name        string
	Commitments []maillon.Commitment
}

type agreementPage struct {
	Page
	Mediation *maillon.Mediation
	Structure maillon.Structure
	Parties   []agreementParty
	Date      time.Time // the latest commitment's day
}

func (h *Handler) handleMediationAgreement(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := h.svc.Mediations.FindMediationAgreement(r.Context(), actor(r), maillon.MediationID(id))
	if err != nil {
		return err
	}
	p := agreementPage{Page: h.page(w, r, "Accord de médiation", "mediations", Crumb{"/mediations", "Médiations"},
		Crumb{mediationURL(m.ID), "Médiation n° " + strconv.FormatInt(int64(m.ID), 10)}, Crumb{"", "Accord"}), Mediation: m, Structure: state(r).sess.Structure}
	// Only the parties who commit to something appear, under the name
	// they agreed to.
	for _, party := range m.Parties {
		ap := agreementParty{Name: party.Name()}
		for _, c := range m.Commitments {
			if c.PartyID == party.ID {
				ap.Commitments = append(ap.Commitments, c)
				if c.AgreedOn.After(p.Date) {
					p.Date = c.AgreedOn
				}
			}
		}
		if len(ap.Commitments) > 0 {
			p.Parties = append(p.Parties, ap)
		}
	}
	return h.render(w, http.StatusOK, "mediations/agreement", p)
}
