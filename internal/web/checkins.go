package web

import (
	"net/http"

	"maillon"
	"maillon/internal/ui"
)

// Lone-worker check-ins: "Je pars en visite à domicile", the banner's
// check-out and extension buttons, and the coordination's "joint(e), tout
// va bien".

type checkInNewPage struct {
	Page
	Places []ui.Option
}

func (h *Handler) checkInNewView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	p := checkInNewPage{Page: h.page(w, r, "Je pars en visite à domicile", "home")}
	p.Form = f
	var err error
	if p.Places, err = h.placeOptions(r, "Choisir un lieu"); err != nil {
		return err
	}
	return h.render(w, status, "checkins/new", p)
}

func (h *Handler) handleCheckInNew(w http.ResponseWriter, r *http.Request) error {
	return h.checkInNewView(w, r, http.StatusOK, ui.NewForm(maillon.HomeVisitFields...))
}

func (h *Handler) handleCheckInCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(maillon.HomeVisitFields...)
	for _, k := range []string{"expected_end", "place", "place_label"} {
		f.Set(k, r.PostForm.Get(k))
	}
	cid, zid, placeErr := h.parsePlace(r, f.Get("place"))
	in := maillon.HomeVisitInput{CommuneID: cid, ZoneID: zid, PlaceLabel: f.Get("place_label"), ExpectedEnd: f.Get("expected_end")}
	var err error
	if placeErr != "" {
		check := in
		_, verr := check.Validate(h.now())
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: maillon.FieldsOf(verr)}
	} else {
		_, err = h.svc.Safety.StartHomeVisit(r.Context(), actor(r), in)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = placeFieldErrors(maillon.FieldsOf(err), placeErr)
		if len(f.Errors) == 0 {
			f.Errors = errorsOrMessage(err, "expected_end")
		}
		return h.checkInNewView(w, r, http.StatusUnprocessableEntity, f)
	}
	h.setFlash(w, "Votre départ est enregistré. Pensez à signaler votre retour.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

// back is where a banner or dashboard button returns: the page it was on.
func back(r *http.Request) string {
	if b := r.PostForm.Get("back"); b != "" {
		return safeNext(b)
	}
	return "/"
}

func (h *Handler) handleCheckOut(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Safety.CheckOut(r.Context(), actor(r), maillon.CheckInID(id)); err != nil {
		return err
	}
	h.setFlash(w, "Votre retour est enregistré.")
	http.Redirect(w, r, back(r), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleCheckInExtend(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Safety.ExtendCheckIn(r.Context(), actor(r), maillon.CheckInID(id)); err != nil {
		return err
	}
	h.setFlash(w, "L'heure de retour prévue est repoussée de 30 minutes.")
	http.Redirect(w, r, back(r), http.StatusSeeOther)
	return nil
}

func (h *Handler) handleCheckInAcknowledge(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.svc.Safety.AcknowledgeCheckIn(r.Context(), actor(r), maillon.CheckInID(id)); err != nil {
		return err
	}
	h.setFlash(w, "C'est noté : la personne a été jointe et tout va bien.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
