package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/ui"
)

// The veille sociale: observations (/veille), the social-network risk
// watch (/veille/reseaux), technical reports (/veille/technique) and the
// remontées to institutions (/veille/remontees). Every member reads and
// creates; coordination edits, moves statuses and writes reports.

const veillePerPage = 50

func veilleID(prefix string, id int64) string { return prefix + "/" + strconv.FormatInt(id, 10) }

// veilleTabs is the sub-navigation of the module.
type veilleTab struct {
	URL, Label string
	Current    bool
}

func veilleTabs(current string) []veilleTab {
	tabs := []veilleTab{{"/veille", "Observations", false}, {"/veille/reseaux", "Réseaux sociaux", false},
		{"/veille/technique", "Veille technique", false}, {"/veille/remontees", "Remontées", false}}
	for i := range tabs {
		tabs[i].Current = tabs[i].URL == current
	}
	return tabs
}

// queryChoice reads an optional filter value from a closed list.
func queryChoice(form *ui.Form, q url.Values, name string, cs maillon.Choices, msg string) string {
	v := q.Get(name)
	form.Set(name, v)
	if v != "" && !cs.Valid(v) {
		form.Errors[name] = msg
		return ""
	}
	return v
}

// zoneChoices lists the structure's quartiers for the forms.
func (h *Handler) zoneChoices(r *http.Request) ([]ui.Option, error) {
	opts, err := h.zoneOptions(r)
	if err != nil {
		return nil, err
	}
	opts[0].Label = "Tout le territoire / non précisé"
	for i := range opts[1:] {
		opts[i+1].Value = opts[i+1].Value[1:] // "z12" → "12"
	}
	return opts, nil
}

// ---------------------------------------------------------------------
// Observations.

type veilleIndexPage struct {
	Page
	Tabs         []veilleTab
	Observations []maillon.VeilleObservation
	Total        int
	Filter       *ui.Form
	Kinds        []ui.Option
	Statuses     []ui.Option
	Themes       []ui.Option
	Pagination   pagination
	Places       []ui.Option
}

func (h *Handler) handleVeilleIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := ui.NewForm("kind", "status", "theme", "place", "from", "to")
	f := maillon.VeilleObservationFilter{Limit: veillePerPage, Offset: pageOffset(r, veillePerPage)}
	f.Kind = queryChoice(form, q, "kind", maillon.VeilleKinds, "Choisissez un type dans la liste.")
	f.Status = queryChoice(form, q, "status", maillon.VeilleObservationStatuses, "Choisissez un statut dans la liste.")
	f.Theme = queryChoice(form, q, "theme", maillon.Themes, "Choisissez un thème dans la liste.")
	places, err := h.placeOptions(r, "Tout le territoire")
	if err != nil {
		return err
	}
	h.observationPlaceAndPeriod(form, q, places, &f)
	p := veilleIndexPage{Page: h.page(w, r, "Veille sociale", "veille"), Tabs: veilleTabs("/veille"), Filter: form,
		Kinds: options(maillon.VeilleKinds, "Tous les types"), Statuses: options(maillon.VeilleObservationStatuses, "Tous les statuts"),
		Themes: options(maillon.Themes, "Tous les thèmes"), Places: places}
	p.Form = form
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if p.Observations, p.Total, err = h.svc.Veille.FindObservations(r.Context(), actor(r), f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/veille", f.Offset, veillePerPage, len(p.Observations), p.Total)
	}
	return h.render(w, status, "veille/index", p)
}

type observationFormPage struct {
	Page
	Observation *maillon.VeilleObservation // nil when creating
	Action      string
	Zones       []ui.Option
	Themes      []ui.Option
	Kinds       []ui.Option
	Sources     []ui.Option
	Reliability []ui.Option
	Statuses    []ui.Option
	// Warned shows the box "J'ai vérifié : pas de donnée personnelle".
	Warned bool
}

func (h *Handler) observationFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, o *maillon.VeilleObservation, warned bool) error {
	title, action := "Nouvelle observation", "/veille/observations"
	crumbs := []Crumb{{"/veille", "Veille sociale"}}
	if o != nil {
		title, action = "Modifier l'observation", veilleID("/veille/observations", int64(o.ID))
		crumbs = append(crumbs, Crumb{action, "Observation du " + ui.Date(o.ObservedOn)})
	}
	zones, err := h.zoneChoices(r)
	if err != nil {
		return err
	}
	p := observationFormPage{Page: h.page(w, r, title, "veille", append(crumbs, Crumb{"", title})...), Observation: o,
		Action: action, Zones: zones, Themes: options(maillon.Themes, "Choisir le thème"),
		Kinds: options(maillon.VeilleKinds, ""), Sources: options(maillon.VeilleSources, ""),
		Reliability: options(maillon.Reliabilities, ""), Statuses: options(maillon.VeilleObservationStatuses, ""), Warned: warned}
	p.Form = f
	return h.render(w, status, "veille/observation_form", p)
}

func (h *Handler) handleObservationNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.VeilleObservationFields...)
	f.Set("observed_on", maillon.InParis(h.now()).Format("2006-01-02")).Set("reliability", "a_confirmer").Set("source", "terrain")
	return h.observationFormView(w, r, http.StatusOK, f, nil, false)
}

// observationInput reads the observation form.
func observationInput(pf url.Values) (maillon.VeilleObservationInput, *ui.Form) {
	f := ui.NewForm(maillon.VeilleObservationFields...)
	for _, k := range maillon.VeilleObservationFields {
		f.Set(k, pf.Get(k))
	}
	in := maillon.VeilleObservationInput{ObservedOn: pf.Get("observed_on"), ZoneID: formID[maillon.ZoneID](pf.Get("zone_id")),
		Theme: pf.Get("theme"), Kind: pf.Get("kind"), Description: pf.Get("description"), Source: pf.Get("source"),
		Reliability: pf.Get("reliability"), FollowUp: pf.Get("follow_up"), Status: pf.Get("status"),
		Confirmed: checked(pf.Get(maillon.VeilleConfirmField))}
	return in, f
}

func (h *Handler) handleObservationCreate(w http.ResponseWriter, r *http.Request) error {
	in, f := observationInput(r.PostForm)
	o, err := h.svc.Veille.CreateObservation(r.Context(), actor(r), in)
	if err == nil {
		h.setFlash(w, "L'observation a été enregistrée.")
		http.Redirect(w, r, veilleID("/veille/observations", int64(o.ID)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "description")
	return h.observationFormView(w, r, http.StatusUnprocessableEntity, f, nil, maillon.PersonalDataWarning(err))
}

type observationPage struct {
	Page
	Observation *maillon.VeilleObservation
	CanEdit     bool
}

func (h *Handler) handleObservationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	o, err := h.svc.Veille.FindObservationByID(r.Context(), a, maillon.VeilleObservationID(id))
	if err != nil {
		return err
	}
	title := "Observation du " + ui.Date(o.ObservedOn)
	p := observationPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"", title}),
		Observation: o, CanEdit: a.CanViewTeamData(o.StructureID) && o.Status != "close"}
	return h.render(w, http.StatusOK, "veille/observation", p)
}

func (h *Handler) handleObservationEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	o, err := h.svc.Veille.FindObservationByID(r.Context(), actor(r), maillon.VeilleObservationID(id))
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.VeilleObservationFields...)
	f.Set("observed_on", maillon.InParis(o.ObservedOn).Format("2006-01-02")).Set("theme", o.Theme).Set("kind", o.Kind).
		Set("description", o.Description).Set("source", o.Source).Set("reliability", o.Reliability).
		Set("follow_up", o.FollowUp).Set("status", o.Status)
	if o.ZoneID != 0 {
		f.Set("zone_id", strconv.FormatInt(int64(o.ZoneID), 10))
	}
	return h.observationFormView(w, r, http.StatusOK, f, o, false)
}

func (h *Handler) handleObservationUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	o, err := h.svc.Veille.FindObservationByID(r.Context(), a, maillon.VeilleObservationID(id))
	if err != nil {
		return err
	}
	in, f := observationInput(r.PostForm)
	err = h.svc.Veille.UpdateObservation(r.Context(), a, o.ID, in)
	if err == nil {
		h.setFlash(w, "L'observation a été modifiée.")
		http.Redirect(w, r, veilleID("/veille/observations", id), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "description")
	return h.observationFormView(w, r, http.StatusUnprocessableEntity, f, o, maillon.PersonalDataWarning(err))
}

// ---------------------------------------------------------------------
// Social-network risk watch.

type risksPage struct {
	Page
	Tabs       []veilleTab
	ToHandle   []maillon.RiskReport
	Reports    []maillon.RiskReport
	Total      int
	Filter     *ui.Form
	Statuses   []ui.Option
	Categories []ui.Option
	Pagination pagination
	// Coordination sees the list of reports with minors to handle.
	Coordination bool
}

func (h *Handler) handleRiskIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("status", "category")
	f := maillon.RiskFilter{Limit: veillePerPage, Offset: pageOffset(r, veillePerPage)}
	f.Status = queryChoice(form, q, "status", maillon.RiskStatuses, "Choisissez un statut dans la liste.")
	f.Category = queryChoice(form, q, "category", maillon.RiskCategories, "Choisissez une catégorie dans la liste.")
	p := risksPage{Page: h.page(w, r, "Veille des réseaux sociaux", "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"", "Réseaux sociaux"}),
		Tabs: veilleTabs("/veille/reseaux"), Filter: form, Statuses: options(maillon.RiskStatuses, "Tous les statuts"),
		Categories: options(maillon.RiskCategories, "Toutes les catégories"), Coordination: a.CanViewTeamData(a.StructureID)}
	p.Form = form
	var err error
	if p.Coordination {
		if p.ToHandle, _, err = h.svc.Veille.FindRiskReports(r.Context(), a, maillon.RiskFilter{ToHandle: true, Limit: 100}); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		if p.Reports, p.Total, err = h.svc.Veille.FindRiskReports(r.Context(), a, f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/veille/reseaux", f.Offset, veillePerPage, len(p.Reports), p.Total)
	}
	return h.render(w, status, "veille/risks", p)
}

type riskFormPage struct {
	Page
	Platforms   []ui.Option
	Categories  []ui.Option
	Seriousness []ui.Option
	Publics     []ui.Option
	Actions     []ui.Option
	Warned      bool
}

func (h *Handler) riskFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, warned bool) error {
	title := "Nouveau signalement de risque en ligne"
	p := riskFormPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"/veille/reseaux", "Réseaux sociaux"},
		Crumb{"", title}), Platforms: options(maillon.RiskPlatforms, "Choisir la plateforme"),
		Categories: options(maillon.RiskCategories, ""), Seriousness: options(maillon.RiskSeriousness, ""),
		Publics: options(maillon.RiskPublics, ""), Actions: options(maillon.RiskActions, ""), Warned: warned}
	p.Form = f
	return h.render(w, status, "veille/risk_form", p)
}

func (h *Handler) handleRiskNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.RiskReportFields...)
	f.Set("seen_on", maillon.InParis(h.now()).Format("2006-01-02"))
	return h.riskFormView(w, r, http.StatusOK, f, false)
}

func (h *Handler) handleRiskCreate(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	f := ui.NewForm(maillon.RiskReportFields...)
	for _, k := range maillon.RiskReportFields {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("actions", pf["actions"])
	in := maillon.RiskReportInput{SeenOn: pf.Get("seen_on"), Platform: pf.Get("platform"), Category: pf.Get("category"),
		Seriousness: pf.Get("seriousness"), Public: pf.Get("public"), MinorsInvolved: checked(pf.Get("minors_involved")),
		Description: pf.Get("description"), Actions: pf["actions"], Confirmed: checked(pf.Get(maillon.VeilleConfirmField))}
	rep, err := h.svc.Veille.CreateRiskReport(r.Context(), actor(r), in)
	if err == nil {
		msg := "Le signalement a été enregistré."
		if rep.MinorsInvolved {
			msg += " Des mineurs sont concernés : la coordination le voit dans sa liste « à traiter ». Pensez au 3018 si ce n'est pas fait."
		}
		h.setFlash(w, msg)
		http.Redirect(w, r, veilleID("/veille/reseaux", int64(rep.ID)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "description")
	return h.riskFormView(w, r, http.StatusUnprocessableEntity, f, maillon.PersonalDataWarning(err))
}

type riskPage struct {
	Page
	Report   *maillon.RiskReport
	CanEdit  bool
	Statuses []ui.Option
	Actions  []ui.Option
	// Need3018 recalls the national number when minors are concerned
	// and it was not called.
	Need3018 bool
}

func (h *Handler) riskView(w http.ResponseWriter, r *http.Request, status int, id maillon.RiskReportID, f *ui.Form) error {
	a := actor(r)
	rep, err := h.svc.Veille.FindRiskReportByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := "Signalement du " + ui.Date(rep.SeenOn) + " – " + maillon.RiskCategories.Label(rep.Category)
	p := riskPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"/veille/reseaux", "Réseaux sociaux"},
		Crumb{"", title}), Report: rep, CanEdit: a.CanViewTeamData(rep.StructureID) && rep.Status != "clos",
		Statuses: options(maillon.RiskStatuses[1:], ""), Actions: options(maillon.RiskActions, ""),
		Need3018: rep.MinorsInvolved && !slices.Contains(rep.Actions, "3018")}
	if f == nil {
		// No status is preselected: moving one is a choice.
		f = ui.NewForm("status", "actions", "note")
		f.SetAll("actions", rep.Actions).Set("note", rep.StatusNote)
	}
	p.Form = f
	return h.render(w, status, "veille/risk", p)
}

func (h *Handler) handleRiskShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.riskView(w, r, http.StatusOK, maillon.RiskReportID(id), nil)
}

func (h *Handler) handleRiskStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	in := maillon.RiskStatusInput{Status: pf.Get("status"), Actions: pf["actions"], Note: pf.Get("note")}
	err = h.svc.Veille.SetRiskReportStatus(r.Context(), actor(r), maillon.RiskReportID(id), in)
	if err == nil {
		h.setFlash(w, "Le signalement est maintenant « "+maillon.RiskStatuses.Label(in.Status)+" ».")
		http.Redirect(w, r, veilleID("/veille/reseaux", id), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f := ui.NewForm("status", "actions", "note")
	f.Set("status", in.Status).SetAll("actions", in.Actions).Set("note", in.Note)
	f.Errors = errorsOrMessage(err, "status")
	return h.riskView(w, r, http.StatusUnprocessableEntity, maillon.RiskReportID(id), f)
}

// ---------------------------------------------------------------------
// Technical reports and their delays per partner.

type techPage struct {
	Page
	Tabs       []veilleTab
	Reports    []maillon.TechReport
	Total      int
	Delays     []maillon.TechDelays
	Filter     *ui.Form
	Categories []ui.Option
	Statuses   []ui.Option
	Pagination pagination
}

// techFilter reads the filters of the technical reports page.
func techFilter(form *ui.Form, q url.Values, now time.Time) maillon.TechFilter {
	f := maillon.TechFilter{Category: queryChoice(form, q, "category", maillon.TechCategories, "Choisissez une catégorie dans la liste."),
		Status: queryChoice(form, q, "status", maillon.TechStatuses, "Choisissez un statut dans la liste.")}
	for _, k := range []string{"from", "to"} {
		v := strings.TrimSpace(q.Get(k))
		form.Set(k, v)
		if v == "" {
			continue
		}
		d, err := maillon.ParseDay(v, now)
		if err != nil {
			form.Errors[k] = "Indiquez la date au format jj/mm/aaaa."
			continue
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		form.Errors["to"] = "La fin de la période ne peut pas précéder son début."
	}
	partner, msg := maillon.CleanText(q.Get("partner"), maillon.MaxNameLen, false)
	form.Set("partner", q.Get("partner"))
	if msg != "" {
		form.Errors["partner"] = msg
	}
	f.Partner = partner
	return f
}

func (h *Handler) handleTechIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("from", "to", "partner", "category", "status")
	f := techFilter(form, q, h.now())
	f.Limit, f.Offset = veillePerPage, pageOffset(r, veillePerPage)
	p := techPage{Page: h.page(w, r, "Veille technique", "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"", "Veille technique"}),
		Tabs: veilleTabs("/veille/technique"), Filter: form, Categories: options(maillon.TechCategories, "Toutes les catégories"),
		Statuses: options(maillon.TechStatuses, "Tous les statuts")}
	p.Form = form
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if p.Reports, p.Total, err = h.svc.Veille.FindTechReports(r.Context(), a, f); err != nil {
			return err
		}
		if p.Delays, err = h.svc.Veille.FindTechDelays(r.Context(), a, f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/veille/technique", f.Offset, veillePerPage, len(p.Reports), p.Total)
	}
	return h.render(w, status, "veille/tech", p)
}

type techFormPage struct {
	Page
	Zones        []ui.Option
	Categories   []ui.Option
	PartnerKinds []ui.Option
	// The partner from the directory (annuaire_links.go).
	directoryPicker
	// Warned shows the box "J'ai vérifié : pas de donnée personnelle".
	Warned bool
}

func (h *Handler) techFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, warned ...bool) error {
	return h.techFormViewFound(w, r, status, f, nil, warned...)
}

// techFormViewFound renders the form with the directory structures a
// search found (nil when no search ran).
func (h *Handler) techFormViewFound(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, found []maillon.DirectoryStructure, warned ...bool) error {
	title := "Nouveau signalement technique"
	zones, err := h.zoneChoices(r)
	if err != nil {
		return err
	}
	picker, err := h.newDirectoryPicker(r, []string{f.Get("directory_structure_id")}, nil, found)
	if err != nil {
		return err
	}
	p := techFormPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"/veille/technique", "Veille technique"},
		Crumb{"", title}), Zones: zones, Categories: options(maillon.TechCategories, "Choisir la catégorie"),
		PartnerKinds: options(maillon.TechPartnerKinds, ""), Warned: (len(warned) > 0 && warned[0]) || f.Get(maillon.VeilleConfirmField) != "",
		directoryPicker: picker}
	p.Form = f
	return h.render(w, status, "veille/tech_form", p)
}

// techFormFields are the report's fields with the directory search box
// before the directory choice, in reading order.
func techFormFields() []string {
	var out []string
	for _, k := range maillon.TechReportFields {
		if k == "directory_structure_id" {
			out = append(out, "dir_q")
		}
		out = append(out, k)
	}
	return out
}

func (h *Handler) handleTechNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(techFormFields()...)
	f.Set("reported_on", maillon.InParis(h.now()).Format("2006-01-02")).Set("partner_kind", "bailleur")
	return h.techFormView(w, r, http.StatusOK, f)
}

func (h *Handler) handleTechCreate(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	f := ui.NewForm(techFormFields()...)
	for _, k := range techFormFields() {
		f.Set(k, pf.Get(k))
	}
	// "Chercher dans l'annuaire": the form comes back with the structures
	// found, everything typed kept; nothing is saved.
	if found, ok, err := h.directorySearch(r, f); ok || err != nil {
		if err != nil {
			return err
		}
		status := http.StatusOK
		if f.Errors["dir_q"] != "" {
			status = http.StatusUnprocessableEntity
		}
		return h.techFormViewFound(w, r, status, f, found)
	}
	in := maillon.TechReportInput{Category: pf.Get("category"), ZoneID: formID[maillon.ZoneID](pf.Get("zone_id")),
		Location: pf.Get("location"), Description: pf.Get("description"), PartnerName: pf.Get("partner_name"),
		PartnerKind: pf.Get("partner_kind"), ReportedOn: pf.Get("reported_on"), Confirmed: checked(pf.Get(maillon.VeilleConfirmField)),
		DirectoryStructureID: formID[maillon.DirectoryStructureID](pf.Get("directory_structure_id"))}
	rep, err := h.svc.Veille.CreateTechReport(r.Context(), actor(r), in)
	if err == nil {
		h.setFlash(w, "Le signalement technique a été enregistré.")
		http.Redirect(w, r, veilleID("/veille/technique", int64(rep.ID)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "description")
	return h.techFormView(w, r, http.StatusUnprocessableEntity, f, maillon.PersonalDataWarning(err))
}

type techShowPage struct {
	Page
	Report   *maillon.TechReport
	CanEdit  bool
	Statuses []ui.Option
}

func (h *Handler) techView(w http.ResponseWriter, r *http.Request, status int, id maillon.TechReportID, f *ui.Form) error {
	a := actor(r)
	rep, err := h.svc.Veille.FindTechReportByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := maillon.TechCategories.Label(rep.Category) + " – " + rep.Location
	p := techShowPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"/veille/technique", "Veille technique"},
		Crumb{"", title}), Report: rep, CanEdit: a.CanViewTeamData(rep.StructureID) && rep.Status != "resolu"}
	for _, c := range maillon.TechStatuses[1:] {
		if c.Code != rep.Status {
			p.Statuses = append(p.Statuses, ui.Option{Value: c.Code, Label: c.Label})
		}
	}
	if f == nil {
		f = ui.NewForm("status", "on", "note")
		f.Set("on", maillon.InParis(h.now()).Format("2006-01-02"))
	}
	p.Form = f
	return h.render(w, status, "veille/tech_show", p)
}

func (h *Handler) handleTechShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.techView(w, r, http.StatusOK, maillon.TechReportID(id), nil)
}

func (h *Handler) handleTechStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	in := maillon.TechStatusInput{Status: pf.Get("status"), On: pf.Get("on"), Note: pf.Get("note")}
	err = h.svc.Veille.SetTechReportStatus(r.Context(), actor(r), maillon.TechReportID(id), in)
	if err == nil {
		h.setFlash(w, "Le signalement est maintenant « "+maillon.TechStatuses.Label(in.Status)+" ».")
		http.Redirect(w, r, veilleID("/veille/technique", id), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f := ui.NewForm("status", "on", "note")
	f.Set("status", in.Status).Set("on", in.On).Set("note", in.Note)
	f.Errors = errorsOrMessage(err, "status")
	return h.techView(w, r, http.StatusUnprocessableEntity, maillon.TechReportID(id), f)
}

// ---------------------------------------------------------------------
// Remontées.

type remonteesPage struct {
	Page
	Tabs       []veilleTab
	Filter     *ui.Form
	Organismes []ui.Option
	Remontee   *maillon.Remontee
	Reports    []maillon.RemonteeReport
	// ReportForm saves the comment with the period shown.
	ReportForm   *ui.Form
	Coordination bool
}

func (h *Handler) remonteesView(w http.ResponseWriter, r *http.Request, status int, filter maillon.RemonteeFilter, report *ui.Form) error {
	a := actor(r)
	form := ui.NewForm(maillon.RemonteeFilterFields...)
	form.Set("from", filter.From).Set("to", filter.To).Set("organisme", filter.Organisme)
	p := remonteesPage{Page: h.page(w, r, "Remontées aux institutions", "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"", "Remontées"}),
		Tabs: veilleTabs("/veille/remontees"), Filter: form, Organismes: options(maillon.Organismes, "Tous les organismes"),
		Coordination: a.CanViewTeamData(a.StructureID)}
	p.Form = form
	rem, err := h.svc.Veille.FindRemontee(r.Context(), a, filter)
	switch {
	case err == nil:
		p.Remontee = rem
		if filter.From == "" && filter.To == "" {
			form.Set("from", maillon.InParis(rem.From).Format("2006-01-02")).Set("to", maillon.InParis(rem.To).Format("2006-01-02"))
		}
	case formError(err):
		form.Errors = errorsOrMessage(err, "from")
		status = http.StatusUnprocessableEntity
	default:
		return err
	}
	if report == nil {
		report = ui.NewForm("comment")
	}
	if report.HasErrors() {
		p.Form = report
	}
	p.ReportForm = report
	if p.Reports, err = h.svc.Veille.FindRemonteeReports(r.Context(), a); err != nil {
		return err
	}
	return h.render(w, status, "veille/remontees", p)
}

func (h *Handler) handleRemonteeIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	return h.remonteesView(w, r, http.StatusOK, maillon.RemonteeFilter{From: q.Get("from"), To: q.Get("to"), Organisme: q.Get("organisme")}, nil)
}

func (h *Handler) handleRemonteeCreate(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	in := maillon.RemonteeReportInput{RemonteeFilter: maillon.RemonteeFilter{From: pf.Get("from"), To: pf.Get("to"),
		Organisme: pf.Get("organisme")}, Comment: pf.Get("comment")}
	rep, err := h.svc.Veille.CreateRemonteeReport(r.Context(), actor(r), in)
	if err == nil {
		h.setFlash(w, "Le rapport a été enregistré : imprimez-le ou enregistrez-le en PDF depuis votre navigateur.")
		http.Redirect(w, r, veilleID("/veille/remontees", int64(rep.ID)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f := ui.NewForm("comment")
	f.Set("comment", in.Comment)
	f.Errors = map[string]string{}
	fields := errorsOrMessage(err, "comment")
	f.Errors["comment"] = fields["comment"]
	for _, k := range maillon.RemonteeFilterFields {
		if v := fields[k]; v != "" && f.Errors["comment"] == "" {
			// The period is in the filter above: say so next to the comment.
			f.Errors["comment"] = "La période ou l'organisme est invalide : " + v
		}
	}
	if f.Errors["comment"] == "" {
		f.Errors["comment"] = maillon.ErrorMessage(err, "Valeur refusée.")
	}
	return h.remonteesView(w, r, http.StatusUnprocessableEntity, in.RemonteeFilter, f)
}

type remonteeReportPage struct {
	Page
	Report *maillon.RemonteeReport
}

func (h *Handler) handleRemonteeShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	rep, err := h.svc.Veille.FindRemonteeReportByID(r.Context(), actor(r), maillon.RemonteeReportID(id))
	if err != nil {
		return err
	}
	title := "Remontées du " + ui.Date(rep.From) + " au " + ui.Date(rep.To)
	p := remonteeReportPage{Page: h.page(w, r, title, "veille", Crumb{"/veille", "Veille sociale"}, Crumb{"/veille/remontees", "Remontées"},
		Crumb{"", title}), Report: rep}
	return h.render(w, http.StatusOK, "veille/remontee_report", p)
}

// observationPlaceAndPeriod reads the place (a commune "c12" or a
// quartier "z7" of the territory) and period filters of the observations
// list; a value that is not offered or not a date is a field error.
func (h *Handler) observationPlaceAndPeriod(form *ui.Form, q url.Values, places []ui.Option, f *maillon.VeilleObservationFilter) {
	place := q.Get("place")
	form.Set("place", place)
	if place != "" {
		known := false
		for _, o := range places {
			known = known || o.Value == place
		}
		id, err := strconv.ParseInt(place[1:], 10, 64)
		switch {
		case !known || err != nil:
			form.Errors["place"] = "Choisissez une commune ou un quartier dans la liste."
		case place[0] == 'c':
			f.CommuneID = maillon.CommuneID(id)
		default:
			f.ZoneID = maillon.ZoneID(id)
		}
	}
	now := h.now()
	for _, k := range []string{"from", "to"} {
		v := strings.TrimSpace(q.Get(k))
		form.Set(k, q.Get(k))
		if v == "" {
			continue
		}
		d, err := maillon.ParseDay(v, now)
		if err != nil || len(v) > 10 {
			form.Errors[k] = "Indiquez la date au format jj/mm/aaaa."
			continue
		}
		if k == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		form.Errors["to"] = "La fin de la période doit suivre son début."
	}
}
