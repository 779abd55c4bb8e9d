package web

import (
	"net/http"
	"strings"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

// Demo accounts shown on the login page of a demo instance.
var demoAccounts = []struct{ Email, Role string }{
	{"admin@demo.maillon.test", "Administration de la structure"},
	{"coordination@demo.maillon.test", "Coordination"},
	{"mediation@demo.maillon.test", "Médiation"},
}

// DemoPassword is the password of every demo account.
const DemoPassword = "maillon-demo-2026"

type loginPage struct {
	Page
	Next         string
	DemoAccounts []struct{ Email, Role string }
	DemoPassword string
	Problem      string // a non-field message: bad credentials, throttling
}

// safeNext keeps only local paths, so the login form cannot be used to
// send people to another site after they log in.
func safeNext(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") || len(s) > 500 ||
		strings.ContainsAny(s, "\r\n") {
		return "/"
	}
	return s
}

func (h *Handler) loginView(w http.ResponseWriter, r *http.Request, f *ui.Form, next string) (loginPage, error) {
	info, err := h.svc.Instance.Instance(r.Context())
	if err != nil {
		return loginPage{}, err
	}
	p := loginPage{Page: h.page(w, r, "Connexion", ""), Next: next}
	p.CSRFToken = h.anonymousCSRF(w, r)
	p.Form = f
	if info.Demo {
		p.DemoAccounts, p.DemoPassword = demoAccounts, DemoPassword
	}
	return p, nil
}

func (h *Handler) handleLoginNew(w http.ResponseWriter, r *http.Request) error {
	info, err := h.svc.Instance.Instance(r.Context())
	if err != nil {
		return err
	}
	if info.NeedsSetup() {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return nil
	}
	p, err := h.loginView(w, r, ui.NewForm("email", "password"), safeNext(r.URL.Query().Get("next")))
	if err != nil {
		return err
	}
	return h.render(w, http.StatusOK, "login", p)
}

func (h *Handler) handleLoginCreate(w http.ResponseWriter, r *http.Request) error {
	f := ui.NewForm("email", "password")
	email := r.PostForm.Get("email")
	f.Set("email", email)
	next := safeNext(r.PostForm.Get("next"))
	sess, _, err := h.svc.Auth.Login(r.Context(), maillon.LoginInput{
		Email:     email,
		Password:  r.PostForm.Get("password"),
		ClientIP:  httpx.ClientIP(r, h.opt.TrustedProxies),
		Channel:   maillon.ChannelWeb,
		RequestID: httpx.RequestID(r.Context()),
	})
	if err != nil {
		status := httpx.StatusOf(err)
		if status != http.StatusUnauthorized && status != http.StatusTooManyRequests {
			return err
		}
		httpx.SetRetryAfter(w, err)
		p, verr := h.loginView(w, r, f, next)
		if verr != nil {
			return verr
		}
		p.Problem = httpx.PublicMessage(err)
		if status == http.StatusUnauthorized {
			// One message for both fields: saying which one is wrong
			// would tell an attacker whether the e-mail exists.
			f.Errors["email"] = p.Problem
		}
		return h.render(w, status, "login", p)
	}
	h.setSession(w, sess.Token)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

func (h *Handler) handleLogout(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	if err := h.svc.Auth.Logout(r.Context(), actor(r), st.token); err != nil {
		return err
	}
	h.clearSession(w)
	h.setFlash(w, "Vous êtes déconnecté·e. À bientôt !")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type setupPage struct {
	Page
}

func (h *Handler) setupAvailable(r *http.Request) error {
	info, err := h.svc.Instance.Instance(r.Context())
	if err != nil {
		return err
	}
	if !info.NeedsSetup() {
		return maillon.NotFound("Page")
	}
	return nil
}

func (h *Handler) handleSetupNew(w http.ResponseWriter, r *http.Request) error {
	if err := h.setupAvailable(r); err != nil {
		return err
	}
	p := setupPage{Page: h.page(w, r, "Installation de Maillon", "")}
	p.CSRFToken = h.anonymousCSRF(w, r)
	p.Form = ui.NewForm("structure_name", "admin_name", "admin_email", "password", "password_confirm")
	return h.render(w, http.StatusOK, "setup", p)
}

func (h *Handler) handleSetupCreate(w http.ResponseWriter, r *http.Request) error {
	if err := h.setupAvailable(r); err != nil {
		return err
	}
	if err := h.checkAnonymousCSRF(r); err != nil {
		return err
	}
	f := ui.NewForm("structure_name", "admin_name", "admin_email", "password", "password_confirm")
	for _, k := range []string{"structure_name", "admin_name", "admin_email"} {
		f.Set(k, r.PostForm.Get(k))
	}
	in := maillon.SetupInput{
		StructureName: r.PostForm.Get("structure_name"),
		AdminName:     r.PostForm.Get("admin_name"),
		AdminEmail:    r.PostForm.Get("admin_email"),
		Password:      r.PostForm.Get("password"),
		RequestID:     httpx.RequestID(r.Context()),
	}
	var err error
	if in.Password != r.PostForm.Get("password_confirm") {
		err = fieldError("password_confirm", "Les deux mots de passe ne sont pas identiques.")
		if verr := in.Validate(); verr != nil {
			err = mergeFields(verr, err)
		}
	} else {
		_, err = h.svc.Instance.Setup(r.Context(), in)
	}
	if err != nil {
		if !formError(err) {
			return err
		}
		f.Errors = maillon.FieldsOf(err)
		p := setupPage{Page: h.page(w, r, "Installation de Maillon", "")}
		p.CSRFToken = h.anonymousCSRF(w, r)
		p.Form = f
		return h.render(w, http.StatusUnprocessableEntity, "setup", p)
	}
	// Log the new administrator in at once.
	sess, _, err := h.svc.Auth.Login(r.Context(), maillon.LoginInput{
		Email: in.AdminEmail, Password: in.Password, ClientIP: httpx.ClientIP(r, h.opt.TrustedProxies),
		Channel: maillon.ChannelWeb, RequestID: httpx.RequestID(r.Context()),
	})
	if err != nil {
		return err
	}
	h.setSession(w, sess.Token)
	h.setFlash(w, "Maillon est installé. Complétez maintenant les paramètres de votre structure.")
	http.Redirect(w, r, "/admin/structure", http.StatusSeeOther)
	return nil
}

// fieldError is a validation error on one field.
func fieldError(field, msg string) error {
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient une erreur.", Fields: map[string]string{field: msg}}
}

// mergeFields returns a validation error holding the field messages of
// both errors; the first error's messages win.
func mergeFields(err, extra error) error {
	fe := maillon.FieldErrors{}
	for k, v := range maillon.FieldsOf(err) {
		fe.Add(k, v)
	}
	for k, v := range maillon.FieldsOf(extra) {
		fe.Add(k, v)
	}
	return fe.Err()
}
