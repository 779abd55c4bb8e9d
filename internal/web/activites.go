package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

// Collective actions (activités support): projects, sessions,
// evaluation, bilan, and the public satisfaction questionnaire.

const activitesPerPage = 50

func activiteURL(id maillon.ActiviteID) string {
	return "/activites/" + strconv.FormatInt(int64(id), 10)
}

func seanceURL(id maillon.ActiviteID, sid maillon.SeanceID) string {
	return activiteURL(id) + "/seances/" + strconv.FormatInt(int64(sid), 10)
}

// seanceIDs reads the project and session IDs of the path.
func seanceIDs(r *http.Request) (maillon.ActiviteID, maillon.SeanceID, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	sid, err := strconv.ParseInt(r.PathValue("sid"), 10, 64)
	if err != nil || sid <= 0 {
		return 0, 0, maillon.NotFound("Page")
	}
	return maillon.ActiviteID(id), maillon.SeanceID(sid), nil
}

func activiteCrumbs(a *maillon.Activite, last string) []Crumb {
	cs := []Crumb{{"/activites", "Actions collectives"}}
	if a != nil {
		cs = append(cs, Crumb{activiteURL(a.ID), a.Title})
	}
	return append(cs, Crumb{"", last})
}

// ---------------------------------------------------------------------
// The list.

type activitesPage struct {
	Page
	Activites  []maillon.Activite
	Total      int
	Filter     *ui.Form
	Statuses   []ui.Option
	Kinds      []ui.Option
	Places     []ui.Option
	Pagination pagination
}

func (h *Handler) handleActiviteIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := ui.NewForm("status", "kind", "place")
	for _, k := range form.Order {
		form.Set(k, q.Get(k))
	}
	f := maillon.ActiviteFilter{Limit: activitesPerPage, Offset: pageOffset(r, activitesPerPage)}
	if v := q.Get("status"); v != "" {
		if maillon.ActiviteStatuses.Valid(v) {
			f.Status = v
		} else {
			form.Errors["status"] = "Choisissez un statut dans la liste."
		}
	}
	if v := q.Get("kind"); v != "" {
		if maillon.ActiviteKinds.Valid(v) {
			f.Kind = v
		} else {
			form.Errors["kind"] = "Choisissez un type dans la liste."
		}
	}
	var msg string
	if f.CommuneID, f.ZoneID, msg = h.parsePlace(r, q.Get("place")); msg != "" {
		form.Errors["place"] = msg
	}
	p := activitesPage{Page: h.page(w, r, "Actions collectives", "activites"), Filter: form,
		Statuses: options(maillon.ActiviteStatuses, "Tous les statuts"), Kinds: options(maillon.ActiviteKinds, "Tous les types")}
	p.Form = form
	var err error
	if p.Places, err = h.placeOptions(r, "Tout le territoire"); err != nil {
		return err
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		if p.Activites, p.Total, err = h.svc.Activites.FindActivites(r.Context(), actor(r), f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/activites", f.Offset, activitesPerPage, len(p.Activites), p.Total)
	}
	return h.render(w, status, "activites/index", p)
}

// ---------------------------------------------------------------------
// The project form (new and edit).

type activiteFormPage struct {
	Page
	Activite       *maillon.Activite // nil when creating
	Action         string
	Kinds          []ui.Option
	Places         []ui.Option
	Teams          []ui.Option
	Participations []ui.Option
	Channels       []ui.Option
	Accessibility  []ui.Option
}

func (h *Handler) activiteFormView(w http.ResponseWriter, r *http.Request, status int, a *maillon.Activite, f *ui.Form) error {
	title, action := "Nouvelle action collective", "/activites"
	crumbs := activiteCrumbs(nil, title)
	if a != nil {
		title, action = "Modifier l'action", activiteURL(a.ID)
		crumbs = activiteCrumbs(a, "Modifier")
	}
	p := activiteFormPage{Page: h.page(w, r, title, "activites", crumbs...), Activite: a, Action: action,
		Kinds: options(maillon.ActiviteKinds, "Choisir le type"), Participations: options(maillon.ParticipationLevels, "Non précisé"),
		Channels: options(maillon.CommunicationChannels, ""), Accessibility: options(maillon.AccessibilityItems, "")}
	p.Form = f
	var err error
	if ac := actor(r); ac.CanViewTeamData(ac.StructureID) {
		if p.Teams, err = h.teamOptions(r, "Aucune équipe"); err != nil {
			return err
		}
	}
	if p.Places, err = h.placeOptions(r, "Non précisé"); err != nil {
		return err
	}
	return h.render(w, status, "activites/form", p)
}

func (h *Handler) handleActiviteNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.ActiviteFields...)
	if a := actor(r); a.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(a.TeamID), 10))
	}
	return h.activiteFormView(w, r, http.StatusOK, nil, f)
}

// readActiviteForm copies the posted project into a form and an input.
func (h *Handler) readActiviteForm(r *http.Request) (*ui.Form, maillon.ActiviteInput, string) {
	pf := r.PostForm
	f := ui.NewForm(maillon.ActiviteFields...)
	for _, k := range maillon.ActiviteFields {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("channels", pf["channels"])
	f.SetAll("accessibility", pf["accessibility"])
	in := maillon.ActiviteInput{Title: pf.Get("title"), Kind: pf.Get("kind"), Public: pf.Get("public"), Need: pf.Get("need"),
		NeedSource: pf.Get("need_source"), Participation: pf.Get("participation"), Resources: pf.Get("resources"),
		Channels: pf["channels"], Accessibility: pf["accessibility"], Risks: pf.Get("risks"), StartsOn: pf.Get("starts_on"),
		EndsOn: pf.Get("ends_on"), TeamID: formID[maillon.TeamID](pf.Get("team_id")), Why: pf.Get("why")}
	var placeErr string
	in.CommuneID, in.ZoneID, placeErr = h.parsePlace(r, pf.Get("place"))
	return f, in, placeErr
}

// activitePlaceError merges the place's error into the validation's.
func activitePlaceError(in maillon.ActiviteInput, placeErr string, now time.Time) error {
	fields := map[string]string{}
	if _, _, verr := in.Validate(now); verr != nil {
		fields = maillon.FieldsOf(verr)
	}
	fields["place"] = placeErr
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: fields}
}

func (h *Handler) handleActiviteCreate(w http.ResponseWriter, r *http.Request) error {
	f, in, placeErr := h.readActiviteForm(r)
	var a *maillon.Activite
	var err error
	if placeErr != "" {
		err = activitePlaceError(in, placeErr, h.now())
	} else {
		a, err = h.svc.Activites.CreateActivite(r.Context(), actor(r), in)
	}
	if err == nil {
		h.setFlash(w, "L'action collective a été créée, au stade « idée ». Ajoutez ses objectifs, ses partenaires et son budget.")
		http.Redirect(w, r, activiteURL(a.ID), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "title")
	return h.activiteFormView(w, r, http.StatusUnprocessableEntity, nil, f)
}

func (h *Handler) handleActiviteEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), maillon.ActiviteID(id))
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.ActiviteFields...)
	f.Set("title", a.Title).Set("kind", a.Kind).Set("place", placeValue(a.CommuneID, a.ZoneID)).Set("public", a.Public).
		Set("need", a.Need).Set("need_source", a.NeedSource).Set("participation", a.Participation).Set("resources", a.Resources).
		Set("risks", a.Risks).SetAll("channels", a.Channels).SetAll("accessibility", a.Accessibility)
	if a.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(a.TeamID), 10))
	}
	if !a.StartsOn.IsZero() {
		f.Set("starts_on", maillon.InParis(a.StartsOn).Format("2006-01-02"))
	}
	if !a.EndsOn.IsZero() {
		f.Set("ends_on", maillon.InParis(a.EndsOn).Format("2006-01-02"))
	}
	return h.activiteFormView(w, r, http.StatusOK, a, f)
}

func (h *Handler) handleActiviteUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid := maillon.ActiviteID(id)
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), aid)
	if err != nil {
		return err
	}
	f, in, placeErr := h.readActiviteForm(r)
	if placeErr != "" {
		err = activitePlaceError(in, placeErr, h.now())
	} else {
		err = h.svc.Activites.UpdateActivite(r.Context(), actor(r), aid, in)
	}
	if err == nil {
		h.setFlash(w, "L'action a été modifiée.")
		http.Redirect(w, r, activiteURL(aid), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "title")
	return h.activiteFormView(w, r, http.StatusUnprocessableEntity, a, f)
}

// ---------------------------------------------------------------------
// The project page.

type activitePage struct {
	Page
	Activite    *maillon.Activite
	Problem     string
	CanValidate bool
	Next        []ui.Option
	StatusForm  *ui.Form
	CancelForm  *ui.Form
	ObjForm     *ui.Form
	PartnerForm *ui.Form
	BudgetForm  *ui.Form
	ActualForm  *ui.Form
	AdjForm     *ui.Form
	Indicators  []ui.Option
	Directory   []ui.Option
	Upcoming    int
	// Sessions are the rows of the sessions table, formatted here:
	// a project may hold hundreds, and each template function call
	// costs reflection.
	Sessions []seanceRow
}

// seanceRow is a line of a project's sessions table.
type seanceRow struct {
	URL, ISO, When, Place, Places, Waiting, Present, Answers string
}

func seanceRows(a *maillon.Activite) []seanceRow {
	out := make([]seanceRow, len(a.Seances))
	dash := func(n int, show bool) string {
		if !show || n == 0 {
			return "–"
		}
		return strconv.Itoa(n)
	}
	for i, s := range a.Seances {
		out[i] = seanceRow{URL: seanceURL(a.ID, s.ID), ISO: ui.ISODateTime(s.StartsAt),
			When: ui.Date(s.StartsAt) + " à " + ui.Clock(s.StartsAt), Place: s.Place,
			Places: strconv.Itoa(s.Registered) + " / " + strconv.Itoa(s.Capacity), Waiting: dash(s.Waiting, true),
			Present: dash(s.Present, s.AttendanceDone), Answers: dash(s.Answers, true)}
		if s.AttendanceDone && s.Present == 0 {
			out[i].Present = "0"
		}
	}
	return out
}

// activiteView renders a project; failed names the form in error.
func (h *Handler) activiteView(w http.ResponseWriter, r *http.Request, status int, id maillon.ActiviteID, failed string, f *ui.Form, problem string) error {
	ac := actor(r)
	a, err := h.svc.Activites.FindActivite(r.Context(), ac, id)
	if err != nil {
		return err
	}
	p := activitePage{Page: h.page(w, r, a.Title, "activites", Crumb{"/activites", "Actions collectives"}, Crumb{"", a.Title}),
		Activite: a, Problem: problem, CanValidate: ac.CanViewTeamData(a.StructureID),
		StatusForm: ui.NewForm("status"), CancelForm: ui.NewForm("reason"), ObjForm: ui.NewForm(maillon.ObjectiveFields...),
		PartnerForm: ui.NewForm(maillon.ActivitePartnerFields...), BudgetForm: ui.NewForm(maillon.BudgetFields...),
		ActualForm: ui.NewForm(), AdjForm: ui.NewForm(maillon.AdjustmentFields...),
		Indicators: options(maillon.ObjectiveIndicators, "Choisir l'indicateur")}
	for _, s := range a.NextStatuses() {
		p.Next = append(p.Next, ui.Option{Value: s, Label: maillon.ActiviteStatuses.Label(s)})
	}
	for _, b := range a.Budget {
		p.ActualForm.Order = append(p.ActualForm.Order, "actual_"+strconv.FormatInt(b.ID, 10))
		p.ActualForm.Set("actual_"+strconv.FormatInt(b.ID, 10), strconv.Itoa(b.Actual))
	}
	switch failed {
	case "status":
		p.StatusForm = f
	case "cancel":
		p.CancelForm = f
	case "objective":
		p.ObjForm = f
	case "partner":
		p.PartnerForm = f
	case "budget":
		p.BudgetForm = f
	case "actual":
		p.ActualForm = f
	case "adjustment":
		p.AdjForm = f
	}
	p.Form = f
	if a.Open() {
		ds, _, err := h.svc.Directory.FindDirectoryStructures(r.Context(), ac, "", 0, 200)
		if err != nil {
			return err
		}
		p.Directory = []ui.Option{{Value: "", Label: "Pas dans l'annuaire (écrire le nom)"}}
		for _, d := range ds {
			p.Directory = append(p.Directory, ui.Option{Value: strconv.FormatInt(int64(d.ID), 10), Label: d.Nom})
		}
	}
	for _, s := range a.Seances {
		if !s.Past(p.Now) {
			p.Upcoming++
		}
	}
	p.Sessions = seanceRows(a)
	return h.render(w, status, "activites/show", p)
}

func (h *Handler) handleActiviteShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.activiteView(w, r, http.StatusOK, maillon.ActiviteID(id), "", nil, "")
}

// activiteAction redirects after a change, or re-renders the project's
// page with the failed form's errors; a refusal without fields shows as
// the page's alert.
func (h *Handler) activiteAction(w http.ResponseWriter, r *http.Request, id maillon.ActiviteID, failed string, f *ui.Form, err error, flash string) error {
	if err == nil {
		h.setFlash(w, flash)
		http.Redirect(w, r, activiteURL(id), http.StatusSeeOther)
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
		return h.activiteView(w, r, http.StatusUnprocessableEntity, id, "", nil, msg)
	}
	f.Errors = fields
	return h.activiteView(w, r, http.StatusUnprocessableEntity, id, failed, f, "")
}

// postedForm copies the named posted fields into a new form.
func postedForm(r *http.Request, fields ...string) *ui.Form {
	f := ui.NewForm(fields...)
	for _, k := range fields {
		f.Set(k, r.PostForm.Get(k))
	}
	return f
}

func (h *Handler) handleActiviteStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	in := maillon.ActiviteStatusInput{Status: pf.Get("status"), Reason: pf.Get("reason")}
	failed := "status"
	if in.Status == maillon.ActiviteAnnulee {
		failed = "cancel"
	}
	f := postedForm(r, "reason")
	err = h.svc.Activites.SetActiviteStatus(r.Context(), actor(r), maillon.ActiviteID(id), in)
	return h.activiteAction(w, r, maillon.ActiviteID(id), failed, f, err,
		"L'action est maintenant « "+maillon.ActiviteStatuses.Label(in.Status)+" ».")
}

func (h *Handler) handleActiviteObjective(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := postedForm(r, maillon.ObjectiveFields...)
	in := maillon.ObjectiveInput{Label: f.Get("objective_label"), Indicator: f.Get("indicator"), Target: f.Get("target"), Unit: f.Get("unit")}
	err = h.svc.Activites.AddObjective(r.Context(), actor(r), maillon.ActiviteID(id), in)
	return h.activiteAction(w, r, maillon.ActiviteID(id), "objective", f, err, "L'objectif a été ajouté.")
}

func (h *Handler) handleActivitePartner(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := postedForm(r, maillon.ActivitePartnerFields...)
	in := maillon.ActivitePartnerInput{DirectoryID: formID[maillon.DirectoryStructureID](f.Get("directory_id")),
		Name: f.Get("partner_name"), Role: f.Get("partner_role")}
	err = h.svc.Activites.AddActivitePartner(r.Context(), actor(r), maillon.ActiviteID(id), in)
	return h.activiteAction(w, r, maillon.ActiviteID(id), "partner", f, err, "Le partenaire a été ajouté.")
}

func (h *Handler) handleActiviteBudget(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := postedForm(r, maillon.BudgetFields...)
	in := maillon.BudgetInput{Funder: f.Get("funder"), Label: f.Get("budget_label"), Planned: f.Get("planned"), Actual: f.Get("actual")}
	err = h.svc.Activites.AddBudgetLine(r.Context(), actor(r), maillon.ActiviteID(id), in)
	return h.activiteAction(w, r, maillon.ActiviteID(id), "budget", f, err, "La ligne de budget a été ajoutée.")
}

func (h *Handler) handleActiviteActual(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm()
	in := maillon.BudgetActualInput{Actual: map[int64]string{}}
	for k, v := range r.PostForm {
		line, ok := strings.CutPrefix(k, "actual_")
		if !ok || len(v) == 0 {
			continue
		}
		n, err := strconv.ParseInt(line, 10, 64)
		if err != nil || n <= 0 {
			continue
		}
		in.Actual[n] = v[0]
		f.Order = append(f.Order, k)
		f.Set(k, v[0])
	}
	if len(in.Actual) == 0 {
		err = maillon.Errorf(maillon.ErrInvalid, "Indiquez au moins un montant réel.")
	} else {
		err = h.svc.Activites.SetBudgetActual(r.Context(), actor(r), maillon.ActiviteID(id), in)
	}
	return h.activiteAction(w, r, maillon.ActiviteID(id), "actual", f, err, "Les dépenses réelles ont été enregistrées.")
}

func (h *Handler) handleActiviteAdjustment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := postedForm(r, maillon.AdjustmentFields...)
	in := maillon.AdjustmentInput{What: f.Get("what"), Why: f.Get("adj_why")}
	err = h.svc.Activites.AddAdjustment(r.Context(), actor(r), maillon.ActiviteID(id), in)
	return h.activiteAction(w, r, maillon.ActiviteID(id), "adjustment", f, err, "L'ajustement a été noté au journal.")
}

// ---------------------------------------------------------------------
// Evaluation and bilan.

type evaluationPage struct {
	Page
	Activite  *maillon.Activite
	Decisions []ui.Option
	Problem   string
}

func (h *Handler) evaluationView(w http.ResponseWriter, r *http.Request, status int, id maillon.ActiviteID, f *ui.Form) error {
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	p := evaluationPage{Page: h.page(w, r, "Évaluation : "+a.Title, "activites", activiteCrumbs(a, "Évaluation")...),
		Activite: a, Decisions: options(maillon.ActiviteDecisions, "Pas encore décidé")}
	if f == nil {
		f = ui.NewForm()
		for _, o := range a.Objectives {
			if !o.Computed() && o.HasEntered {
				f.Set(maillon.ObjectiveField(o.ID), strconv.Itoa(o.Entered))
			}
		}
		f.Set("effects", a.Effects).Set("testimonies", a.Testimonies).Set("lessons", a.Lessons).
			Set("decision", a.Decision).Set("decision_text", a.DecisionText)
	}
	f.Order = nil
	for _, o := range a.Objectives {
		if !o.Computed() {
			f.Order = append(f.Order, maillon.ObjectiveField(o.ID))
		}
	}
	f.Order = append(f.Order, maillon.EvaluationFields...)
	p.Form = f
	if a.Status != maillon.ActiviteEnCours && a.Status != maillon.ActiviteTerminee {
		p.Problem = "L'évaluation s'enregistre quand l'action est en cours ou terminée : elle est « " +
			maillon.ActiviteStatuses.Label(a.Status) + " »."
	}
	return h.render(w, status, "activites/evaluation", p)
}

func (h *Handler) handleActiviteEvaluationEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.evaluationView(w, r, http.StatusOK, maillon.ActiviteID(id), nil)
}

func (h *Handler) handleActiviteEvaluation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	f := postedForm(r, maillon.EvaluationFields...)
	in := maillon.EvaluationInput{Entered: map[int64]string{}, Effects: pf.Get("effects"), Testimonies: pf.Get("testimonies"),
		Lessons: pf.Get("lessons"), Decision: pf.Get("decision"), DecisionText: pf.Get("decision_text")}
	for k, v := range pf {
		if s, ok := strings.CutPrefix(k, "achieved_"); ok && len(v) > 0 {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				in.Entered[n] = v[0]
				f.Set(k, v[0])
			}
		}
	}
	err = h.svc.Activites.SaveEvaluation(r.Context(), actor(r), maillon.ActiviteID(id), in)
	if err == nil {
		h.setFlash(w, "L'évaluation a été enregistrée. Le bilan est prêt à imprimer.")
		http.Redirect(w, r, activiteURL(maillon.ActiviteID(id))+"/bilan", http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "effects")
	return h.evaluationView(w, r, http.StatusUnprocessableEntity, maillon.ActiviteID(id), f)
}

type bilanPage struct {
	Page
	Activite *maillon.Activite
	Scale    []maillon.Choice
}

func (h *Handler) handleActiviteBilan(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), maillon.ActiviteID(id))
	if err != nil {
		return err
	}
	p := bilanPage{Page: h.page(w, r, "Bilan : "+a.Title, "activites", activiteCrumbs(a, "Bilan")...), Activite: a,
		Scale: maillon.SatisfactionScale}
	return h.render(w, http.StatusOK, "activites/bilan", p)
}

// ---------------------------------------------------------------------
// Sessions.

type seanceFormPage struct {
	Page
	Activite    *maillon.Activite
	Seance      *maillon.Seance // nil when creating
	Action      string
	Recurrences []ui.Option
	Scopes      []ui.Option
}

func (h *Handler) seanceFormView(w http.ResponseWriter, r *http.Request, status int, a *maillon.Activite, s *maillon.Seance, f *ui.Form) error {
	title, action := "Nouvelles séances", activiteURL(a.ID)+"/seances"
	if s != nil {
		title, action = "Modifier la séance", seanceURL(a.ID, s.ID)
	}
	p := seanceFormPage{Page: h.page(w, r, title, "activites", activiteCrumbs(a, title)...), Activite: a, Seance: s, Action: action,
		Recurrences: options(maillon.Recurrences, ""), Scopes: options(maillon.EditScopes, "")}
	p.Form = f
	return h.render(w, status, "activites/seance_form", p)
}

func (h *Handler) handleSeanceNew(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), maillon.ActiviteID(id))
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.SeanceFields...)
	f.Set("start", "14:00").Set("end", "16:00").Set("capacity", "12")
	if !a.StartsOn.IsZero() && a.StartsOn.After(h.now()) {
		f.Set("date", maillon.InParis(a.StartsOn).Format("2006-01-02"))
	}
	return h.seanceFormView(w, r, http.StatusOK, a, nil, f)
}

func readSeanceForm(r *http.Request) (*ui.Form, maillon.SeanceInput) {
	f := postedForm(r, maillon.SeanceFields...)
	return f, maillon.SeanceInput{Date: f.Get("date"), Start: f.Get("start"), End: f.Get("end"), Place: f.Get("place"),
		Capacity: f.Get("capacity"), Facilitators: f.Get("facilitators"), Recurrence: f.Get("recurrence"),
		Count: f.Get("count"), Scope: f.Get("scope")}
}

func (h *Handler) handleSeanceCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid := maillon.ActiviteID(id)
	a, err := h.svc.Activites.FindActivite(r.Context(), actor(r), aid)
	if err != nil {
		return err
	}
	f, in := readSeanceForm(r)
	ids, err := h.svc.Activites.CreateSeances(r.Context(), actor(r), aid, in)
	if err == nil {
		msg := "La séance a été créée."
		if len(ids) > 1 {
			msg = strconv.Itoa(len(ids)) + " séances ont été créées."
		}
		h.setFlash(w, msg)
		http.Redirect(w, r, activiteURL(aid)+"#seances", http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "date")
	return h.seanceFormView(w, r, http.StatusUnprocessableEntity, a, nil, f)
}

func (h *Handler) handleSeanceEdit(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	a, s, err := h.svc.Activites.FindSeance(r.Context(), actor(r), id, sid, false)
	if err != nil {
		return err
	}
	ps, pe := maillon.InParis(s.StartsAt), maillon.InParis(s.EndsAt)
	f := ui.NewForm(maillon.SeanceFields...)
	f.Set("date", ps.Format("2006-01-02")).Set("start", ps.Format("15:04")).Set("end", pe.Format("15:04")).Set("place", s.Place).
		Set("capacity", strconv.Itoa(s.Capacity)).Set("facilitators", s.Facilitators).Set("scope", "une")
	return h.seanceFormView(w, r, http.StatusOK, a, s, f)
}

func (h *Handler) handleSeanceUpdate(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	a, s, err := h.svc.Activites.FindSeance(r.Context(), actor(r), id, sid, false)
	if err != nil {
		return err
	}
	f, in := readSeanceForm(r)
	err = h.svc.Activites.UpdateSeance(r.Context(), actor(r), id, sid, in)
	if err == nil {
		h.setFlash(w, "La séance a été modifiée.")
		http.Redirect(w, r, seanceURL(id, sid), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "date")
	return h.seanceFormView(w, r, http.StatusUnprocessableEntity, a, s, f)
}

// attendanceLines is how many lines of anonymous participants the form
// offers.
const attendanceLines = 4

type tallyLine struct {
	Legend string
	Index  int
}

type seancePage struct {
	Page
	Activite     *maillon.Activite
	Seance       *maillon.Seance
	Problem      string
	RegForm      *ui.Form
	AttForm      *ui.Form
	LinkForm     *ui.Form
	PaperForm    *ui.Form
	People       []ui.Option
	Presences    []ui.Option
	AgeBands     []ui.Option
	Genders      []ui.Option
	Zones        []ui.Option
	Newcomers    []ui.Option
	Lines        []tallyLine
	Questions    []string
	Scale        []maillon.Choice
	ScaleOptions []ui.Option
	NewLink      string
	PersonQuery  string
	LinkOpen     bool
	Happened     bool
}

func (h *Handler) seanceView(w http.ResponseWriter, r *http.Request, status int, id maillon.ActiviteID, sid maillon.SeanceID,
	failed string, f *ui.Form, problem, newToken string) error {
	ac := actor(r)
	a, s, err := h.svc.Activites.FindSeance(r.Context(), ac, id, sid, false)
	if err != nil {
		return err
	}
	title := "Séance du " + ui.LongDate(s.StartsAt)
	p := seancePage{Page: h.page(w, r, title, "activites", activiteCrumbs(a, "Séance du "+ui.Date(s.StartsAt))...),
		Activite: a, Seance: s, Problem: problem, RegForm: ui.NewForm(maillon.RegistrationFields...), AttForm: ui.NewForm(),
		LinkForm: ui.NewForm("days"), PaperForm: ui.NewForm(maillon.SatisfactionFields()...),
		Presences: options(maillon.Presences, ""), AgeBands: options(maillon.AgeBands, "Âge non précisé"),
		Genders: options(maillon.Genders, "Non précisé"), Newcomers: options(maillon.Newcomers, "Non précisé"),
		Questions: maillon.SatisfactionQuestions, Scale: maillon.SatisfactionScale,
		ScaleOptions: options(maillon.SatisfactionScale, "")}
	p.LinkForm.Set("days", strconv.Itoa(maillon.DefaultQuestionnaireDay))
	p.LinkOpen = s.Link.Open(p.Now)
	p.Happened = s.Past(p.Now)
	// The attendance form: one radio group per registration, then the
	// anonymous lines.
	for _, g := range s.Registrations {
		if g.Waiting {
			continue
		}
		k := "presence_" + strconv.FormatInt(g.ID, 10)
		p.AttForm.Order = append(p.AttForm.Order, k)
		v := g.Attendance
		if v == "" && !s.AttendanceDone {
			v = maillon.PresencePresent
		}
		p.AttForm.Set(k, v)
	}
	for i := range attendanceLines {
		p.Lines = append(p.Lines, tallyLine{Legend: "Participants non inscrits, groupe " + strconv.Itoa(i+1), Index: i})
		for _, n := range []string{"count", "age", "gender", "zone", "newcomer"} {
			p.AttForm.Order = append(p.AttForm.Order, maillon.TallyField(i, n))
		}
		if i < len(s.Tallies) {
			t := s.Tallies[i]
			p.AttForm.Set(maillon.TallyField(i, "count"), strconv.Itoa(t.Count)).Set(maillon.TallyField(i, "age"), t.AgeBand).
				Set(maillon.TallyField(i, "gender"), t.Gender)
			if t.ZoneID != 0 {
				p.AttForm.Set(maillon.TallyField(i, "zone"), strconv.FormatInt(int64(t.ZoneID), 10))
			}
			nc := "habitue"
			if t.Newcomer {
				nc = "nouveau"
			}
			p.AttForm.Set(maillon.TallyField(i, "newcomer"), nc)
		}
	}
	p.AttForm.Order = append(p.AttForm.Order, "observations")
	p.AttForm.Set("observations", s.Observations)
	switch failed {
	case "registration":
		p.RegForm = f
	case "attendance":
		p.AttForm = f
	case "link":
		p.LinkForm = f
	case "paper":
		p.PaperForm = f
	}
	p.Form = f
	// People offered: the mediator's recent work, or a name search.
	p.PersonQuery = strings.TrimSpace(r.URL.Query().Get("personne"))
	if len([]rune(p.PersonQuery)) > maillon.MaxNameLen {
		p.PersonQuery = ""
	}
	if p.PersonQuery != "" {
		people, _, err := h.svc.People.FindPersons(r.Context(), ac, maillon.PersonFilter{Query: p.PersonQuery, Limit: 30})
		if err != nil {
			return err
		}
		p.People = []ui.Option{{Value: "", Label: "Choisir la personne"}}
		for _, x := range people {
			p.People = append(p.People, ui.Option{Value: strconv.FormatInt(int64(x.ID), 10), Label: x.DisplayName()})
		}
	} else {
		ivs, err := h.recentWork(r)
		if err != nil {
			return err
		}
		p.People = personOptions(ivs)
	}
	zones, err := h.zoneOptions(r)
	if err != nil {
		return err
	}
	p.Zones = []ui.Option{{Value: "", Label: "Quartier non précisé"}}
	for _, z := range zones[1:] {
		p.Zones = append(p.Zones, ui.Option{Value: z.Value[1:], Label: z.Label})
	}
	if newToken != "" {
		p.NewLink = h.questionnaireURL(r, newToken)
	}
	return h.render(w, status, "activites/seance", p)
}

func (h *Handler) questionnaireURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil || h.opt.SecureCookies {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/q/" + token
}

func (h *Handler) handleSeanceShow(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	return h.seanceView(w, r, http.StatusOK, id, sid, "", nil, "", "")
}

// seanceAction redirects after a change of a session, or re-renders its
// page with the failed form.
func (h *Handler) seanceAction(w http.ResponseWriter, r *http.Request, id maillon.ActiviteID, sid maillon.SeanceID, failed string,
	f *ui.Form, err error, flash string) error {
	if err == nil {
		h.setFlash(w, flash)
		http.Redirect(w, r, seanceURL(id, sid), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	fields := maillon.FieldsOf(err)
	if len(fields) == 0 || f == nil {
		return h.seanceView(w, r, http.StatusUnprocessableEntity, id, sid, "", nil, maillon.ErrorMessage(err, "Ce changement n'est pas possible."), "")
	}
	f.Errors = fields
	return h.seanceView(w, r, http.StatusUnprocessableEntity, id, sid, failed, f, "", "")
}

func (h *Handler) handleSeanceRegister(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	f := postedForm(r, maillon.RegistrationFields...)
	in := maillon.RegistrationInput{PersonID: formID[maillon.PersonID](f.Get("person_id")), Count: f.Get("reg_count")}
	waiting, err := h.svc.Activites.Register(r.Context(), actor(r), id, sid, in)
	flash := "L'inscription est enregistrée."
	if waiting {
		flash = "La séance est complète : l'inscription est sur la liste d'attente. Elle passera en inscrite si une place se libère."
	}
	return h.seanceAction(w, r, id, sid, "registration", f, err, flash)
}

func (h *Handler) handleSeanceUnregister(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	rid, perr := strconv.ParseInt(r.PostForm.Get("registration_id"), 10, 64)
	if perr != nil || rid <= 0 {
		return maillon.NotFound("Inscription")
	}
	err = h.svc.Activites.Unregister(r.Context(), actor(r), id, sid, rid)
	return h.seanceAction(w, r, id, sid, "", nil, err, "La désinscription est enregistrée ; la liste d'attente a avancé si possible.")
}

func (h *Handler) handleSeanceAttendance(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	f := ui.NewForm()
	in := maillon.AttendanceInput{Presence: map[int64]string{}, Observations: pf.Get("observations")}
	for k, v := range pf {
		if s, ok := strings.CutPrefix(k, "presence_"); ok && len(v) > 0 {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
				in.Presence[n] = v[0]
				f.Order = append(f.Order, k)
				f.Set(k, v[0])
			}
		}
	}
	for i := range attendanceLines {
		get := func(n string) string {
			k := maillon.TallyField(i, n)
			f.Order = append(f.Order, k)
			f.Set(k, pf.Get(k))
			return pf.Get(k)
		}
		in.Tallies = append(in.Tallies, maillon.TallyInput{Count: get("count"), AgeBand: get("age"), Gender: get("gender"),
			ZoneID: formID[maillon.ZoneID](get("zone")), Newcomer: get("newcomer")})
	}
	f.Order = append(f.Order, "observations")
	f.Set("observations", pf.Get("observations"))
	err = h.svc.Activites.SaveAttendance(r.Context(), actor(r), id, sid, in)
	return h.seanceAction(w, r, id, sid, "attendance", f, err, "Les présences de la séance sont enregistrées.")
}

func (h *Handler) handleSeanceLink(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	f := postedForm(r, "days")
	days, perr := strconv.Atoi(strings.TrimSpace(f.Get("days")))
	if perr != nil {
		days = -1
	}
	token, err := h.svc.Activites.CreateQuestionnaireLink(r.Context(), actor(r), id, sid, days)
	if err != nil {
		return h.seanceAction(w, r, id, sid, "link", f, err, "")
	}
	// The token is shown once, on this page, and never stored in clear.
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.seanceView(w, r, http.StatusOK, id, sid, "", nil, "", token)
}

// readSatisfaction reads the questionnaire's answers.
func readSatisfaction(r *http.Request) (*ui.Form, maillon.SatisfactionInput) {
	f := postedForm(r, maillon.SatisfactionFields()...)
	in := maillon.SatisfactionInput{Comment: f.Get("comment")}
	for i := range maillon.SatisfactionQuestions {
		in.Scores = append(in.Scores, f.Get(maillon.SatisfactionField(i)))
	}
	return f, in
}

func (h *Handler) handleSeancePaper(w http.ResponseWriter, r *http.Request) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	f, in := readSatisfaction(r)
	err = h.svc.Activites.AddPaperAnswer(r.Context(), actor(r), id, sid, in)
	return h.seanceAction(w, r, id, sid, "paper", f, err, "La réponse papier a été ajoutée aux résultats.")
}

// printPage is a printable page of a session: the sign-in sheet, the
// poster, the paper questionnaire.
type printPage struct {
	Page
	Activite  *maillon.Activite
	Seance    *maillon.Seance
	Blank     []int // empty lines of the sign-in sheet
	Questions []string
	Scale     []maillon.Choice
}

func (h *Handler) seancePrint(w http.ResponseWriter, r *http.Request, tpl, title string, audited bool) error {
	id, sid, err := seanceIDs(r)
	if err != nil {
		return err
	}
	a, s, err := h.svc.Activites.FindSeance(r.Context(), actor(r), id, sid, audited)
	if err != nil {
		return err
	}
	p := printPage{Page: h.page(w, r, title+" – "+a.Title, "activites", activiteCrumbs(a, title)...), Activite: a, Seance: s,
		Questions: maillon.SatisfactionQuestions, Scale: maillon.SatisfactionScale}
	named := 0
	for _, g := range s.Registrations {
		if !g.Waiting {
			named++
		}
	}
	for i := range max(s.Capacity-named, 0) {
		if i >= 40 {
			break
		}
		p.Blank = append(p.Blank, named+i+1)
	}
	return h.render(w, http.StatusOK, tpl, p)
}

func (h *Handler) handleSeanceSignIn(w http.ResponseWriter, r *http.Request) error {
	return h.seancePrint(w, r, "activites/emargement", "Feuille d'émargement", true)
}

func (h *Handler) handleSeancePoster(w http.ResponseWriter, r *http.Request) error {
	return h.seancePrint(w, r, "activites/affiche", "Affiche", false)
}

func (h *Handler) handleSeanceQuestionnaire(w http.ResponseWriter, r *http.Request) error {
	return h.seancePrint(w, r, "activites/questionnaire", "Questionnaire de satisfaction", false)
}

// ---------------------------------------------------------------------
// The public questionnaire: no session; the token in the path is the
// credential.

type publicQuestionnairePage struct {
	Page
	View         *maillon.QuestionnaireView
	State        string // "ouvert", "merci", "expire", ""
	FormToken    string
	Action       string
	Questions    []string
	Scale        []maillon.Choice
	ScaleOptions []ui.Option
}

// questionnaireFormToken binds the form to its link: a sessionless CSRF
// token only a holder of the link can compute.
func questionnaireFormToken(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("maillon/questionnaire/v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *Handler) questionnaireView(w http.ResponseWriter, r *http.Request, status int, v *maillon.QuestionnaireView, state string, f *ui.Form) error {
	partnerHeaders(w)
	titles := map[string]string{"ouvert": "Votre avis sur la séance", "merci": "Merci pour votre réponse",
		"expire": "Questionnaire fermé", "": "Questionnaire introuvable"}
	p := publicQuestionnairePage{Page: h.page(w, r, titles[state], ""), View: v, State: state, Action: r.URL.Path,
		Questions: maillon.SatisfactionQuestions, Scale: maillon.SatisfactionScale,
		ScaleOptions: options(maillon.SatisfactionScale, "")}
	p.NoIndex = true
	if f == nil {
		f = ui.NewForm(maillon.SatisfactionFields()...)
	}
	p.Form = f
	if state == "ouvert" {
		p.FormToken = questionnaireFormToken(r.PathValue("token"))
	}
	return h.render(w, status, "public/questionnaire", p)
}

func (h *Handler) handleQuestionnaireShow(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Activites.FindQuestionnaire(r.Context(), r.PathValue("token"), httpx.RequestID(r.Context()))
	if errors.Is(err, maillon.ErrNotFound) {
		return h.questionnaireView(w, r, http.StatusNotFound, nil, "", nil)
	}
	if err != nil {
		return err
	}
	state, status := "ouvert", http.StatusOK
	switch {
	case r.URL.Query().Get("merci") == "1" && v.Open:
		state = "merci"
	case !v.Open:
		state, status = "expire", http.StatusGone
	}
	return h.questionnaireView(w, r, status, v, state, nil)
}

func (h *Handler) handleQuestionnaireAnswer(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := parseForm(r); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(questionnaireFormToken(token)), []byte(r.PostForm.Get("form_token"))) != 1 {
		partnerHeaders(w)
		return csrfRejected()
	}
	f, in := readSatisfaction(r)
	err := h.svc.Activites.AnswerQuestionnaire(r.Context(), token, in, httpx.RequestID(r.Context()))
	if err == nil {
		partnerHeaders(w)
		http.Redirect(w, r, r.URL.Path+"?merci=1", http.StatusSeeOther)
		return nil
	}
	if errors.Is(err, maillon.ErrNotFound) {
		return h.questionnaireView(w, r, http.StatusNotFound, nil, "", nil)
	}
	if !formError(err) {
		return err
	}
	v, verr := h.svc.Activites.FindQuestionnaire(r.Context(), token, httpx.RequestID(r.Context()))
	if verr != nil {
		return verr
	}
	if errors.Is(err, maillon.ErrConflict) || !v.Open {
		return h.questionnaireView(w, r, http.StatusGone, v, "expire", nil)
	}
	f.Errors = errorsOrMessage(err, "q1")
	return h.questionnaireView(w, r, http.StatusUnprocessableEntity, v, "ouvert", f)
}
