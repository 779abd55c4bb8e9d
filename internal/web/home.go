package web

import (
	"net/http"
	"time"

	"maillon"
)

type homePage struct {
	Page
	Greeting  string
	RoleLabel string
	TeamName  string
	LastLogin time.Time
	Admin     *adminSummary
}

// adminSummary is what an administrator sees first: what needs setting up.
type adminSummary struct {
	ActiveUsers int
	Teams       int
	Communes    int
	Zones       int
}

// handleHome is the first dashboard: who you are, and what you can do now.
// Each module adds its cards.
func (h *Handler) handleHome(w http.ResponseWriter, r *http.Request) error {
	st := state(r)
	u := st.sess.User
	p := homePage{Page: h.page(w, r, "Accueil", "home"), RoleLabel: u.Role.Label(), TeamName: u.TeamName, LastLogin: u.LastLoginAt}
	p.Greeting = greeting(h.now())
	if u.Role == maillon.RoleAdmin {
		a := actor(r)
		_, active, err := h.svc.Users.FindUsers(r.Context(), a, maillon.UserFilter{ActiveOnly: true, Limit: 1})
		if err != nil {
			return err
		}
		teams, err := h.svc.Teams.FindTeams(r.Context(), a)
		if err != nil {
			return err
		}
		terr, err := h.svc.Structures.FindTerritory(r.Context(), a, u.StructureID)
		if err != nil {
			return err
		}
		p.Admin = &adminSummary{ActiveUsers: active, Teams: len(teams), Communes: len(terr.Communes), Zones: terr.ZoneCount()}
	}
	return h.render(w, http.StatusOK, "home", p)
}

// greeting says "Bonjour" by day and "Bonsoir" from 18:00, Paris time.
func greeting(t time.Time) string {
	if h := maillon.InParis(t).Hour(); h >= 18 || h < 4 {
		return "Bonsoir"
	}
	return "Bonjour"
}
