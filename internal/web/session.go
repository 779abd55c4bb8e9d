package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"maillon"
)

// Cookie names. Behind https the __Host- prefix pins the cookies to this
// exact host and path "/", with Secure.
func (h *Handler) sessionCookieName() string { return h.cookiePrefix() + "maillon_session" }
func (h *Handler) csrfCookieName() string    { return h.cookiePrefix() + "maillon_csrf" }
func (h *Handler) flashCookieName() string   { return h.cookiePrefix() + "maillon_flash" }

func (h *Handler) cookiePrefix() string {
	if h.opt.SecureCookies {
		return "__Host-"
	}
	return ""
}

func (h *Handler) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.opt.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}
}

// setSession stores a new session token. It has no Max-Age: the browser
// forgets it when closed, and the server enforces the timeouts anyway.
func (h *Handler) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, h.cookie(h.sessionCookieName(), token, 0))
}

func (h *Handler) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, h.cookie(h.sessionCookieName(), "", -1))
}

func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// anonymousCSRF returns the double-submit token of forms shown before
// login (login, set-up), setting its cookie when missing.
func (h *Handler) anonymousCSRF(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(h.csrfCookieName()); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return c.Value
	}
	tok := randomString()
	http.SetCookie(w, h.cookie(h.csrfCookieName(), tok, 12*3600))
	return tok
}

func csrfRejected() error {
	return maillon.Errorf(maillon.ErrForbidden, "Le formulaire a expiré ou ne vient pas de Maillon. Rechargez la page et recommencez.")
}

// errBadForm is a request body that is not a well-formed form: a client
// error (400), not a server error.
var errBadForm = errors.New("malformed form body")

// maxUploadMemory is the part of a multipart body kept in memory.
const maxUploadMemory = 8 << 20

// parseForm parses the body (url-encoded or multipart); a body over the size limit stays a
// *http.MaxBytesError (413), any other parse failure is errBadForm.
func parseForm(r *http.Request) error {
	var err error
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		// File uploads (CSV imports); the body is already bounded by
		// LimitBody, so it stays in memory.
		err = r.ParseMultipartForm(maxUploadMemory)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	if err == nil || errors.As(err, &mbe) {
		return err
	}
	return fmt.Errorf("%w: %v", errBadForm, err)
}

func (h *Handler) checkAnonymousCSRF(r *http.Request) error {
	c, err := r.Cookie(h.csrfCookieName())
	if err != nil || c.Value == "" {
		return csrfRejected()
	}
	if err := parseForm(r); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostForm.Get("csrf_token"))) != 1 {
		return csrfRejected()
	}
	return nil
}

func (h *Handler) checkSessionCSRF(r *http.Request, cs *maillon.CurrentSession) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if subtle.ConstantTimeCompare([]byte(cs.CSRFToken), []byte(r.PostForm.Get("csrf_token"))) != 1 {
		return csrfRejected()
	}
	return nil
}

// setFlash stores a one-time confirmation message shown by the next page.
// Only fixed messages written by Maillon go there, never user input.
func (h *Handler) setFlash(w http.ResponseWriter, msg string) {
	http.SetCookie(w, h.cookie(h.flashCookieName(), base64.RawURLEncoding.EncodeToString([]byte(msg)), 60))
}

func (h *Handler) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(h.flashCookieName())
	if err != nil {
		return ""
	}
	http.SetCookie(w, h.cookie(h.flashCookieName(), "", -1))
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > 300 {
		return ""
	}
	return string(b)
}
