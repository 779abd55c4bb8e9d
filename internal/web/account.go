package web

import (
	"net/http"

	"maillon"
	"maillon/internal/ui"
)

type accountPage struct {
	Page
	Account  maillon.User
	Sessions int
}

func (h *Handler) handleAccount(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	n, err := h.svc.Auth.SessionCount(r.Context(), actor(r))
	if err != nil {
		return err
	}
	p := accountPage{Page: h.page(w, r, "Mon compte", "account"), Account: st.sess.User, Sessions: n}
	return h.render(w, http.StatusOK, "account", p)
}

type passwordPage struct {
	Page
	Forced bool
}

var passwordFields = []string{"current_password", "password", "password_confirm"}

func (h *Handler) passwordView(w http.ResponseWriter, r *http.Request, f *ui.Form) passwordPage {
	st := state(r)
	p := passwordPage{Page: h.page(w, r, "Changer de mot de passe", "account",
		Crumb{"/account", "Mon compte"}, Crumb{"", "Changer de mot de passe"}), Forced: st.sess.User.MustChangePassword}
	if p.Forced {
		p.Page.Breadcrumbs = nil
		p.Title = "Choisissez votre mot de passe"
	}
	p.Form = f
	return p
}

func (h *Handler) handlePasswordEdit(w http.ResponseWriter, r *http.Request) error {
	return h.render(w, http.StatusOK, "password", h.passwordView(w, r, ui.NewForm(passwordFields...)))
}

func (h *Handler) handlePasswordUpdate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm(passwordFields...)
	next := r.PostForm.Get("password")
	var err error
	if next != r.PostForm.Get("password_confirm") {
		err = fieldError("password_confirm", "Les deux nouveaux mots de passe ne sont pas identiques.")
	} else {
		err = h.svc.Auth.ChangePassword(r.Context(), actor(r), state(r).token, r.PostForm.Get("current_password"), next)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = maillon.FieldsOf(err)
		return h.render(w, http.StatusUnprocessableEntity, "password", h.passwordView(w, r, f))
	}
	h.setFlash(w, "Votre mot de passe a été changé. Vos autres appareils ont été déconnectés.")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

func (h *Handler) handleLogoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Auth.LogoutEverywhere(r.Context(), actor(r)); err != nil {
		return err
	}
	h.clearSession(w)
	h.setFlash(w, "Vous avez été déconnecté·e de tous vos appareils.")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}
