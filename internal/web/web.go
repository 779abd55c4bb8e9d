package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"time"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

// Options configure the web handler.
type Options struct {
	// SecureCookies adds the Secure attribute and the __Host- prefix
	// (the public address is https).
	SecureCookies  bool
	TrustedProxies []*net.IPNet
	Version        string
	// Ping checks the database for /healthz.
	Ping func(ctx context.Context) error
	// Metrics serves /metrics; MetricsToken, when set, lets remote
	// scrapers in with "Authorization: Bearer <token>".
	Metrics      http.Handler
	MetricsToken string
	Logger       *slog.Logger
	Clock        maillon.Clock
	// MaxBodyBytes is the server's request body limit (MAILLON_MAX_BODY),
	// stated on the upload pages; zero when unknown (annuaire import).
	MaxBodyBytes int64
}

// Handler is the web UI.
type Handler struct {
	svc  maillon.Services
	ui   *ui.Renderer
	opt  Options
	log  *slog.Logger
	mux  *http.ServeMux
	cop  *http.CrossOriginProtection
	list []route
}

// New builds the handler and its routes.
func New(svc maillon.Services, r *ui.Renderer, opt Options) *Handler {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Clock == nil {
		opt.Clock = maillon.SystemClock
	}
	h := &Handler{svc: svc, ui: r, opt: opt, log: opt.Logger, mux: http.NewServeMux(), cop: http.NewCrossOriginProtection()}
	h.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.renderError(w, r, maillon.Errorf(maillon.ErrForbidden,
			"Cette requête vient d'un autre site et a été refusée. Rechargez la page et recommencez."))
	}))
	h.list = h.routes()
	for _, rt := range h.list {
		h.mux.Handle(rt.method+" "+rt.path, h.wrap(rt))
	}
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, "unmatched")
		h.loadSession(r)
		h.renderError(w, r, maillon.NotFound("Page"))
	})
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// handlerFunc is the shape of every handler: errors go to one renderer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

type ctxKey int

const sessionKey ctxKey = iota

// reqState is what the wrapper learned about the request.
type reqState struct {
	sess  *maillon.CurrentSession
	token string
}

func state(r *http.Request) *reqState {
	if s, ok := r.Context().Value(sessionKey).(*reqState); ok {
		return s
	}
	return &reqState{}
}

// loadSession resolves the session cookie, if any, into the request
// context. An invalid or expired cookie is simply ignored.
func (h *Handler) loadSession(r *http.Request) *http.Request {
	st := &reqState{}
	if c, err := r.Cookie(h.sessionCookieName()); err == nil && c.Value != "" {
		if cs, err := h.svc.Auth.Session(r.Context(), c.Value); err == nil {
			st.sess, st.token = cs, c.Value
			httpx.SetUser(r, int64(cs.User.ID))
		}
	}
	*r = *r.WithContext(context.WithValue(r.Context(), sessionKey, st))
	return r
}

// actor returns the acting user of the request.
func actor(r *http.Request) maillon.Actor {
	st := state(r)
	if st.sess == nil {
		return maillon.Actor{Channel: maillon.ChannelWeb, RequestID: httpx.RequestID(r.Context())}
	}
	return st.sess.Actor(maillon.ChannelWeb, httpx.RequestID(r.Context()))
}

// wrap applies the route's access rule, CSRF checks and error rendering.
func (h *Handler) wrap(rt route) http.Handler {
	pattern := rt.method + " " + rt.path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpx.SetRoute(r, pattern)
		if rt.access != public {
			r = h.loadSession(r)
		}
		if err := h.authorize(w, r, rt); err != nil {
			h.renderError(w, r, err)
			return
		}
		if err := rt.handle(w, r); err != nil {
			h.renderError(w, r, err)
		}
	})
}

// errRedirected signals that authorize already answered with a redirect.
var errRedirected = &maillon.Error{Kind: maillon.ErrUnauthenticated, Message: "redirect"}

func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, rt route) error {
	st := state(r)
	if r.Method == http.MethodPost {
		if err := h.cop.Check(r); err != nil {
			return maillon.Errorf(maillon.ErrForbidden, "Cette requête vient d'un autre site et a été refusée. Rechargez la page et recommencez.")
		}
	}
	switch rt.access {
	case public:
		return nil
	case anonymous:
		if st.sess != nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return errRedirected
		}
		if r.Method == http.MethodPost {
			return h.checkAnonymousCSRF(r)
		}
		return nil
	}
	if st.sess == nil {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return errRedirected
		}
		return &maillon.Error{Kind: maillon.ErrUnauthenticated, Message: "Votre session a expiré. Reconnectez-vous, puis recommencez."}
	}
	if r.Method == http.MethodPost {
		if err := h.checkSessionCSRF(r, st.sess); err != nil {
			return err
		}
	}
	// A user with a temporary password must choose their own first.
	if st.sess.User.MustChangePassword && !rt.allowedBeforePasswordChange {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return errRedirected
		}
		return maillon.Errorf(maillon.ErrForbidden, "Choisissez d'abord votre propre mot de passe.")
	}
	switch rt.access {
	case coordination:
		if st.sess.User.Role != maillon.RoleCoordinateur && st.sess.User.Role != maillon.RoleAdmin {
			return maillon.Forbidden()
		}
	case administration:
		if st.sess.User.Role != maillon.RoleAdmin {
			return maillon.Forbidden()
		}
	}
	return nil
}

// now returns the handler clock's time.
func (h *Handler) now() time.Time { return h.opt.Clock() }
