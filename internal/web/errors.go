package web

import (
	"errors"
	"net/http"

	"maillon"
	"maillon/internal/httpx"
)

type errorPage struct {
	Page
	Status    int
	Message   string
	RequestID string
	LoginURL  string
}

var errorTitles = map[int]string{
	http.StatusBadRequest:            "Requête invalide",
	http.StatusUnauthorized:          "Connexion nécessaire",
	http.StatusForbidden:             "Accès refusé",
	http.StatusNotFound:              "Page introuvable",
	http.StatusConflict:              "Action impossible",
	http.StatusRequestEntityTooLarge: "Envoi trop volumineux",
	http.StatusUnprocessableEntity:   "Données non valides",
	http.StatusTooManyRequests:       "Trop de tentatives",
	http.StatusInternalServerError:   "Erreur du serveur",
}

// renderError answers with the French error page matching err. A 500 shows
// only the request ID; the whole error goes to the log.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errRedirected) {
		return
	}
	status := httpx.StatusOf(err)
	if errors.Is(err, errBadForm) {
		status = http.StatusBadRequest
	}
	rid := httpx.RequestID(r.Context())
	if status == http.StatusInternalServerError {
		h.log.Error("request failed", "request_id", rid, "error", err.Error())
	} else {
		h.log.Debug("request refused", "request_id", rid, "status", status)
	}
	msg := httpx.PublicMessage(err)
	if status == http.StatusRequestEntityTooLarge {
		msg = "Le formulaire ou le fichier envoyé est trop volumineux. Réduisez sa taille et recommencez."
	}
	if status == http.StatusBadRequest {
		msg = "Le formulaire envoyé est illisible. Rechargez la page et recommencez."
	}
	if status == http.StatusUnauthorized {
		h.clearSession(w)
	}
	httpx.SetRetryAfter(w, err)
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	view := errorPage{Page: h.page(w, r, title, ""), Status: status, Message: msg, RequestID: rid}
	if status == http.StatusUnauthorized {
		view.LoginURL = "/login"
		view.Page.User, view.Page.Nav = nil, nil
	}
	if rerr := h.render(w, status, "error", view); rerr != nil {
		h.log.Error("render error page", "request_id", rid, "error", rerr.Error())
		http.Error(w, title+" (requête "+rid+")", status)
	}
}

// formError tells whether err should re-render a form (validation or
// conflict with per-field messages) rather than show an error page.
func formError(err error) bool {
	return errors.Is(err, maillon.ErrInvalid) || errors.Is(err, maillon.ErrConflict)
}

// TooLarge answers a request whose declared body exceeds the limit; the
// server mounts it in front of every route.
func (h *Handler) TooLarge(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, &http.MaxBytesError{})
}

// Panic answers after a recovered panic.
func (h *Handler) Panic(w http.ResponseWriter, r *http.Request) {
	h.renderError(w, r, errors.New("panic"))
}

// httpStatus is the status an error answers with.
func httpStatus(err error) int { return httpx.StatusOf(err) }
