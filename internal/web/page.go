package web

import (
	"net/http"

	"maillon"
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
}

// NavItem is an entry of the main navigation.
type NavItem struct {
	URL, Label string
	Current    bool
}

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
		}
	}
	p.Flash = h.takeFlash(w, r)
	return p
}

// navFor lists the modules the role may open. Only modules that exist are
// listed; each later module adds its entry here.
func navFor(role maillon.Role, current string) []NavItem {
	items := []NavItem{
		{URL: "/", Label: "Accueil", Current: current == "home"},
		{URL: "/people", Label: "Personnes", Current: current == "people"},
		{URL: "/interventions", Label: "Interventions", Current: current == "interventions"},
		{URL: "/orientations", Label: "Orientations", Current: current == "orientations"},
		{URL: "/followups", Label: "Relances", Current: current == "followups"},
		{URL: "/journal", Label: "Main courante", Current: current == "journal"},
	}
	if role == maillon.RoleAdmin {
		items = append(items, NavItem{URL: "/admin", Label: "Administration", Current: current == "admin"})
	}
	return items
}

func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) error {
	return h.ui.Render(w, status, name, data)
}
