package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"maillon"
	"maillon/internal/ui"
)

const tourneesPerPage = 30

func tourneeURL(id maillon.TourneeID) string {
	return "/tournees/" + strconv.FormatInt(int64(id), 10)
}

// counterAnchor is the id of a counter's block on the counter screen, so
// that a plain form submission comes back to the counter just clicked.
func counterAnchor(code string) string { return "c-" + code }

// ---------------------------------------------------------------------
// The list.

type tourneesPage struct {
	Page
	Tournees   []maillon.Tournee
	Total      int
	All        bool // the whole structure, not only the actor's tournées
	Pagination pagination
}

func (h *Handler) handleTourneeIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	all := q.Get("all") == "1"
	f := maillon.TourneeFilter{Limit: tourneesPerPage, Offset: pageOffset(r, tourneesPerPage)}
	if !all {
		f.MemberID = a.UserID
	}
	list, total, err := h.svc.Tournees.FindTournees(r.Context(), a, f)
	if err != nil {
		return err
	}
	p := tourneesPage{Page: h.page(w, r, "Tournées", "tournees"), Tournees: list, Total: total, All: all}
	p.Pagination = paginate(q, "/tournees", f.Offset, tourneesPerPage, len(list), total)
	return h.render(w, http.StatusOK, "tournees/index", p)
}

// ---------------------------------------------------------------------
// Starting a tournée.

type tourneeNewPage struct {
	Page
	Zones   []ui.Option
	Members []ui.Option
}

// tourneeZoneOptions lists the quartiers of the territory by ID: a
// tournée walks a quartier.
func (h *Handler) tourneeZoneOptions(r *http.Request) ([]ui.Option, error) {
	a := actor(r)
	terr, err := h.svc.Structures.FindTerritory(r.Context(), a, a.StructureID)
	if err != nil {
		return nil, err
	}
	out := []ui.Option{{Value: "", Label: "Choisir un quartier"}}
	for _, c := range terr.Communes {
		for _, z := range c.Zones {
			label := c.Name + " – " + z.Name
			if z.IsQPV() {
				label += " (QPV)"
			}
			out = append(out, ui.Option{Value: strconv.FormatInt(int64(z.ID), 10), Label: label})
		}
	}
	return out, nil
}

func (h *Handler) tourneeNewView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	p := tourneeNewPage{Page: h.page(w, r, "Commencer une tournée", "tournees", Crumb{"/tournees", "Tournées"}, Crumb{"", "Commencer une tournée"})}
	p.Form = f
	var err error
	if p.Zones, err = h.tourneeZoneOptions(r); err != nil {
		return err
	}
	if p.Members, err = h.memberOptions(r, ""); err != nil {
		return err
	}
	return h.render(w, status, "tournees/new", p)
}

func (h *Handler) handleTourneeNew(w http.ResponseWriter, r *http.Request) error {
	now := maillon.InParis(h.now())
	f := ui.NewForm(maillon.TourneeFields...)
	f.Set("date", now.Format("2006-01-02")).Set("time", now.Format("15:04")).
		Set("members", strconv.FormatInt(int64(actor(r).UserID), 10))
	return h.tourneeNewView(w, r, http.StatusOK, f)
}

func (h *Handler) handleTourneeCreate(w http.ResponseWriter, r *http.Request) error {
	pf := r.PostForm
	f := ui.NewForm(maillon.TourneeFields...)
	for _, k := range []string{"zone_id", "date", "time", "expected_end"} {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("members", pf["members"])
	in := maillon.TourneeInput{ZoneID: formID[maillon.ZoneID](pf.Get("zone_id")), Date: pf.Get("date"), Time: pf.Get("time"),
		Members: formIDs[maillon.UserID](pf["members"]), ExpectedEnd: pf.Get("expected_end")}
	tr, err := h.svc.Tournees.CreateTournee(r.Context(), actor(r), in)
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "zone_id")
		return h.tourneeNewView(w, r, http.StatusUnprocessableEntity, f)
	}
	h.setFlash(w, "La tournée a commencé. Bonne tournée !")
	http.Redirect(w, r, tourneeURL(tr.ID), http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// The counter screen.

// counterView is one +/− counter of the screen, with what its two forms
// need.
type counterView struct {
	Code, Label, Anchor string
	Count               int
	TourneeID           maillon.TourneeID
	CSRFToken           string
	CanChange           bool
}

type tourneePage struct {
	Page
	Tournee   *maillon.Tournee
	CanChange bool
	Counters  []counterView
	Ages      []counterView
	Genders   []counterView
	Kinds     []ui.Option
	ObsForm   *ui.Form
	EndForm   *ui.Form
	Problem   string // a refused counter change
}

func (h *Handler) tourneeView(w http.ResponseWriter, r *http.Request, status int, id maillon.TourneeID, obs, end *ui.Form, problem string) error {
	a := actor(r)
	tr, err := h.svc.Tournees.FindTourneeByID(r.Context(), a, id)
	if err != nil {
		return err
	}
	title := "Tournée du " + ui.Date(tr.StartAt)
	p := tourneePage{Page: h.page(w, r, title, "tournees", Crumb{"/tournees", "Tournées"}, Crumb{"", title}),
		Tournee: tr, CanChange: a.CanChangeTournee(tr), Problem: problem}
	view := func(code string) counterView {
		return counterView{Code: code, Label: maillon.TourneeCounterLabel(code), Anchor: counterAnchor(code), Count: tr.Count(code),
			TourneeID: tr.ID, CSRFToken: p.CSRFToken, CanChange: p.CanChange}
	}
	for _, c := range maillon.TourneeCounters {
		p.Counters = append(p.Counters, view(c.Code))
	}
	for _, c := range maillon.AgeBands {
		p.Ages = append(p.Ages, view(maillon.TourneeTallyAge(c.Code)))
	}
	for _, c := range maillon.Genders {
		p.Genders = append(p.Genders, view(maillon.TourneeTallyGender(c.Code)))
	}
	p.Kinds = options(maillon.ObservationKinds, "")
	if obs == nil {
		obs = ui.NewForm("kind", "text")
		obs.Set("kind", "observation")
	}
	if end == nil {
		end = ui.NewForm("end_time")
		end.Set("end_time", maillon.InParis(h.now()).Format("15:04"))
	}
	// One error summary per page: the form that failed.
	p.Form, p.ObsForm, p.EndForm = obs, obs, end
	if end.HasErrors() {
		p.Form = end
	}
	return h.render(w, status, "tournees/show", p)
}

func (h *Handler) handleTourneeShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.tourneeView(w, r, http.StatusOK, maillon.TourneeID(id), nil, nil, "")
}

// wantsJSON tells the counter script's requests apart: it asks for JSON
// to update the number in place; a plain form gets a redirect.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// handleTourneeCounter adds delta (±1 from the buttons) to a counter.
func (h *Handler) handleTourneeCounter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	counter := r.PostForm.Get("counter")
	delta, convErr := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("delta")))
	if convErr != nil {
		delta = 0 // refused by the domain with a French message
	}
	n, err := h.svc.Tournees.AddToTourneeCounter(r.Context(), actor(r), maillon.TourneeID(id), counter, delta)
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err != nil {
			w.WriteHeader(httpStatus(err))
			return json.NewEncoder(w).Encode(map[string]string{"error": counterProblem(err)})
		}
		return json.NewEncoder(w).Encode(map[string]any{"counter": counter, "label": maillon.TourneeCounterLabel(counter), "value": n})
	}
	if err != nil {
		if !errors.Is(err, maillon.ErrInvalid) {
			return err
		}
		return h.tourneeView(w, r, http.StatusUnprocessableEntity, maillon.TourneeID(id), nil, nil, counterProblem(err))
	}
	http.Redirect(w, r, tourneeURL(maillon.TourneeID(id))+"#"+counterAnchor(counter), http.StatusSeeOther)
	return nil
}

// counterProblem says why a counter did not change: the counter and step
// messages, which have no field on the screen to sit next to.
func counterProblem(err error) string {
	fields := maillon.FieldsOf(err)
	var msgs []string
	for _, k := range []string{"counter", "delta"} {
		if m := fields[k]; m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) == 0 {
		return maillon.ErrorMessage(err, "Le compteur n'a pas changé.")
	}
	return "Le compteur n'a pas changé. " + strings.Join(msgs, " ")
}

func (h *Handler) handleTourneeObservation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("kind", "text")
	f.Set("kind", r.PostForm.Get("kind")).Set("text", r.PostForm.Get("text"))
	err = h.svc.Tournees.AddTourneeObservation(r.Context(), actor(r), maillon.TourneeID(id),
		maillon.ObservationInput{Kind: f.Get("kind"), Text: f.Get("text")})
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "text")
		return h.tourneeView(w, r, http.StatusUnprocessableEntity, maillon.TourneeID(id), f, nil, "")
	}
	h.setFlash(w, "Le texte a été ajouté à la tournée.")
	http.Redirect(w, r, tourneeURL(maillon.TourneeID(id))+"#observations", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleTourneeEnd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("end_time")
	f.Set("end_time", r.PostForm.Get("end_time"))
	err = h.svc.Tournees.EndTournee(r.Context(), actor(r), maillon.TourneeID(id), maillon.TourneeEndInput{Time: f.Get("end_time")})
	if err != nil {
		if !errors.Is(err, maillon.ErrInvalid) {
			return err
		}
		f.Errors = errorsOrMessage(err, "end_time")
		return h.tourneeView(w, r, http.StatusUnprocessableEntity, maillon.TourneeID(id), nil, f, "")
	}
	h.setFlash(w, "La tournée est terminée. Merci !")
	http.Redirect(w, r, tourneeURL(maillon.TourneeID(id)), http.StatusSeeOther)
	return nil
}
