package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

const orientationsPerPage = 50

func orientationURL(id maillon.OrientationID) string {
	return "/orientations/" + strconv.FormatInt(int64(id), 10)
}

// canEditOrientation mirrors the store's rule: its author, coordinators
// and administrators may change an orientation.
func canEditOrientation(a maillon.Actor, o *maillon.Orientation) bool {
	return o.CreatedBy == a.UserID || a.CanViewTeamData(o.StructureID)
}

// ---------------------------------------------------------------------
// The list, with the figures per partner.

type orientationsPage struct {
	Page
	Orientations []maillon.Orientation
	Total        int
	Filter       *ui.Form
	Statuses     []ui.Option
	Stats        []maillon.PartnerStats
	Mine         bool
	Pagination   pagination
}

func (h *Handler) handleOrientationIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("status", "partner", "mine")
	f := maillon.OrientationFilter{Limit: orientationsPerPage, Offset: pageOffset(r, orientationsPerPage)}
	form.Set("status", q.Get("status")).Set("partner", q.Get("partner")).Set("mine", q.Get("mine"))
	if s := q.Get("status"); s != "" {
		if maillon.OrientationStatuses.Valid(s) {
			f.Status = s
		} else {
			form.Errors["status"] = "Choisissez un statut dans la liste."
		}
	}
	if p, msg := maillon.CleanText(q.Get("partner"), maillon.MaxNameLen, false); msg != "" {
		form.Errors["partner"] = msg
	} else {
		f.Partner = p
	}
	mine := checked(q.Get("mine"))
	if mine {
		f.CreatedBy = a.UserID
	}
	p := orientationsPage{Page: h.page(w, r, "Orientations", "orientations"), Filter: form, Mine: mine,
		Statuses: options(maillon.OrientationStatuses, "Tous les statuts")}
	p.Form = form
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		if p.Orientations, p.Total, err = h.svc.Orientations.FindOrientations(r.Context(), a, f); err != nil {
			return err
		}
		p.Pagination = paginate(q, "/orientations", f.Offset, orientationsPerPage, len(p.Orientations), p.Total)
	}
	var err error
	if p.Stats, err = h.svc.Orientations.FindPartnerStats(r.Context(), a, f.CreatedBy); err != nil {
		return err
	}
	return h.render(w, status, "orientations/index", p)
}

// ---------------------------------------------------------------------
// The form.

type orientationFormPage struct {
	Page
	Person       *maillon.PersonRef // the person the form starts from
	HasConsent   bool               // their "partage" consent is active
	Intervention *maillon.Intervention
	WhoOptions   []ui.Option
	Modes        []ui.Option
	SharedItems  []ui.Option
	FactualHint  string
	// Directory is the partner search of the new form (annuaire.go).
	Directory *orientationDirectory
}

var orientationFormOrder = maillon.OrientationFields

// orientationContext reads who the form is for: a person of the
// structure (?person=) and the intervention it follows (?intervention=),
// which names the person when it names exactly one.
func (h *Handler) orientationContext(r *http.Request, pid maillon.PersonID, ivID maillon.InterventionID) (*maillon.PersonRef, bool, *maillon.Intervention, error) {
	a := actor(r)
	var iv *maillon.Intervention
	if ivID > 0 {
		found, err := h.svc.Interventions.FindInterventionByID(r.Context(), a, ivID)
		switch {
		case err == nil:
			iv = found
			if pid == 0 && len(iv.Persons) == 1 {
				pid = iv.Persons[0].ID
			}
		case !errors.Is(err, maillon.ErrNotFound):
			return nil, false, nil, err
		}
	}
	if pid <= 0 {
		return nil, false, iv, nil
	}
	file, err := h.svc.People.FindPersonFile(r.Context(), a, pid)
	if errors.Is(err, maillon.ErrNotFound) {
		return nil, false, iv, nil
	}
	if err != nil {
		return nil, false, nil, err
	}
	ref := &maillon.PersonRef{ID: pid, Name: file.Person.DisplayName()}
	return ref, file.HasConsent("partage") && !file.Person.Archived, iv, nil
}

func (h *Handler) orientationFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, person *maillon.PersonRef, consent bool, iv *maillon.Intervention, dir ...*orientationDirectory) error {
	title := "Nouvelle orientation"
	p := orientationFormPage{Page: h.page(w, r, title, "orientations", Crumb{"/orientations", "Orientations"}, Crumb{"", title}),
		Person: person, HasConsent: consent, Intervention: iv, Modes: options(maillon.OrientationModes, ""),
		SharedItems: options(maillon.SharedItems, ""), FactualHint: maillon.FactualHint}
	p.Form = f
	if len(dir) > 0 {
		p.Directory = dir[0]
	}
	if person != nil {
		label := person.Name
		if !consent {
			label += " (accord de partage non enregistré)"
		}
		p.WhoOptions = []ui.Option{{Value: strconv.FormatInt(int64(person.ID), 10), Label: label},
			{Value: "", Label: "De façon anonyme", Hint: "Aucune information d'identité ni de coordonnées n'est enregistrée ni partagée."}}
	}
	return h.render(w, status, "orientations/form", p)
}

func (h *Handler) handleOrientationNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	person, consent, iv, err := h.orientationContext(r, formID[maillon.PersonID](q.Get("person")), formID[maillon.InterventionID](q.Get("intervention")))
	if err != nil {
		return err
	}
	f := ui.NewForm(orientationFormOrder...)
	now := maillon.InParis(h.now())
	f.Set("mode", "personne").Set("expected_on", now.AddDate(0, 0, maillon.DefaultExpectedInDays).Format("2006-01-02"))
	if person != nil && consent {
		f.Set("person_id", strconv.FormatInt(int64(person.ID), 10))
	}
	dir, err := h.orientationDirectory(r, f)
	if err != nil {
		return err
	}
	return h.orientationFormView(w, r, http.StatusOK, f, person, consent, iv, dir)
}

func (h *Handler) handleOrientationCreate(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	pf := r.PostForm
	f := ui.NewForm(orientationFormOrder...)
	for _, k := range []string{"person_id", "partner_name", "partner_contact", "reason", "mode", "shared_text", "expected_on"} {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("shared_items", pf["shared_items"])
	if id := formID[maillon.DirectoryServiceID](pf.Get("directory_service_id")); id > 0 {
		f.Set("directory_service_id", strconv.FormatInt(int64(id), 10))
	}
	// The person the form was shown for stays offered on a re-display,
	// whatever was chosen.
	shownFor := formID[maillon.PersonID](pf.Get("shown_for"))
	ivID := formID[maillon.InterventionID](pf.Get("intervention_id"))
	in := maillon.OrientationInput{
		PersonID: formID[maillon.PersonID](pf.Get("person_id")), InterventionID: max(ivID, 0),
		PartnerName: pf.Get("partner_name"), PartnerContact: pf.Get("partner_contact"), Reason: pf.Get("reason"),
		SharedItems: pf["shared_items"], SharedText: pf.Get("shared_text"), Mode: pf.Get("mode"), ExpectedOn: pf.Get("expected_on"),
		DirectoryServiceID: max(formID[maillon.DirectoryServiceID](pf.Get("directory_service_id")), 0),
	}
	var err error
	var o *maillon.Orientation
	if in.PersonID < 0 {
		msg := "Choisissez la personne ou l'orientation anonyme."
		_, verr := in.Validate(h.now())
		fields := maillon.FieldsOf(verr)
		if fields == nil {
			fields = map[string]string{}
		}
		fields["person_id"] = msg
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: fields}
	} else {
		o, err = h.svc.Orientations.CreateOrientation(r.Context(), a, in)
	}
	if err == nil {
		h.setFlash(w, "L'orientation a été enregistrée.")
		http.Redirect(w, r, orientationURL(o.ID), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "partner_name")
	if shownFor <= 0 && in.PersonID > 0 {
		shownFor = in.PersonID
	}
	person, consent, iv, cerr := h.orientationContext(r, max(shownFor, 0), max(ivID, 0))
	if cerr != nil {
		return cerr
	}
	return h.orientationFormView(w, r, http.StatusUnprocessableEntity, f, person, consent, iv)
}

// ---------------------------------------------------------------------
// The record, its status and its partner link.

// outcomeForm is one of the forms recording the outcome; its fields carry
// a prefix so that the three forms of the page keep distinct ids.
type outcomeForm struct {
	Status, Prefix, Title, Button string
	Reasons                       []ui.Option
	Form                          *ui.Form
}

// outcomePrefixes name the forms of the final statuses.
var outcomePrefixes = map[string]string{
	maillon.OrientationPriseEnCharge: "taken_",
	maillon.OrientationRefusee:       "refused_",
	maillon.OrientationSansSuite:     "nofollow_",
}

type orientationPage struct {
	Page
	Orientation *maillon.Orientation
	CanEdit     bool
	LinkState   string
	Outcomes    []outcomeForm
	Sources     []ui.Option
	LinkForm    *ui.Form
	Problem     string
	// NewLink is the partner's address, shown once after its creation.
	NewLink string
	MailTo  string
	Overdue bool
	MinDays int
	MaxDays int
}

func newOutcomeForms() []outcomeForm {
	return []outcomeForm{
		{Status: maillon.OrientationPriseEnCharge, Prefix: "taken_", Title: "Prise en charge", Button: "Enregistrer la prise en charge"},
		{Status: maillon.OrientationRefusee, Prefix: "refused_", Title: "Refus du partenaire", Button: "Enregistrer le refus",
			Reasons: options(maillon.RefusalReasons, "Choisir le motif")},
		{Status: maillon.OrientationSansSuite, Prefix: "nofollow_", Title: "Sans suite", Button: "Enregistrer l'absence de suite",
			Reasons: options(maillon.NoFollowReasons, "Choisir la raison")},
	}
}

// orientationView renders the record; failed names the outcome form that
// failed (its errors in f) or "link" for the link form.
func (h *Handler) orientationView(w http.ResponseWriter, r *http.Request, status int, id maillon.OrientationID, failed string, f *ui.Form, problem, newToken string) error {
	a := actor(r)
	o, err := h.svc.Orientations.FindOrientationByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := "Orientation vers " + o.PartnerName
	p := orientationPage{Page: h.page(w, r, title, "orientations", Crumb{"/orientations", "Orientations"}, Crumb{"", title}),
		Orientation: o, CanEdit: canEditOrientation(a, o), Problem: problem, Outcomes: newOutcomeForms(),
		Sources: options(maillon.OutcomeSources[1:], ""), LinkForm: ui.NewForm("days"),
		MinDays: maillon.MinLinkDays, MaxDays: maillon.MaxLinkDays}
	p.LinkForm.Set("days", strconv.Itoa(maillon.DefaultLinkDays))
	if o.Link != nil {
		p.LinkState = o.Link.State(h.now())
	}
	for i := range p.Outcomes {
		of := &p.Outcomes[i]
		of.Form = ui.NewForm(of.Prefix+"reason", of.Prefix+"text", of.Prefix+"source")
		if of.Status == failed {
			of.Form = f
			p.Form = f
		}
	}
	if failed == "link" {
		p.LinkForm, p.Form = f, f
	}
	today := maillon.InParis(h.now())
	p.Overdue = !o.ExpectedOn.IsZero() && !o.Closed() &&
		o.ExpectedOn.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, maillon.Paris))
	if newToken != "" {
		p.NewLink = h.partnerLinkURL(r, newToken)
		p.MailTo = partnerMailTo(o, p.NewLink, o.Link)
	}
	return h.render(w, status, "orientations/show", p)
}

// partnerLinkURL is the absolute address of a partner link, built from the
// request's host (the address the mediator uses is the public one).
func (h *Handler) partnerLinkURL(r *http.Request, token string) string {
	scheme := "http"
	if h.opt.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/p/o/" + token
}

// partnerMailTo prepares the e-mail to the partner, in French; the
// mediator checks it and sends it from their own mailbox. It names
// nobody: the link shows what was agreed.
func partnerMailTo(o *maillon.Orientation, link string, l *maillon.PartnerLink) string {
	to := ""
	for _, f := range strings.Fields(o.PartnerContact) {
		f = strings.Trim(f, ",;()<>")
		if strings.Contains(f, "@") && maillon.ValidateEmail(f) == "" {
			to = f
			break
		}
	}
	expires := ""
	if l != nil {
		expires = " Il est valable jusqu'au " + ui.Date(l.ExpiresAt) + " et ne sert qu'une fois."
	}
	body := "Bonjour,\n\nNous avons orienté vers votre service une personne que nous accompagnons (" + o.Reason + ").\n\n" +
		"Pour nous dire si elle a pu être prise en charge, il suffit d'ouvrir ce lien, sans créer de compte :\n" + link + "\n\n" +
		"Le lien ne montre que les informations que la personne a accepté de partager." + expires + "\n\nMerci pour votre retour,\n"
	q := "subject=" + url.PathEscape("Orientation : votre retour") + "&body=" + url.PathEscape(body)
	return "mailto:" + url.PathEscape(to) + "?" + q
}

func (h *Handler) handleOrientationShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.orientationView(w, r, http.StatusOK, maillon.OrientationID(id), "", nil, "", "")
}

// handleOrientationStatus records "transmise" or an outcome.
func (h *Handler) handleOrientationStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	pf := r.PostForm
	in := maillon.OrientationStatusInput{Status: pf.Get("status")}
	prefix, final := outcomePrefixes[in.Status]
	var f *ui.Form
	if final {
		in.Reason, in.Text, in.Source = pf.Get(prefix+"reason"), pf.Get(prefix+"text"), pf.Get(prefix+"source")
		f = ui.NewForm(prefix+"reason", prefix+"text", prefix+"source")
		f.Set(prefix+"reason", in.Reason).Set(prefix+"text", in.Text).Set(prefix+"source", in.Source)
	}
	err = h.svc.Orientations.SetOrientationStatus(r.Context(), actor(r), maillon.OrientationID(id), in)
	if err == nil {
		h.setFlash(w, "Le statut de l'orientation est maintenant « "+maillon.OrientationStatuses.Label(in.Status)+" ».")
		http.Redirect(w, r, orientationURL(maillon.OrientationID(id)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	fields := maillon.FieldsOf(err)
	if msg, ok := fields["status"]; ok || !final {
		if msg == "" {
			msg = maillon.ErrorMessage(err, "Ce changement de statut n'est pas possible.")
		}
		return h.orientationView(w, r, http.StatusUnprocessableEntity, maillon.OrientationID(id), "", nil, msg, "")
	}
	for k, v := range fields {
		f.Errors[prefix+k] = v
	}
	return h.orientationView(w, r, http.StatusUnprocessableEntity, maillon.OrientationID(id), in.Status, f, "", "")
}

// handleLinkCreate makes a partner link and shows it once.
func (h *Handler) handleLinkCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(r.PostForm.Get("days"))
	days, convErr := strconv.Atoi(raw)
	if convErr != nil {
		days = -1 // refused with the domain's message
	}
	token, err := h.svc.Orientations.CreatePartnerLink(r.Context(), actor(r), maillon.OrientationID(id), days)
	if err != nil {
		if !formError(err) {
			return err
		}
		if fields := maillon.FieldsOf(err); len(fields) > 0 {
			f := ui.NewForm("days")
			f.Set("days", r.PostForm.Get("days"))
			f.Errors = fields
			return h.orientationView(w, r, http.StatusUnprocessableEntity, maillon.OrientationID(id), "link", f, "", "")
		}
		return h.orientationView(w, r, http.StatusUnprocessableEntity, maillon.OrientationID(id), "", nil,
			maillon.ErrorMessage(err, "Le lien n'a pas pu être créé."), "")
	}
	// The page answering the POST is the only place the link is shown:
	// it is stored hashed.
	return h.orientationView(w, r, http.StatusOK, maillon.OrientationID(id), "", nil, "", token)
}

func (h *Handler) handleLinkRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Orientations.RevokePartnerLink(r.Context(), actor(r), maillon.OrientationID(id)); err != nil {
		if !errors.Is(err, maillon.ErrInvalid) {
			return err
		}
		return h.orientationView(w, r, http.StatusUnprocessableEntity, maillon.OrientationID(id), "", nil,
			maillon.ErrorMessage(err, "Le lien n'a pas pu être retiré."), "")
	}
	h.setFlash(w, "Le lien de réponse a été retiré : il n'ouvre plus rien.")
	http.Redirect(w, r, orientationURL(maillon.OrientationID(id)), http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// The partner's page: public, reached with the link's token only.

type partnerPage struct {
	Page
	View       *maillon.PartnerView
	State      string
	FormToken  string
	Action     string
	Answers    []ui.Option
	Reasons    []ui.Option
	Identity   bool
	Contact    bool
	HasMessage bool
}

// partnerFormToken binds the answer form to its link: a sessionless CSRF
// token that only a holder of the link can compute.
func partnerFormToken(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("maillon/partner-answer/v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// partnerHeaders keep the link's page out of search engines and its
// address out of Referer headers.
func partnerHeaders(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
}

func (h *Handler) partnerView(w http.ResponseWriter, r *http.Request, status int, v *maillon.PartnerView, state string, f *ui.Form) error {
	partnerHeaders(w)
	titles := map[string]string{
		maillon.LinkOpen: "Votre retour sur une orientation", maillon.LinkAnswered: "Réponse enregistrée",
		maillon.LinkExpired: "Lien expiré", maillon.LinkRevoked: "Lien retiré", "": "Lien introuvable",
	}
	p := partnerPage{Page: h.page(w, r, titles[state], ""), View: v, State: state, Action: r.URL.Path,
		Answers: options(maillon.PartnerAnswers, ""), Reasons: options(maillon.RefusalReasons, "Choisir le motif")}
	p.NoIndex = true
	p.Form = f
	if state == maillon.LinkOpen {
		p.FormToken = partnerFormToken(r.PathValue("token"))
		for _, it := range v.SharedItems {
			switch it {
			case "identite":
				p.Identity = true
			case "coordonnees":
				p.Contact = true
			default:
				p.HasMessage = true
			}
		}
	}
	return h.render(w, status, "partner/orientation", p)
}

// partnerStatus is the status of a link's page in each state.
var partnerStatus = map[string]int{
	maillon.LinkOpen: http.StatusOK, maillon.LinkAnswered: http.StatusOK,
	maillon.LinkExpired: http.StatusGone, maillon.LinkRevoked: http.StatusGone,
}

func (h *Handler) handlePartnerShow(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Orientations.FindPartnerView(r.Context(), r.PathValue("token"), httpx.RequestID(r.Context()))
	if errors.Is(err, maillon.ErrNotFound) {
		return h.partnerView(w, r, http.StatusNotFound, nil, "", nil)
	}
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.PartnerAnswerFields...)
	return h.partnerView(w, r, partnerStatus[v.State], v, v.State, f)
}

func (h *Handler) handlePartnerAnswer(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := parseForm(r); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(partnerFormToken(token)), []byte(r.PostForm.Get("form_token"))) != 1 {
		partnerHeaders(w)
		return csrfRejected()
	}
	pf := r.PostForm
	in := maillon.PartnerAnswerInput{Answer: pf.Get("answer"), Reason: pf.Get("reason"), Text: pf.Get("text")}
	err := h.svc.Orientations.AnswerPartnerLink(r.Context(), token, in, httpx.RequestID(r.Context()))
	if err == nil {
		partnerHeaders(w)
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return nil
	}
	switch {
	case errors.Is(err, maillon.ErrNotFound):
		return h.partnerView(w, r, http.StatusNotFound, nil, "", nil)
	case errors.Is(err, maillon.ErrConflict):
		// Answered, expired or withdrawn meanwhile: the page says which,
		// and nothing shared is shown any more.
		v, verr := h.svc.Orientations.FindPartnerView(r.Context(), token, httpx.RequestID(r.Context()))
		if verr != nil {
			return verr
		}
		st := http.StatusConflict
		if v.State == maillon.LinkExpired || v.State == maillon.LinkRevoked {
			st = http.StatusGone
		}
		return h.partnerView(w, r, st, v, v.State, nil)
	case errors.Is(err, maillon.ErrInvalid):
		v, verr := h.svc.Orientations.FindPartnerView(r.Context(), token, httpx.RequestID(r.Context()))
		if verr != nil {
			return verr
		}
		f := ui.NewForm(maillon.PartnerAnswerFields...)
		f.Set("answer", in.Answer).Set("reason", in.Reason).Set("text", in.Text)
		f.Errors = errorsOrMessage(err, "answer")
		st := http.StatusUnprocessableEntity
		if v.State != maillon.LinkOpen {
			st, f = partnerStatus[v.State], nil
		}
		return h.partnerView(w, r, st, v, v.State, f)
	}
	return err
}
