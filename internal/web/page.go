package web

import (
	"net/http"
	"time"

	"maillon"
	"maillon/internal/httpx"
	"maillon/internal/ui"
)

// Page is embedded in every page's view struct: what the layout needs.
type Page struct {
	Title         string
	Section       string // the main navigation item to mark as current
	User          *maillon.User
	StructureName string
	CSRFToken     string
	Nav           []NavItem
	Breadcrumbs   []Crumb
	Flash         string
	Form          *ui.Form
	Version       string
	// NoIndex asks search engines to leave the page out (the partner
	// link's page).
	NoIndex bool
	// CheckIn is the user's open lone-worker check-in, shown on every
	// page with its check-out button; Here is the page to come back to.
	CheckIn *maillon.CheckIn
	Here    string
	Now     time.Time
}

// NavItem is an entry of the main navigation, rendered by ui.Nav.
type NavItem = ui.NavItem

// Crumb is a step of the breadcrumb; the last one has no URL.
type Crumb struct {
	URL, Label string
}

// page builds the shared part of a view.
func (h *Handler) page(w http.ResponseWriter, r *http.Request, title, section string, crumbs ...Crumb) Page {
	p := Page{Title: title, Section: section, Version: h.opt.Version, Breadcrumbs: crumbs}
	st := state(r)
	if st.sess != nil {
		u := st.sess.User
		p.User = &u
		p.StructureName = st.sess.Structure.Name
		p.CSRFToken = st.sess.CSRFToken
		if !u.MustChangePassword {
			p.Nav = navFor(u.Role, section)
			p.CheckIn = h.openCheckIn(r)
		}
	}
	p.Flash = h.takeFlash(w, r)
	// A form re-rendered after a POST has no page to come back to.
	p.Here = "/"
	if r.Method == http.MethodGet {
		p.Here = safeNext(r.URL.RequestURI())
	}
	p.Now = h.now()
	return p
}

// openCheckIn returns the user's open check-in for the banner. A failure
// only hides the banner: the page itself must still show.
func (h *Handler) openCheckIn(r *http.Request) *maillon.CheckIn {
	if h.svc.Safety == nil {
		return nil
	}
	c, err := h.svc.Safety.FindOpenCheckIn(r.Context(), actor(r))
	if err != nil {
		h.log.Warn("open check-in not read", "request_id", httpx.RequestID(r.Context()), "error", err.Error())
		return nil
	}
	return c
}

// navFor lists the modules the role may open. Only modules that exist are
// listed; each later module adds its entry here.
func navFor(role maillon.Role, current string) []NavItem {
	items := []NavItem{
		{URL: "/", Label: "Accueil", Current: current == "home"},
		{URL: "/people", Label: "Personnes", Current: current == "people"},
		{URL: "/interventions", Label: "Interventions", Current: current == "interventions"},
		{URL: "/orientations", Label: "Orientations", Current: current == "orientations"},
		{URL: "/mediations", Label: "Médiations", Current: current == "mediations"},
		{URL: "/followups", Label: "Relances", Current: current == "followups"},
		{URL: "/tournees", Label: "Tournées", Current: current == "tournees"},
		{URL: "/journal", Label: "Main courante", Current: current == "journal"},
		{URL: "/agenda", Label: "Agenda", Current: current == "agenda"},
		{URL: "/veille", Label: "Veille", Current: current == "veille"},
		{URL: "/territoire", Label: "Territoire", Current: current == "territoire"},
		{URL: "/infos", Label: "Infos", Current: current == "infos"},
		{URL: "/annuaire", Label: "Annuaire", Current: current == "annuaire"},
		// Collective actions.
		{URL: "/activites", Label: "Actions collectives", Current: current == "activites"},
		// Reports and dashboards.
		{URL: "/rapports", Label: "Rendre compte", Current: current == "rapports"},
		// Exports.
		{URL: "/exports", Label: "Exports", Current: current == "exports"},
	}
	if role == maillon.RoleAdmin {
		items = append(items, NavItem{URL: "/admin", Label: "Administration", Current: current == "admin"})
	}
	return items
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) error {
	return h.ui.Render(w, status, name, data)
}
