package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/ui"
)

func infoURL(id maillon.InfoID) string { return "/infos/" + strconv.FormatInt(int64(id), 10) }

// canEditInfo mirrors the store's rule: coordinators and administrators,
// or the author of a proposal not yet validated.
func canEditInfo(a maillon.Actor, i *maillon.Info) bool {
	return a.CanEditTerritory(i.StructureID) || (i.Proposed() && i.AuthorID == a.UserID)
}

// ---------------------------------------------------------------------
// The list.

type infosPage struct {
	Page
	Infos       []maillon.Info
	Filter      *ui.Form
	Levels      []ui.Option
	Themes      []ui.Option
	Places      []ui.Option
	Expired     bool
	Coordinator bool
}

func (h *Handler) handleInfoIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("level", "theme", "place", "expired")
	for _, k := range form.Order {
		form.Set(k, q.Get(k))
	}
	var f maillon.InfoFilter
	if v := q.Get("level"); v != "" {
		if maillon.InfoLevels.Valid(v) {
			f.Level = v
		} else {
			form.Errors["level"] = "Choisissez un niveau dans la liste."
		}
	}
	if v := q.Get("theme"); v != "" {
		if maillon.Themes.Valid(v) {
			f.Theme = v
		} else {
			form.Errors["theme"] = "Choisissez un thème dans la liste."
		}
	}
	cid, zid, msg := h.parsePlace(r, q.Get("place"))
	if msg != "" {
		form.Errors["place"] = msg
	}
	if zid > 0 {
		f.Area.ZoneID = zid
	} else {
		f.Area.CommuneID = cid
	}
	f.Expired = checked(q.Get("expired"))
	places, err := h.placeOptions(r, "Tout le territoire")
	if err != nil {
		return err
	}
	p := infosPage{Page: h.page(w, r, "Fiches d'information", "infos"), Filter: form, Expired: f.Expired,
		Levels: options(maillon.InfoLevels, "Tous les niveaux"), Themes: options(maillon.Themes, "Tous les thèmes"), Places: places,
		Coordinator: a.CanEditTerritory(a.StructureID)}
	p.Form = form
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else if p.Infos, err = h.svc.Infos.FindInfos(r.Context(), a, f); err != nil {
		return err
	}
	return h.render(w, status, "infos/index", p)
}

// ---------------------------------------------------------------------
// The form, new and edit.

type infoFormPage struct {
	Page
	Info        *maillon.Info // nil for a new item
	Replaces    *maillon.Info // the published item a proposal updates
	Levels      []ui.Option
	Themes      []ui.Option
	Places      []ui.Option
	Coordinator bool
	// Warned shows the box "J'ai vérifié : pas de donnée personnelle".
	Warned bool
}

func (h *Handler) infoFormView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, item, replaces *maillon.Info) error {
	a := actor(r)
	title := "Nouvelle fiche d'information"
	crumbs := []Crumb{{"/infos", "Fiches d'information"}}
	switch {
	case item != nil:
		title = "Modifier la fiche « " + item.Title + " »"
		crumbs = append(crumbs, Crumb{infoURL(item.ID), item.Title})
	case replaces != nil:
		title = "Proposer une mise à jour de la fiche « " + replaces.Title + " »"
		crumbs = append(crumbs, Crumb{infoURL(replaces.ID), replaces.Title})
	}
	places, err := h.placeOptions(r, "Tout le territoire")
	if err != nil {
		return err
	}
	p := infoFormPage{Page: h.page(w, r, title, "infos", append(crumbs, Crumb{"", title})...), Info: item, Replaces: replaces,
		Levels: options(maillon.InfoLevels, ""), Themes: options(maillon.Themes, ""), Places: places,
		Coordinator: a.CanEditTerritory(a.StructureID),
		Warned:      f.Errors[maillon.VeilleConfirmField] != "" || f.Get(maillon.VeilleConfirmField) != ""}
	p.Form = f
	return h.render(w, status, "infos/form", p)
}

func (h *Handler) handleInfoNew(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.InfoFields...)
	f.Set("level", maillon.InfoStructure)
	// ?replaces=N: a mediator's proposed update starts from the item.
	var replaces *maillon.Info
	if id := formID[maillon.InfoID](r.URL.Query().Get("replaces")); id > 0 {
		a := actor(r)
		item, err := h.svc.Infos.FindInfo(r.Context(), a, id)
		if err != nil {
			return err
		}
		if !item.Proposed() && !a.CanEditTerritory(item.StructureID) {
			replaces = item
			setInfoForm(f, item)
		}
	}
	return h.infoFormView(w, r, http.StatusOK, f, nil, replaces)
}

// setInfoForm fills the form with an item's values.
func setInfoForm(f *ui.Form, item *maillon.Info) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	}
	f.Set("title", item.Title).Set("content", item.Content).Set("source", item.Source).Set("link", item.Link).
		Set("level", item.Level).Set("place", placeValue(item.Area.CommuneID, item.Area.ZoneID)).
		Set("valid_from", day(item.ValidFrom)).Set("valid_until", day(item.ValidUntil)).Set("review_on", day(item.ReviewOn))
	f.SetAll("themes", item.Themes)
}

// infoInput reads the form into f and an input.
func (h *Handler) infoInput(r *http.Request, f *ui.Form) (maillon.InfoInput, string) {
	pf := r.PostForm
	for _, k := range f.Order {
		f.Set(k, pf.Get(k))
	}
	f.SetAll("themes", pf["themes"])
	cid, zid, msg := h.parsePlace(r, pf.Get("place"))
	in := maillon.InfoInput{Title: pf.Get("title"), Content: pf.Get("content"), Source: pf.Get("source"), Link: pf.Get("link"),
		ValidFrom: pf.Get("valid_from"), ValidUntil: pf.Get("valid_until"), ReviewOn: pf.Get("review_on"),
		Themes: pf["themes"], Level: pf.Get("level"), Replaces: max(formID[maillon.InfoID](pf.Get("replaces")), 0),
		Confirmed: checked(pf.Get(maillon.VeilleConfirmField))}
	if zid > 0 {
		in.Area.ZoneID = zid
	} else {
		in.Area.CommuneID = cid
	}
	return in, msg
}

// withPlaceError adds the place's message to a validation error.
func withPlaceError(err error, in *maillon.InfoInput, msg string, now time.Time) error {
	if msg == "" {
		return err
	}
	if err == nil {
		_, err = in.Validate(now)
	}
	fields := maillon.FieldsOf(err)
	if fields == nil {
		fields = map[string]string{}
	}
	fields["place"] = msg
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: fields}
}

func (h *Handler) handleInfoCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.InfoFields...)
	in, msg := h.infoInput(r, f)
	var item *maillon.Info
	var err error
	if msg != "" {
		err = withPlaceError(nil, &in, msg, h.now())
	} else {
		item, err = h.svc.Infos.CreateInfo(r.Context(), actor(r), in)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "title")
		var replaces *maillon.Info
		if in.Replaces > 0 {
			if replaces, err = h.svc.Infos.FindInfo(r.Context(), actor(r), in.Replaces); err != nil {
				return err
			}
		}
		return h.infoFormView(w, r, http.StatusUnprocessableEntity, f, nil, replaces)
	}
	if item.Proposed() {
		h.setFlash(w, "Votre proposition de fiche a été enregistrée : une coordinatrice ou un coordinateur la validera.")
	} else {
		h.setFlash(w, "La fiche a été publiée.")
	}
	http.Redirect(w, r, infoURL(item.ID), http.StatusSeeOther)
	return nil
}

func (h *Handler) editableInfo(r *http.Request) (*maillon.Info, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a := actor(r)
	item, err := h.svc.Infos.FindInfo(r.Context(), a, maillon.InfoID(id))
	if err != nil {
		return nil, err
	}
	if !canEditInfo(a, item) {
		return nil, maillon.Forbidden()
	}
	return item, nil
}

func (h *Handler) handleInfoEdit(w http.ResponseWriter, r *http.Request) error {
	item, err := h.editableInfo(r)
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.InfoFields...)
	setInfoForm(f, item)
	return h.infoFormView(w, r, http.StatusOK, f, item, nil)
}

func (h *Handler) handleInfoUpdate(w http.ResponseWriter, r *http.Request) error {
	item, err := h.editableInfo(r)
	if err != nil {
		return err
	}
	f := ui.NewForm(maillon.InfoFields...)
	in, msg := h.infoInput(r, f)
	if msg != "" {
		err = withPlaceError(nil, &in, msg, h.now())
	} else {
		err = h.svc.Infos.UpdateInfo(r.Context(), actor(r), item.ID, in)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "title")
		return h.infoFormView(w, r, http.StatusUnprocessableEntity, f, item, nil)
	}
	h.setFlash(w, "La fiche a été modifiée.")
	http.Redirect(w, r, infoURL(item.ID), http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// One item, its validation and its review.

type infoPage struct {
	Page
	Info        *maillon.Info
	CanEdit     bool
	Coordinator bool
	Expired     bool
	ToReview    bool
	ReviewForm  *ui.Form
}

func (h *Handler) infoView(w http.ResponseWriter, r *http.Request, status int, id maillon.InfoID, rf *ui.Form) error {
	a := actor(r)
	item, err := h.svc.Infos.FindInfo(r.Context(), a, id)
	if err != nil {
		return err
	}
	p := infoPage{Page: h.page(w, r, item.Title, "infos", Crumb{"/infos", "Fiches d'information"}, Crumb{"", item.Title}),
		Info: item, CanEdit: canEditInfo(a, item), Coordinator: a.CanEditTerritory(item.StructureID),
		Expired: item.Expired(h.now()), ToReview: item.ToReview(h.now()), ReviewForm: rf}
	if rf == nil {
		p.ReviewForm = ui.NewForm("next_review")
		p.ReviewForm.Set("next_review", maillon.InParis(h.now()).AddDate(0, 6, 0).Format("2006-01-02"))
	} else {
		p.Form = rf
	}
	return h.render(w, status, "infos/show", p)
}

func (h *Handler) handleInfoShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return h.infoView(w, r, http.StatusOK, maillon.InfoID(id), nil)
}

func (h *Handler) handleInfoValidate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	published, err := h.svc.Infos.ValidateInfo(r.Context(), actor(r), maillon.InfoID(id))
	if err != nil {
		return err
	}
	h.setFlash(w, "La fiche a été validée et publiée.")
	http.Redirect(w, r, infoURL(published), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleInfoReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := ui.NewForm("next_review")
	f.Set("next_review", r.PostForm.Get("next_review"))
	if err := h.svc.Infos.MarkInfoReviewed(r.Context(), actor(r), maillon.InfoID(id), f.Get("next_review")); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "next_review")
		return h.infoView(w, r, http.StatusUnprocessableEntity, maillon.InfoID(id), f)
	}
	h.setFlash(w, "La fiche est marquée comme revue.")
	http.Redirect(w, r, infoURL(maillon.InfoID(id)), http.StatusSeeOther)
	return nil
}

// ---------------------------------------------------------------------
// The coordination's "à revoir" list.

type infoReviewPage struct {
	Page
	Proposals []maillon.Info
	Due       []maillon.Info
}

func (h *Handler) handleInfoToReview(w http.ResponseWriter, r *http.Request) error {
	items, err := h.svc.Infos.FindInfosToReview(r.Context(), actor(r))
	if err != nil {
		return err
	}
	title := "Fiches à revoir"
	p := infoReviewPage{Page: h.page(w, r, title, "infos", Crumb{"/infos", "Fiches d'information"}, Crumb{"", title})}
	for _, i := range items {
		if i.Proposed() {
			p.Proposals = append(p.Proposals, i)
		} else {
			p.Due = append(p.Due, i)
		}
	}
	return h.render(w, http.StatusOK, "infos/review", p)
}

// ---------------------------------------------------------------------
// The printable digest of a period.

type infoDigestPage struct {
	Page
	Infos    []maillon.Info
	From, To time.Time // To is the last day shown
	Period   *ui.Form
}

func (h *Handler) handleInfoDigest(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	now := h.now()
	today, _ := maillon.ParseDay("", now)
	f := ui.NewForm("from", "to")
	f.Set("from", q.Get("from")).Set("to", q.Get("to"))
	from, to := today.AddDate(0, -1, 0), today
	if v := strings.TrimSpace(q.Get("from")); v != "" {
		if d, err := maillon.ParseDay(v, now); err == nil {
			from = d
		} else {
			f.Errors["from"] = "Indiquez la date de début au format jj/mm/aaaa."
		}
	}
	if v := strings.TrimSpace(q.Get("to")); v != "" {
		if d, err := maillon.ParseDay(v, now); err == nil {
			to = d
		} else {
			f.Errors["to"] = "Indiquez la date de fin au format jj/mm/aaaa."
		}
	}
	if !f.HasErrors() && (to.Before(from) || to.Sub(from) > 366*24*time.Hour) {
		f.Errors["to"] = "La période va d'un jour à un an, la fin après le début."
	}
	if f.Get("from") == "" {
		f.Set("from", from.Format("2006-01-02"))
	}
	if f.Get("to") == "" {
		f.Set("to", to.Format("2006-01-02"))
	}
	title := "Synthèse des fiches d'information"
	p := infoDigestPage{Page: h.page(w, r, title, "infos", Crumb{"/infos", "Fiches d'information"}, Crumb{"", "Synthèse"}),
		From: from, To: to, Period: f}
	p.Form = f
	status := http.StatusOK
	if f.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		p.Infos, err = h.svc.Infos.FindInfos(r.Context(), a, maillon.InfoFilter{From: from, To: to.AddDate(0, 0, 1)})
		if err != nil {
			return err
		}
	}
	return h.render(w, status, "infos/digest", p)
}

// ---------------------------------------------------------------------
// The network feed's addresses, managed by administrators.

type feedTokensPage struct {
	Page
	Tokens    []maillon.FeedToken
	NewURL    string
	PublicURL string
}

func (h *Handler) feedTokensView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form, newURL string) error {
	a := actor(r)
	tokens, err := h.svc.Infos.FindFeedTokens(r.Context(), a)
	if err != nil {
		return err
	}
	title := "Flux d'information"
	p := feedTokensPage{Page: h.page(w, r, title, "admin", adminCrumbs(title)...), Tokens: tokens, NewURL: newURL,
		PublicURL: h.siteURL(r) + "/flux/public/" + strconv.FormatInt(int64(a.StructureID), 10) + ".atom"}
	p.Form = f
	return h.render(w, status, "admin/feeds", p)
}

func (h *Handler) handleFeedTokenIndex(w http.ResponseWriter, r *http.Request) error {
	return h.feedTokensView(w, r, http.StatusOK, ui.NewForm("label"), "")
}

func (h *Handler) handleFeedTokenCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("label")
	f.Set("label", r.PostForm.Get("label"))
	token, err := h.svc.Infos.CreateFeedToken(r.Context(), actor(r), f.Get("label"))
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "label")
		return h.feedTokensView(w, r, http.StatusUnprocessableEntity, f, "")
	}
	// The address is shown once, on this answer: it is never stored.
	return h.feedTokensView(w, r, http.StatusOK, ui.NewForm("label"), h.siteURL(r)+"/flux/reseau/"+token+".atom")
}

func (h *Handler) handleFeedTokenRevoke(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	err = h.svc.Infos.RevokeFeedToken(r.Context(), actor(r), maillon.FeedTokenID(id))
	if err != nil && !errors.Is(err, maillon.ErrConflict) {
		return err
	}
	h.setFlash(w, "L'adresse du flux a été retirée : elle ne donne plus accès aux fiches.")
	http.Redirect(w, r, "/admin/flux", http.StatusSeeOther)
	return nil
}
