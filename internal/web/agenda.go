package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

func agendaURL(id maillon.AgendaEventID) string {
	return "/agenda/" + strconv.FormatInt(int64(id), 10)
}

// ---------------------------------------------------------------------
// The day and week views.

// agendaDay is one day of a view: a heading and a table.
type agendaDay struct {
	Day         time.Time
	Today       bool
	Holiday     bool
	Occurrences []maillon.AgendaOccurrence
}

type agendaPage struct {
	Page
	Filter   *ui.Form
	Whos     []ui.Option
	Views    []ui.Option
	Week     bool
	Heading  string
	Days     []agendaDay
	Prev     string
	Next     string
	TodayURL string
	Empty    bool
	// The user's iCal feed; NewFeed is its address, shown once.
	Feed     maillon.AgendaFeed
	NewFeed  string
	Problem  string
	ShowTeam bool // the view mixes several mediators: show who
}

// agendaWhos lists whose agenda may be opened: one's own and one's team's
// for a mediator; every mediator and team for the coordination.
func (h *Handler) agendaWhos(r *http.Request) ([]ui.Option, error) {
	a := actor(r)
	out := []ui.Option{{Value: "", Label: "Mon agenda"}}
	if !a.CanViewTeamData(a.StructureID) {
		if a.TeamID != 0 {
			out = append(out, ui.Option{Value: "e" + strconv.FormatInt(int64(a.TeamID), 10), Label: "Mon équipe"})
		}
		return out, nil
	}
	teams, err := h.svc.Teams.FindTeams(r.Context(), a)
	if err != nil {
		return nil, err
	}
	for _, t := range teams {
		out = append(out, ui.Option{Value: "e" + strconv.FormatInt(int64(t.ID), 10), Label: "Équipe : " + t.Name})
	}
	users, err := h.members(r)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		if u.ID != a.UserID {
			out = append(out, ui.Option{Value: "m" + strconv.FormatInt(int64(u.ID), 10), Label: u.DisplayName})
		}
	}
	return out, nil
}

// parseWho reads the "voir" parameter: "", "m<user>" or "e<team>".
func parseWho(v string) (maillon.UserID, maillon.TeamID, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, 0, true
	}
	id, err := strconv.ParseInt(v[1:], 10, 64)
	if err != nil || id <= 0 {
		return 0, 0, false
	}
	switch v[0] {
	case 'm':
		return maillon.UserID(id), 0, true
	case 'e':
		return 0, maillon.TeamID(id), true
	}
	return 0, 0, false
}

// agendaLink is the address of a view, keeping whose agenda it is.
func agendaLink(who, param string, day time.Time) string {
	q := url.Values{}
	if who != "" {
		q.Set("voir", who)
	}
	q.Set(param, maillon.InParis(day).Format("2006-01-02"))
	return "/agenda?" + q.Encode()
}

func (h *Handler) handleAgenda(w http.ResponseWriter, r *http.Request) error {
	return h.agendaView(w, r, http.StatusOK, "", "")
}

// agendaView renders a view from the query string; newFeed is a feed
// token to show once, problem a message about the feed forms.
func (h *Handler) agendaView(w http.ResponseWriter, r *http.Request, status int, newFeed, problem string) error {
	a := actor(r)
	q := r.URL.Query()
	if r.Method == http.MethodPost {
		q = url.Values{}
	}
	f := ui.NewForm("voir", "vue", "date")
	who := q.Get("voir")
	f.Set("voir", who)
	week := q.Get("jour") == "" || q.Get("vue") == "semaine"
	raw := q.Get("semaine")
	if q.Get("jour") != "" {
		raw = q.Get("jour")
	}
	if q.Get("date") != "" {
		raw = q.Get("date")
		week = q.Get("vue") != "jour"
	}
	if week {
		f.Set("vue", "semaine")
	} else {
		f.Set("vue", "jour")
	}
	f.Set("date", raw)
	day, err := maillon.ParseDay(raw, h.now())
	if err != nil || day.Year() < 2000 || day.Year() > 2100 {
		f.Errors["date"] = "Indiquez le jour au format jj/mm/aaaa, à partir de l'an 2000."
	} else {
		f.Set("date", day.Format("2006-01-02"))
	}
	uid, tid, ok := parseWho(who)
	if !ok {
		f.Errors["voir"] = "Choisissez un agenda dans la liste."
	}
	p := agendaPage{Page: h.page(w, r, "Agenda", "agenda"), Filter: f, Week: week, NewFeed: newFeed, Problem: problem,
		Views: []ui.Option{{Value: "semaine", Label: "Semaine"}, {Value: "jour", Label: "Jour"}}}
	p.Form = f
	if p.Whos, err = h.agendaWhos(r); err != nil {
		return err
	}
	if p.Feed, err = h.svc.Agenda.FindAgendaFeed(r.Context(), a); err != nil {
		return err
	}
	if f.HasErrors() {
		return h.render(w, http.StatusUnprocessableEntity, "agenda/index", p)
	}
	from, to := day, day.AddDate(0, 0, 1)
	if week {
		from = maillon.WeekStart(day)
		to = from.AddDate(0, 0, 7)
	}
	ag, err := h.svc.Agenda.FindAgenda(r.Context(), a, maillon.AgendaQuery{UserID: uid, TeamID: tid, From: from, To: to})
	if err != nil {
		return err
	}
	today := maillon.DayOf(h.now())
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		p.Days = append(p.Days, agendaDay{Day: d, Today: d.Equal(today), Holiday: ag.Holidays.IsHoliday(d)})
	}
	for _, o := range ag.Occurrences {
		for i := range p.Days {
			if o.Day().Equal(p.Days[i].Day) {
				p.Days[i].Occurrences = append(p.Days[i].Occurrences, o)
			}
		}
	}
	p.Empty = len(ag.Occurrences) == 0
	p.ShowTeam = tid != 0
	if week {
		p.Heading = "Semaine du " + ui.Date(from) + " au " + ui.Date(to.AddDate(0, 0, -1))
		p.Prev, p.Next = agendaLink(who, "semaine", from.AddDate(0, 0, -7)), agendaLink(who, "semaine", from.AddDate(0, 0, 7))
		p.TodayURL = agendaLink(who, "semaine", today)
	} else {
		p.Heading = ui.LongDate(from)
		p.Prev, p.Next = agendaLink(who, "jour", from.AddDate(0, 0, -1)), agendaLink(who, "jour", from.AddDate(0, 0, 1))
		p.TodayURL = agendaLink(who, "jour", today)
	}
	for _, o := range p.Whos {
		if o.Value == who && who != "" {
			p.Title = "Agenda – " + strings.TrimPrefix(o.Label, "Équipe : ")
		}
	}
	return h.render(w, status, "agenda/index", p)
}

// handleAgendaFeedCreate makes or replaces the user's feed and shows its
// address once: only its hash is stored.
func (h *Handler) handleAgendaFeedCreate(w http.ResponseWriter, r *http.Request) error {
	token, err := h.svc.Agenda.CreateAgendaFeed(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return h.agendaView(w, r, http.StatusOK, h.feedURL(r, token), "")
}

func (h *Handler) handleAgendaFeedRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Agenda.RevokeAgendaFeed(r.Context(), actor(r)); err != nil {
		if !errors.Is(err, maillon.ErrInvalid) {
			return err
		}
		return h.agendaView(w, r, http.StatusUnprocessableEntity, "", maillon.ErrorMessage(err, "Le lien n'a pas pu être retiré."))
	}
	h.setFlash(w, "Le lien d'abonnement a été retiré : les agendas qui l'utilisaient ne reçoivent plus rien.")
	http.Redirect(w, r, "/agenda", http.StatusSeeOther)
	return nil
}

// feedURL is the absolute address of a feed, from the request's host.
func (h *Handler) feedURL(r *http.Request, token string) string {
	scheme := "http"
	if h.opt.SecureCookies || r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/ical/" + token + ".ics"
}

// ---------------------------------------------------------------------
// The form.

type agendaFormPage struct {
	Page
	Person     *maillon.PersonRef
	HasConsent bool
	WhoOptions []ui.Option
	Kinds      []ui.Option
	Members    []ui.Option
	Teams      []ui.Option
	Places     []ui.Option
	Themes     []ui.Option
	// Action is where the form posts; Submit its button; Back the
	// cancel link.
	Action string
	Submit string
	Back   string
	// Searched: the person search ran; Found counts its matches.
	Searched bool
	Found    int
}

// agendaFormFields are the form's fields, in form order: the agenda's
// and the person search.
var agendaFormFields = append([]string{"kind", "person_q"}, maillon.AgendaFields[1:]...)

// editForbidden is the refusal of an edit or a deletion, as the store
// words it.
const editForbidden = "Seuls les médiateurs et médiatrices de l'événement, son auteur, la coordination et l'administration peuvent le modifier."

// maxPersonChoices bounds the people a search offers in the form.
const maxPersonChoices = 10

// agendaForm describes one use of the form: creation or edit.
type agendaForm struct {
	title, action, submit, back string
	crumbs                      []Crumb
}

func newAgendaForm(person *maillon.PersonRef) agendaForm {
	title := "Nouvel événement"
	if person != nil {
		title = "Nouveau rendez-vous"
	}
	return agendaForm{title: title, action: "/agenda", submit: "Ajouter à l'agenda", back: "/agenda",
		crumbs: []Crumb{{"/agenda", "Agenda"}, {"", title}}}
}

func editAgendaForm(id maillon.AgendaEventID) agendaForm {
	return agendaForm{title: "Modifier l'événement", action: agendaURL(id) + "/edit", submit: "Enregistrer les modifications",
		back: agendaURL(id), crumbs: []Crumb{{"/agenda", "Agenda"}, {agendaURL(id), "Événement"}, {"", "Modifier"}}}
}

// agendaPerson reads the person a form starts from (?person=) and
// whether a rendez-vous may name them.
func (h *Handler) agendaPerson(r *http.Request, pid maillon.PersonID) (*maillon.PersonRef, bool, error) {
	if pid <= 0 {
		return nil, false, nil
	}
	file, err := h.svc.People.FindPersonFile(r.Context(), actor(r), pid)
	if errors.Is(err, maillon.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return &maillon.PersonRef{ID: pid, Name: file.Person.DisplayName()}, file.HasConsent(maillon.ConsentDossier) && !file.Person.Archived, nil
}

// agendaFormView renders the form. person is the one it started from
// (a warning says when they may not be named), named the one chosen
// (when another), found the matches of a person search (nil: none ran).
func (h *Handler) agendaFormView(w http.ResponseWriter, r *http.Request, status int, use agendaForm, f *ui.Form,
	person *maillon.PersonRef, consent bool, named *maillon.PersonRef, found []maillon.Person) error {
	p := agendaFormPage{Page: h.page(w, r, use.title, "agenda", use.crumbs...),
		Person: person, HasConsent: consent, Kinds: options(maillon.AgendaKinds, ""), Themes: options(maillon.Themes, "Aucune en particulier"),
		Action: use.action, Submit: use.submit, Back: use.back, Searched: found != nil, Found: len(found)}
	p.Form = f
	seen := map[string]bool{}
	addWho := func(id maillon.PersonID, label string) {
		v := strconv.FormatInt(int64(id), 10)
		if !seen[v] {
			seen[v] = true
			p.WhoOptions = append(p.WhoOptions, ui.Option{Value: v, Label: label})
		}
	}
	if person != nil {
		label := person.Name
		if !consent {
			label += " (accord pour le dossier non enregistré)"
		}
		addWho(person.ID, label)
	}
	if named != nil {
		addWho(named.ID, named.Name)
	}
	for _, x := range found {
		addWho(x.ID, x.DisplayName())
	}
	if len(p.WhoOptions) > 0 {
		p.WhoOptions = append(p.WhoOptions, ui.Option{Value: "", Label: "Sans nommer la personne"})
	}
	var err error
	if p.Members, err = h.memberOptions(r, ""); err != nil {
		return err
	}
	if p.Places, err = h.placeOptions(r, "Aucun lieu du territoire"); err != nil {
		return err
	}
	teams, err := h.svc.Teams.FindTeams(r.Context(), actor(r))
	if err != nil {
		return err
	}
	p.Teams = []ui.Option{{Value: "", Label: "L'équipe du premier médiateur ou de la première médiatrice"}}
	for _, t := range teams {
		p.Teams = append(p.Teams, ui.Option{Value: strconv.FormatInt(int64(t.ID), 10), Label: t.Name})
	}
	return h.render(w, status, "agenda/form", p)
}

func (h *Handler) handleAgendaNew(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	person, consent, err := h.agendaPerson(r, formID[maillon.PersonID](q.Get("person")))
	if err != nil {
		return err
	}
	f := ui.NewForm(agendaFormFields...)
	start := maillon.InParis(h.now()).Add(24 * time.Hour)
	f.Set("kind", maillon.AgendaRendezVous).Set("date", start.Format("2006-01-02")).
		Set("mediators", strconv.FormatInt(int64(actor(r).UserID), 10))
	if k := q.Get("kind"); maillon.AgendaKinds.Valid(k) {
		f.Set("kind", k)
	}
	if person != nil && consent {
		f.Set("person_id", strconv.FormatInt(int64(person.ID), 10))
	}
	return h.agendaFormView(w, r, http.StatusOK, newAgendaForm(person), f, person, consent, nil, nil)
}

// handleAgendaEdit shows the form prefilled with the event.
func (h *Handler) handleAgendaEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	e, err := h.svc.Agenda.FindAgendaEvent(r.Context(), a, maillon.AgendaEventID(id))
	if err != nil {
		return err
	}
	if !e.CanEdit(a) {
		return maillon.Errorf(maillon.ErrForbidden, editForbidden)
	}
	f := ui.NewForm(agendaFormFields...)
	f.Set("kind", e.Kind).Set("date", maillon.InParis(e.StartAt).Format("2006-01-02")).
		Set("time", maillon.InParis(e.StartAt).Format("15:04")).Set("end_time", maillon.InParis(e.EndAt).Format("15:04")).
		Set("place_label", e.PlaceLabel).Set("theme", e.Theme).Set("purpose", e.Purpose).Set("documents", e.Documents)
	if e.Recurring() {
		f.Set("repeat_until", maillon.DayOf(e.RepeatUntil).Format("2006-01-02"))
	}
	var mediators []string
	for _, u := range e.Mediators {
		mediators = append(mediators, strconv.FormatInt(int64(u), 10))
	}
	f.SetAll("mediators", mediators)
	if e.TeamID != 0 {
		f.Set("team_id", strconv.FormatInt(int64(e.TeamID), 10))
	}
	switch {
	case e.ZoneID != 0:
		f.Set("place", "z"+strconv.FormatInt(int64(e.ZoneID), 10))
	case e.CommuneID != 0:
		f.Set("place", "c"+strconv.FormatInt(int64(e.CommuneID), 10))
	}
	var named *maillon.PersonRef
	if e.PersonID != 0 {
		f.Set("person_id", strconv.FormatInt(int64(e.PersonID), 10))
		named = &maillon.PersonRef{ID: e.PersonID, Name: e.PersonName}
	}
	return h.agendaFormView(w, r, http.StatusOK, editAgendaForm(e.ID), f, nil, false, named, nil)
}

// agendaSubmission reads the posted form: its values, the input, and the
// web-level field errors (list choices that do not parse).
func (h *Handler) agendaSubmission(r *http.Request) (*ui.Form, maillon.AgendaInput, map[string]string) {
	pf := r.PostForm
	f := ui.NewForm(agendaFormFields...)
	for _, k := range []string{"kind", "person_q", "person_id", "date", "time", "end_time", "repeat_until", "team_id", "place", "place_label",
		"theme", "purpose", "documents"} {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("mediators", pf["mediators"])
	in := maillon.AgendaInput{Kind: pf.Get("kind"), Date: pf.Get("date"), Time: pf.Get("time"), EndTime: pf.Get("end_time"),
		RepeatUntil: pf.Get("repeat_until"), Mediators: formIDs[maillon.UserID](pf["mediators"]),
		TeamID: max(formID[maillon.TeamID](pf.Get("team_id")), 0), PersonID: formID[maillon.PersonID](pf.Get("person_id")),
		PlaceLabel: pf.Get("place_label"), Theme: pf.Get("theme"), Purpose: pf.Get("purpose"), Documents: pf.Get("documents")}
	extra := map[string]string{}
	if v := strings.TrimSpace(pf.Get("team_id")); v != "" && in.TeamID == 0 {
		extra["team_id"] = "Choisissez une équipe dans la liste."
	}
	var placeErr string
	in.CommuneID, in.ZoneID, placeErr = h.parsePlace(r, strings.TrimSpace(pf.Get("place")))
	if placeErr != "" {
		extra["place"] = placeErr
	}
	return f, in, extra
}

// invalidWith merges web-level field errors into the input's validation.
func (h *Handler) invalidWith(in maillon.AgendaInput, extra map[string]string) error {
	_, verr := in.Validate(h.now())
	fields := maillon.FieldsOf(verr)
	if fields == nil {
		fields = map[string]string{}
	}
	for k, v := range extra {
		fields[k] = v
	}
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient des erreurs.", Fields: fields}
}

// agendaSearch runs the form's person search ("Chercher") when asked with
// a query: the form comes back with the matching people of the structure
// to choose from, every other value kept. ok is false when no search
// was asked (an empty query: the Enter key in another field presses the
// first button, which is "Chercher").
func (h *Handler) agendaSearch(w http.ResponseWriter, r *http.Request, use agendaForm, f *ui.Form) (ok bool, err error) {
	q := strings.TrimSpace(r.PostForm.Get("person_q"))
	if r.PostForm.Get("search") == "" || q == "" {
		return false, nil
	}
	status := http.StatusOK
	found := []maillon.Person{}
	if utf8.RuneCountInString(q) > maillon.MaxShortTextLen {
		f.Errors["person_q"] = "Indiquez au plus 250 caractères : une partie du nom suffit."
		status = http.StatusUnprocessableEntity
	} else {
		list, _, err := h.svc.People.FindPersons(r.Context(), actor(r), maillon.PersonFilter{Query: q, Limit: maxPersonChoices})
		if err != nil {
			if !formError(err) {
				return true, err
			}
			f.Errors["person_q"] = maillon.ErrorMessage(err, "Cette recherche n'a pas pu aboutir.")
			status = http.StatusUnprocessableEntity
		}
		found = append(found, list...)
	}
	named, _, err := h.agendaPerson(r, max(formID[maillon.PersonID](r.PostForm.Get("person_id")), 0))
	if err != nil {
		return true, err
	}
	person, consent, err := h.agendaPerson(r, max(formID[maillon.PersonID](r.PostForm.Get("shown_for")), 0))
	if err != nil {
		return true, err
	}
	return true, h.agendaFormView(w, r, status, use, f, person, consent, named, found)
}

// agendaFormError re-renders a refused form with its messages.
func (h *Handler) agendaFormError(w http.ResponseWriter, r *http.Request, use agendaForm, f *ui.Form, in maillon.AgendaInput, err error) error {
	if !formError(err) {
		return err
	}
	f.Errors = errorsOrMessage(err, "purpose")
	shownFor := formID[maillon.PersonID](r.PostForm.Get("shown_for"))
	person, consent, perr := h.agendaPerson(r, max(shownFor, 0))
	if perr != nil {
		return perr
	}
	var named *maillon.PersonRef
	if in.PersonID > 0 && in.PersonID != shownFor {
		if named, _, perr = h.agendaPerson(r, in.PersonID); perr != nil {
			return perr
		}
	}
	return h.agendaFormView(w, r, http.StatusUnprocessableEntity, use, f, person, consent, named, nil)
}

func (h *Handler) handleAgendaCreate(w http.ResponseWriter, r *http.Request) error {
	f, in, extra := h.agendaSubmission(r)
	shown, _, err := h.agendaPerson(r, max(formID[maillon.PersonID](r.PostForm.Get("shown_for")), 0))
	if err != nil {
		return err
	}
	use := newAgendaForm(shown)
	if done, err := h.agendaSearch(w, r, use, f); done {
		return err
	}
	var e *maillon.AgendaEvent
	if len(extra) > 0 {
		err = h.invalidWith(in, extra)
	} else {
		e, err = h.svc.Agenda.CreateAgendaEvent(r.Context(), actor(r), in)
	}
	if err == nil {
		h.setFlash(w, "L'événement a été ajouté à l'agenda.")
		http.Redirect(w, r, agendaURL(e.ID), http.StatusSeeOther)
		return nil
	}
	return h.agendaFormError(w, r, use, f, in, err)
}

// handleAgendaUpdate saves an edit; the flash says when a recorded
// presence was cleared because the event moved to the future.
func (h *Handler) handleAgendaUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	eid := maillon.AgendaEventID(id)
	f, in, extra := h.agendaSubmission(r)
	use := editAgendaForm(eid)
	if len(extra) > 0 || r.PostForm.Get("search") != "" {
		// The form shows again without the store: the event must exist
		// and be the actor's to change first.
		e, ferr := h.svc.Agenda.FindAgendaEvent(r.Context(), actor(r), eid)
		if ferr != nil {
			return ferr
		}
		if !e.CanEdit(actor(r)) {
			return maillon.Errorf(maillon.ErrForbidden, editForbidden)
		}
	}
	if done, err := h.agendaSearch(w, r, use, f); done {
		return err
	}
	cleared := false
	if len(extra) > 0 {
		err = h.invalidWith(in, extra)
	} else {
		_, cleared, err = h.svc.Agenda.UpdateAgendaEvent(r.Context(), actor(r), eid, in)
	}
	if err == nil {
		msg := "L'événement a été modifié."
		if cleared {
			msg = "L'événement a été modifié. Il est désormais à venir (ou se répète) : la présence indiquée a été effacée."
		}
		h.setFlash(w, msg)
		http.Redirect(w, r, agendaURL(eid), http.StatusSeeOther)
		return nil
	}
	return h.agendaFormError(w, r, use, f, in, err)
}

type agendaDeletePage struct {
	Page
	Event   *maillon.AgendaEvent
	Problem string
}

// agendaDeleteView shows the confirmation page; an event with a recorded
// presence shows why it may not be deleted instead of the button.
func (h *Handler) agendaDeleteView(w http.ResponseWriter, r *http.Request, status int, problem string) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	a := actor(r)
	e, err := h.svc.Agenda.FindAgendaEvent(r.Context(), a, maillon.AgendaEventID(id))
	if err != nil {
		return err
	}
	if !e.CanEdit(a) {
		return maillon.Errorf(maillon.ErrForbidden, editForbidden)
	}
	if problem == "" && e.Attendance != "" {
		problem = "La présence (« " + e.AttendanceLabel() + " ») est déjà indiquée : l'événement ne peut plus être supprimé. " +
			"S'il n'a pas eu lieu, indiquez plutôt qu'il est « annulé »."
	}
	title := "Supprimer l'événement"
	p := agendaDeletePage{Page: h.page(w, r, title, "agenda", Crumb{"/agenda", "Agenda"}, Crumb{agendaURL(e.ID), "Événement"}, Crumb{"", "Supprimer"}),
		Event: e, Problem: problem}
	return h.render(w, status, "agenda/delete", p)
}

func (h *Handler) handleAgendaDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	return h.agendaDeleteView(w, r, http.StatusOK, "")
}

func (h *Handler) handleAgendaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = h.svc.Agenda.DeleteAgendaEvent(r.Context(), actor(r), maillon.AgendaEventID(id))
	if err == nil {
		h.setFlash(w, "L'événement a été supprimé de l'agenda.")
		http.Redirect(w, r, "/agenda", http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	return h.agendaDeleteView(w, r, http.StatusUnprocessableEntity, maillon.ErrorMessage(err, "L'événement n'a pas pu être supprimé."))
}

// ---------------------------------------------------------------------
// One event: attendance, cancelled occurrences, card and download.

type agendaEventPage struct {
	Page
	Event       *maillon.AgendaEvent
	CanEdit     bool
	Past        bool
	Attendances []ui.Option
	Next        []maillon.AgendaOccurrence // upcoming occurrences of a permanence
	Attendance  *ui.Form
	Cancel      *ui.Form
	Days        []ui.Option
}

func (h *Handler) agendaEventView(w http.ResponseWriter, r *http.Request, status int, id maillon.AgendaEventID, attendance, cancel *ui.Form) error {
	a := actor(r)
	e, err := h.svc.Agenda.FindAgendaEvent(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := maillon.AgendaKinds.Label(e.Kind) + " du " + ui.Date(e.StartAt)
	if e.Recurring() {
		title = "Permanence du " + ui.Weekday(e.StartAt) + " à " + ui.Clock(e.StartAt)
	}
	p := agendaEventPage{Page: h.page(w, r, title, "agenda", Crumb{"/agenda", "Agenda"}, Crumb{"", title}),
		Event: e, CanEdit: e.CanEdit(a), Past: !h.now().Before(e.StartAt), Attendance: attendance, Cancel: cancel}
	if p.Attendance == nil {
		p.Attendance = ui.NewForm("attendance")
		p.Attendance.Set("attendance", e.Attendance)
	}
	if p.Cancel == nil {
		p.Cancel = ui.NewForm("day")
	}
	if p.Attendance.HasErrors() {
		p.Form = p.Attendance
	}
	if p.Cancel.HasErrors() {
		p.Form = p.Cancel
	}
	if p.Past && e.Kind == maillon.AgendaRendezVous {
		p.Attendances = options(maillon.Attendances, "")
	} else {
		p.Attendances = options(maillon.Attendances[3:], "")
	}
	if e.Recurring() {
		now := h.now()
		// The cancellation list offers the next sessions; the holiday
		// calendar is the structure's.
		cal := state(r).sess.Structure.Holidays
		p.Next = e.Occurrences(cal, now, now.AddDate(0, 0, 7*12))
		if len(p.Next) > 12 {
			p.Next = p.Next[:12]
		}
		p.Days = []ui.Option{{Value: "", Label: "Choisir la séance"}}
		for _, o := range p.Next {
			p.Days = append(p.Days, ui.Option{Value: maillon.InParis(o.StartAt).Format("2006-01-02"), Label: ui.LongDate(o.StartAt)})
		}
	}
	return h.render(w, status, "agenda/show", p)
}

func (h *Handler) handleAgendaShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.agendaEventView(w, r, http.StatusOK, maillon.AgendaEventID(id), nil, nil)
}

func (h *Handler) handleAgendaAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	status := r.PostForm.Get("attendance")
	err = h.svc.Agenda.SetAttendance(r.Context(), actor(r), maillon.AgendaEventID(id), status)
	if err == nil {
		h.setFlash(w, "Présence enregistrée : « "+maillon.Attendances.Label(status)+" ».")
		http.Redirect(w, r, agendaURL(maillon.AgendaEventID(id)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f := ui.NewForm("attendance")
	f.Set("attendance", status)
	f.Errors = errorsOrMessage(err, "attendance")
	return h.agendaEventView(w, r, http.StatusUnprocessableEntity, maillon.AgendaEventID(id), f, nil)
}

func (h *Handler) handleAgendaCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	day := r.PostForm.Get("day")
	err = h.svc.Agenda.CancelOccurrence(r.Context(), actor(r), maillon.AgendaEventID(id), day)
	if err == nil {
		h.setFlash(w, "La séance est annulée ; les autres restent prévues.")
		http.Redirect(w, r, agendaURL(maillon.AgendaEventID(id)), http.StatusSeeOther)
		return nil
	}
	if !formError(err) {
		return err
	}
	f := ui.NewForm("day")
	f.Set("day", day)
	f.Errors = errorsOrMessage(err, "day")
	return h.agendaEventView(w, r, http.StatusUnprocessableEntity, maillon.AgendaEventID(id), nil, f)
}

type agendaCardPage struct {
	Page
	Card *maillon.AgendaCard
}

// handleAgendaCard prints the card handed to the person: plain words,
// large type, nothing internal.
func (h *Handler) handleAgendaCard(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.svc.Agenda.FindAgendaCard(r.Context(), actor(r), maillon.AgendaEventID(id))
	if err != nil {
		return err
	}
	p := agendaCardPage{Page: h.page(w, r, "Votre rendez-vous", "agenda", Crumb{"/agenda", "Agenda"},
		Crumb{agendaURL(c.Event.ID), "Rendez-vous"}, Crumb{"", "Carte à remettre"}), Card: c}
	return h.render(w, http.StatusOK, "agenda/card", p)
}

// icalHost is the domain of the UIDs: the request's host without its
// port, kept to the characters a domain may hold.
func icalHost(r *http.Request) string {
	host := r.Host
	if i := strings.LastIndexByte(host, ':'); i > 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	for _, c := range host {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return "maillon.invalid"
		}
	}
	if host == "" {
		return "maillon.invalid"
	}
	return strings.ToLower(host)
}

func writeICS(w http.ResponseWriter, body, filename string) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
	if filename != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}

// handleAgendaICS downloads one event. It follows the feed's privacy
// rule (initials, no address of a rendez-vous): the file ends up in the
// same phone calendars.
func (h *Handler) handleAgendaICS(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	e, err := h.svc.Agenda.FindAgendaEvent(r.Context(), actor(r), maillon.AgendaEventID(id))
	if err != nil {
		return err
	}
	c := icalCalendar{Host: icalHost(r), Now: h.now(), Holidays: state(r).sess.Structure.Holidays, Events: []maillon.AgendaEvent{*e}}
	writeICS(w, c.encode(), "agenda-"+strconv.FormatInt(id, 10)+".ics")
	return nil
}

// handleFeed serves a mediator's iCal feed: public, the token in the path
// is the credential. Its use is logged without the token nor any name.
func (h *Handler) handleFeed(w http.ResponseWriter, r *http.Request) error {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		return maillon.NotFound("Agenda")
	}
	d, err := h.svc.Agenda.FindFeedData(r.Context(), token)
	if err != nil {
		return err
	}
	c := icalCalendar{Name: "Maillon – mon agenda", Host: icalHost(r), Now: d.Now, Holidays: d.Holidays, Events: d.Events}
	h.log.Info("agenda feed served", "request_id", httpx.RequestID(r.Context()), "user_id", int64(d.UserID), "events", len(d.Events))
	writeICS(w, c.encode(), "")
	return nil
}
