package web

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"maillon"
	"maillon/internal/ui"
)

// The partner directory (annuaire partenarial): every member searches it
// and reads the structures' pages; coordinators and administrators verify
// entries and handle the proposals mediators make.

const directoryPerPage = 20

func directoryStructureURL(id maillon.DirectoryStructureID) string {
	return "/annuaire/structures/" + strconv.FormatInt(int64(id), 10)
}

// directoryRow is a search result as the list shows it.
type directoryRow struct {
	maillon.DirectoryService
	Distance  string
	Freshness string
	Themes    []string
}

type directoryPage struct {
	Page
	Filter      *ui.Form
	Rows        []directoryRow
	Total       int
	Searched    bool
	Thematiques []ui.Option
	Publics     []ui.Option
	Accueil     []ui.Option
	Frais       []ui.Option
	Freshness   []ui.Option
	Communes    []ui.Option
	CanReview   bool
	CanImport   bool
	Pagination  pagination
}

// thematiqueOptions lists both levels: each category, then its
// sub-thématiques indented by their label.
func thematiqueOptions() []ui.Option {
	out := []ui.Option{{Value: "", Label: "Toutes les thématiques"}}
	for _, c := range maillon.DIThematiqueCategories {
		out = append(out, ui.Option{Value: c.Code, Label: c.Label})
		for _, t := range maillon.DIThematiques {
			if strings.HasPrefix(t.Code, c.Code+"--") {
				out = append(out, ui.Option{Value: t.Code, Label: "— " + t.Label})
			}
		}
	}
	return out
}

// directoryCommunes are the communes the filters offer: the structure's
// territory.
func (h *Handler) directoryCommunes(r *http.Request) ([]ui.Option, error) {
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return nil, err
	}
	out := []ui.Option{{Value: "", Label: "Toutes les communes"}}
	for _, c := range terr.Communes {
		out = append(out, ui.Option{Value: c.INSEE, Label: c.Name})
	}
	return out, nil
}

func (h *Handler) handleDirectoryIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	fields := []string{"q", "thematique", "public", "mode_accueil", "frais", "commune", "freshness", "near"}
	form := ui.NewForm(fields...)
	for _, k := range fields {
		form.Set(k, q.Get(k))
	}
	f := maillon.DirectoryFilter{Query: q.Get("q"), Thematique: q.Get("thematique"), Public: q.Get("public"),
		ModeAccueil: q.Get("mode_accueil"), Frais: q.Get("frais"), CodeInsee: q.Get("commune"), Freshness: q.Get("freshness"),
		NearInsee: q.Get("near"), Limit: directoryPerPage, Offset: pageOffset(r, directoryPerPage)}
	communes, err := h.directoryCommunes(r)
	if err != nil {
		return err
	}
	p := directoryPage{Page: h.page(w, r, "Annuaire partenarial", "annuaire"), Filter: form,
		Thematiques: thematiqueOptions(), Publics: options(maillon.DIPublics, "Tous les publics"),
		Accueil: options(maillon.DIModesAccueil, "Tous les modes d'accueil"), Frais: options(maillon.DIFrais, "Gratuit ou payant"),
		Freshness: options(maillon.FreshnessStatuses, "Toutes les fiches"), Communes: communes,
		CanReview: a.CanViewTeamData(a.StructureID), CanImport: a.CanAdminStructure(a.StructureID)}
	p.Form = form
	status := http.StatusOK
	if err := f.Validate(); err != nil {
		for k, v := range maillon.FieldsOf(err) {
			form.Errors[k] = v
		}
		status = http.StatusUnprocessableEntity
	} else {
		services, total, err := h.svc.Directory.SearchDirectory(r.Context(), a, f)
		if err != nil {
			return err
		}
		settings, err := h.svc.Directory.DirectorySettings(r.Context(), a)
		if err != nil {
			return err
		}
		now := h.now()
		for _, s := range services {
			row := directoryRow{DirectoryService: s, Distance: maillon.FormatDistance(s.DistanceKm),
				Freshness: settings.Freshness(maillon.FreshSince(s.Verification, s.DateMaj), now)}
			for _, t := range s.Thematiques {
				row.Themes = append(row.Themes, maillon.DIThematiques.Label(t))
			}
			p.Rows = append(p.Rows, row)
		}
		p.Total, p.Searched = total, true
		p.Pagination = paginate(q, "/annuaire", f.Offset, directoryPerPage, len(services), total)
	}
	return h.render(w, status, "annuaire/index", p)
}

// ---------------------------------------------------------------------
// A structure's page.

type directoryStructurePage struct {
	Page
	S            *maillon.DirectoryStructure
	Reseaux      string
	Hours        []string
	TempActive   bool
	TempHours    []string
	Freshness    string
	Services     []directoryServiceView
	Contacts     []maillon.DirectoryContact
	Relations    []maillon.DirectoryRelation
	CanEdit      bool
	ProposalForm *ui.Form
	ContactForm  *ui.Form
	RelationForm *ui.Form
	TempForm     *ui.Form
	Kinds        []ui.Option
	TempKinds    []ui.Option
}

// directoryForms are the forms of a structure's page; the one that failed
// holds the user's input and errors.
type directoryForms struct {
	proposal, contact, relation, temp *ui.Form
}

type directoryServiceView struct {
	maillon.DirectoryService
	Hours             []string
	Freshness         string
	Themes            []string
	PublicsLabel      string
	AccueilLabel      string
	MobilisationLabel string
	MobilisableLabel  string
}

func (h *Handler) directoryStructureView(w http.ResponseWriter, r *http.Request, status int, id maillon.DirectoryStructureID, forms directoryForms) error {
	a := actor(r)
	s, err := h.svc.Directory.FindDirectoryStructure(r.Context(), a, id)
	if err != nil {
		return err
	}
	settings, err := h.svc.Directory.DirectorySettings(r.Context(), a)
	if err != nil {
		return err
	}
	p := directoryStructurePage{Page: h.page(w, r, s.Nom, "annuaire", Crumb{"/annuaire", "Annuaire partenarial"}, Crumb{"", s.Nom}),
		S: s, CanEdit: a.CanViewTeamData(a.StructureID), Kinds: options(maillon.RelationKinds, ""),
		TempKinds: options(maillon.TemporaryKinds, "")}
	p.ProposalForm, p.ContactForm, p.RelationForm, p.TempForm = forms.proposal, forms.contact, forms.relation, forms.temp
	if p.ProposalForm == nil {
		p.ProposalForm = ui.NewForm("text")
	}
	if p.ContactForm == nil {
		p.ContactForm = ui.NewForm(maillon.DirectoryContactFields...)
	}
	if p.RelationForm == nil {
		p.RelationForm = ui.NewForm(maillon.DirectoryRelationFields...).Set("kind", maillon.RelationMeeting)
	}
	if p.TempForm == nil {
		p.TempForm = ui.NewForm(maillon.TemporaryFields...)
		if ti := s.Temporary; ti.Kind != "" {
			p.TempForm.Set("temp_kind", ti.Kind).Set("temp_message", ti.Message).Set("temp_hours", ti.Hours).
				Set("temp_from", maillon.InParis(ti.From).Format("2006-01-02")).Set("temp_until", maillon.InParis(ti.Until).Format("2006-01-02"))
		}
	}
	// The error summary is the failed form's.
	p.Form = p.ProposalForm
	for _, f := range []*ui.Form{forms.contact, forms.relation, forms.temp} {
		if f.HasErrors() {
			p.Form = f
		}
	}
	p.Reseaux = strings.Join(maillon.DIReseauxPorteurs.Labels(s.ReseauxPorteurs), ", ")
	now := h.now()
	oh, _ := maillon.ParseOpeningHours(s.HorairesAccueil)
	p.Hours = oh.French()
	p.TempActive = s.Temporary.Active(now)
	if p.TempActive && s.Temporary.Hours != "" {
		th, _ := maillon.ParseOpeningHours(s.Temporary.Hours)
		p.TempHours = th.French()
	}
	p.Freshness = settings.Freshness(maillon.FreshSince(s.Verification, s.DateMaj), now)
	for _, sv := range s.Services {
		v := directoryServiceView{DirectoryService: sv, Freshness: settings.Freshness(maillon.FreshSince(sv.Verification, sv.DateMaj), now)}
		soh, _ := maillon.ParseOpeningHours(sv.HorairesAccueil)
		v.Hours = soh.French()
		for _, t := range sv.Thematiques {
			v.Themes = append(v.Themes, maillon.ThematiqueLabel(t))
		}
		v.PublicsLabel = strings.Join(maillon.DIPublics.Labels(sv.Publics), ", ")
		v.AccueilLabel = strings.Join(maillon.DIModesAccueil.Labels(sv.ModesAccueil), ", ")
		v.MobilisationLabel = strings.Join(maillon.DIModesMobilisation.Labels(sv.ModesMobilisation), ", ")
		v.MobilisableLabel = strings.Join(maillon.DIMobilisablePar.Labels(sv.MobilisablePar), ", ")
		p.Services = append(p.Services, v)
	}
	if p.Contacts, err = h.svc.Directory.FindDirectoryContacts(r.Context(), a, id); err != nil {
		return err
	}
	if p.Relations, err = h.svc.Directory.FindDirectoryRelations(r.Context(), a, id); err != nil {
		return err
	}
	return h.render(w, status, "annuaire/show", p)
}

func (h *Handler) handleDirectoryStructureShow(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	id := maillon.DirectoryStructureID(n)
	return h.directoryStructureView(w, r, http.StatusOK, id, directoryForms{})
}

func (h *Handler) handleDirectoryVerify(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	id := maillon.DirectoryStructureID(n)
	if err := h.svc.Directory.VerifyDirectoryStructure(r.Context(), actor(r), id); err != nil {
		return err
	}
	h.setFlash(w, "La fiche est marquée vérifiée aujourd'hui, avec ses services.")
	http.Redirect(w, r, directoryStructureURL(id), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleDirectoryProposal(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	id := maillon.DirectoryStructureID(n)
	text := r.PostForm.Get("text")
	err = h.svc.Directory.ProposeDirectoryUpdate(r.Context(), actor(r), id, text)
	if errors.Is(err, maillon.ErrInvalid) {
		f := ui.NewForm("text").Set("text", text)
		for k, v := range maillon.FieldsOf(err) {
			f.Errors[k] = v
		}
		return h.directoryStructureView(w, r, http.StatusUnprocessableEntity, id, directoryForms{proposal: f})
	}
	if err != nil {
		return err
	}
	h.setFlash(w, "Votre proposition est transmise à la coordination, qui mettra la fiche à jour.")
	http.Redirect(w, r, directoryStructureURL(id), http.StatusSeeOther)
	return nil
}

// directoryFormPost reads a coordination form of a structure's page and
// calls save; invalid input re-renders the page with the form in error.
func (h *Handler) directoryFormPost(w http.ResponseWriter, r *http.Request, fields []string, flash string,
	save func(id maillon.DirectoryStructureID) error, place func(*ui.Form) directoryForms) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	id := maillon.DirectoryStructureID(n)
	f := ui.NewForm(fields...)
	for _, k := range fields {
		f.Set(k, r.PostForm.Get(k))
	}
	err = save(id)
	if errors.Is(err, maillon.ErrInvalid) {
		for k, v := range maillon.FieldsOf(err) {
			f.Errors[k] = v
		}
		return h.directoryStructureView(w, r, http.StatusUnprocessableEntity, id, place(f))
	}
	if err != nil {
		return err
	}
	h.setFlash(w, flash)
	http.Redirect(w, r, directoryStructureURL(id), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleDirectoryContact(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	return h.directoryFormPost(w, r, maillon.DirectoryContactFields, "Le contact est ajouté.",
		func(id maillon.DirectoryStructureID) error {
			return h.svc.Directory.AddDirectoryContact(r.Context(), actor(r), maillon.DirectoryContact{StructureID: id,
				Name: pf.Get("name"), Role: pf.Get("role"), Phone: pf.Get("phone"), Email: pf.Get("email")})
		}, func(f *ui.Form) directoryForms { return directoryForms{contact: f} })
}

func (h *Handler) handleDirectoryRelation(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	return h.directoryFormPost(w, r, maillon.DirectoryRelationFields, "La relation est enregistrée.",
		func(id maillon.DirectoryStructureID) error {
			return h.svc.Directory.AddDirectoryRelation(r.Context(), actor(r), id, maillon.DirectoryRelationInput{
				Kind: pf.Get("kind"), Title: pf.Get("title"), Date: pf.Get("date"), EndDate: pf.Get("end_date"),
				Participants: pf.Get("participants"), Decisions: pf.Get("decisions"), FollowUps: pf.Get("follow_ups"),
				Documents: pf.Get("documents")})
		}, func(f *ui.Form) directoryForms { return directoryForms{relation: f} })
}

func (h *Handler) handleDirectoryTemporary(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	return h.directoryFormPost(w, r, maillon.TemporaryFields, "L'information temporaire est enregistrée.",
		func(id maillon.DirectoryStructureID) error {
			in := maillon.TemporaryInput{Kind: pf.Get("temp_kind"), Message: pf.Get("temp_message"), Hours: pf.Get("temp_hours"),
				From: pf.Get("temp_from"), Until: pf.Get("temp_until")}
			// Clearing is its own button; the form itself needs a kind.
			if pf.Get("clear") == "1" {
				in = maillon.TemporaryInput{}
			} else if in.Kind == "" {
				msg := "Choisissez le type d'information temporaire."
				return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"temp_kind": msg}}
			}
			return h.svc.Directory.SetDirectoryTemporary(r.Context(), actor(r), id, in)
		}, func(f *ui.Form) directoryForms { return directoryForms{temp: f} })
}

// ---------------------------------------------------------------------
// The review queue: entries to check, and the open proposals.

type directoryReviewPage struct {
	Page
	Queue        []directoryQueueRow
	Proposals    []maillon.DirectoryProposal
	Settings     maillon.DirectorySettings
	SettingsForm *ui.Form
}

type directoryQueueRow struct {
	maillon.DirectoryStructure
	Since     string
	Freshness string
}

func (h *Handler) handleDirectoryReview(w http.ResponseWriter, r *http.Request) error {
	return h.directoryReviewView(w, r, http.StatusOK, nil)
}

// directoryReviewView renders the review page; settings, when not nil,
// is the thresholds form that failed.
func (h *Handler) directoryReviewView(w http.ResponseWriter, r *http.Request, status int, settingsForm *ui.Form) error {
	a := actor(r)
	settings, err := h.svc.Directory.DirectorySettings(r.Context(), a)
	if err != nil {
		return err
	}
	queue, err := h.svc.Directory.FindDirectoryReviewQueue(r.Context(), a, 100)
	if err != nil {
		return err
	}
	p := directoryReviewPage{Page: h.page(w, r, "Fiches à vérifier", "annuaire", Crumb{"/annuaire", "Annuaire partenarial"}, Crumb{"", "Fiches à vérifier"}),
		Settings: settings, SettingsForm: settingsForm}
	if p.SettingsForm == nil {
		p.SettingsForm = ui.NewForm(directorySettingsFields...).Set("to_check_months", strconv.Itoa(settings.ToCheckMonths)).
			Set("obsolete_months", strconv.Itoa(settings.ObsoleteMonths))
	}
	p.Form = p.SettingsForm
	now := h.now()
	for _, s := range queue {
		since := maillon.FreshSince(s.Verification, s.DateMaj)
		p.Queue = append(p.Queue, directoryQueueRow{DirectoryStructure: s, Since: ui.Date(since), Freshness: settings.Freshness(since, now)})
	}
	if p.Proposals, err = h.svc.Directory.FindDirectoryProposals(r.Context(), a); err != nil {
		return err
	}
	return h.render(w, status, "annuaire/review", p)
}

func (h *Handler) handleDirectoryProposalClose(w http.ResponseWriter, r *http.Request) error {
	n, err := pathID(r)
	if err != nil {
		return err
	}
	id := maillon.DirectoryProposalID(n)
	accepted := r.PostForm.Get("accepted") == "1"
	if err := h.svc.Directory.CloseDirectoryProposal(r.Context(), actor(r), id, accepted); err != nil {
		return err
	}
	h.setFlash(w, "La proposition est traitée.")
	http.Redirect(w, r, "/annuaire/revue", http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// Export: the same files as the CLI, as downloads.

func (h *Handler) handleDirectoryExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	kind, format := q.Get("kind"), q.Get("format")
	if kind == "" {
		kind = "services"
	}
	if format == "" {
		format = "json"
	}
	if (kind != "structures" && kind != "services") || (format != "json" && format != "csv") {
		return maillon.NotFound("Export")
	}
	sts, svs, err := h.svc.Directory.ExportDirectory(r.Context(), actor(r), 0)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	switch kind + "." + format {
	case "structures.json":
		err = maillon.WriteStructuresJSON(&b, sts)
	case "services.json":
		err = maillon.WriteServicesJSON(&b, svs)
	case "structures.csv":
		err = maillon.WriteStructuresCSV(&b, sts)
	default:
		err = maillon.WriteServicesCSV(&b, svs)
	}
	if err != nil {
		return err
	}
	ct := "application/json"
	if format == "csv" {
		ct = "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+kind+"."+format+`"`)
	_, err = w.Write(b.Bytes())
	return err
}

// ---------------------------------------------------------------------
// The partner search of the orientation form: a GET form above it lists
// matching services; choosing one reloads the form with the partner's
// name and contact filled in, which stay editable (free text remains
// possible). No script is needed.

type orientationDirectory struct {
	Query        string
	Person       string
	Intervention string
	Searched     bool
	Results      []directoryPick
}

type directoryPick struct {
	Label, Contact, Href string
}

// cut shortens s to n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

func (h *Handler) orientationDirectory(r *http.Request, f *ui.Form) (*orientationDirectory, error) {
	a := actor(r)
	q := r.URL.Query()
	d := &orientationDirectory{Query: cut(q.Get("annuaire_q"), maillon.MaxShortTextLen), Person: q.Get("person"), Intervention: q.Get("intervention")}
	if id := formID[maillon.DirectoryServiceID](q.Get("service")); id > 0 {
		sv, err := h.svc.Directory.FindDirectoryService(r.Context(), a, id)
		switch {
		case err == nil:
			f.Set("partner_name", cut(sv.StructureName+" – "+sv.Nom, maillon.MaxNameLen))
			var contact []string
			for _, c := range []string{sv.ContactNomPrenom, sv.Telephone, sv.Courriel} {
				if c != "" {
					contact = append(contact, c)
				}
			}
			f.Set("partner_contact", cut(strings.Join(contact, ", "), maillon.MaxPartnerContactLen))
			f.Set("directory_service_id", strconv.FormatInt(int64(sv.ID), 10))
		case !errors.Is(err, maillon.ErrNotFound):
			return nil, err
		}
	}
	if strings.TrimSpace(d.Query) == "" {
		return d, nil
	}
	services, _, err := h.svc.Directory.SearchDirectory(r.Context(), a, maillon.DirectoryFilter{Query: d.Query, Limit: 10})
	if err != nil {
		return nil, err
	}
	d.Searched = true
	for _, sv := range services {
		v := url.Values{"service": {strconv.FormatInt(int64(sv.ID), 10)}}
		if d.Person != "" {
			v.Set("person", d.Person)
		}
		if d.Intervention != "" {
			v.Set("intervention", d.Intervention)
		}
		d.Results = append(d.Results, directoryPick{Label: sv.StructureName + " – " + sv.Nom, Contact: sv.Telephone,
			Href: "/orientations/new?" + v.Encode()})
	}
	return d, nil
}
