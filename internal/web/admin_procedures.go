package web

import (
	"errors"
	"net/http"

	"maillon"
	"maillon/internal/ui"
)

// procedureTypeGroup is the part of the catalogue of one organisme.
type procedureTypeGroup struct {
	Code, Label string
	Types       []maillon.ProcedureType
}

type procedureTypesPage struct {
	Page
	Groups     []procedureTypeGroup
	Organismes []ui.Option
}

func (h *Handler) procedureTypesView(w http.ResponseWriter, r *http.Request, status int, f *ui.Form) error {
	types, err := h.svc.Interventions.FindProcedureTypes(r.Context(), actor(r), false)
	if err != nil {
		return err
	}
	p := procedureTypesPage{Page: h.page(w, r, "Catalogue des démarches", "admin", adminCrumbs("Catalogue des démarches")...),
		Organismes: options(maillon.Organismes, "Choisir l'organisme")}
	for _, o := range maillon.Organismes {
		g := procedureTypeGroup{Code: o.Code, Label: o.Label}
		for _, t := range types {
			if t.Organisme == o.Code {
				g.Types = append(g.Types, t)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	p.Form = f
	return h.render(w, status, "admin/procedures", p)
}

func (h *Handler) handleProcedureTypeIndex(w http.ResponseWriter, r *http.Request) error {
	return h.procedureTypesView(w, r, http.StatusOK, ui.NewForm("organisme", "label"))
}

func (h *Handler) handleProcedureTypeCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("organisme", "label")
	f.Set("organisme", r.PostForm.Get("organisme")).Set("label", r.PostForm.Get("label"))
	if _, err := h.svc.Interventions.AddProcedureType(r.Context(), actor(r), f.Get("organisme"), f.Get("label")); err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = errorsOrMessage(err, "label")
		status := http.StatusUnprocessableEntity
		if errors.Is(err, maillon.ErrConflict) {
			status = http.StatusConflict
		}
		return h.procedureTypesView(w, r, status, f)
	}
	h.setFlash(w, "La démarche a été ajoutée au catalogue.")
	http.Redirect(w, r, "/admin/procedures", http.StatusSeeOther)
	return nil
}

// handleProcedureTypeActive retires (active=0) or reactivates (active=1)
// an entry. A retired entry leaves the forms but stays on the procedures
// that used it.
func (h *Handler) handleProcedureTypeActive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	active := checked(r.PostForm.Get("active"))
	if err := h.svc.Interventions.SetProcedureTypeActive(r.Context(), actor(r), maillon.ProcedureTypeID(id), active); err != nil {
		return err
	}
	if active {
		h.setFlash(w, "La démarche est de nouveau proposée dans les formulaires.")
	} else {
		h.setFlash(w, "La démarche est retirée des formulaires ; elle reste sur les démarches déjà enregistrées.")
	}
	http.Redirect(w, r, "/admin/procedures", http.StatusSeeOther)
	return nil
}
