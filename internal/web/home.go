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
	Week      maillon.ActivitySummary
	Overdue   int
	DueToday  int
	Admin     *adminSummary
	// Overdue lone-worker check-ins, for coordinators and administrators.
	CanSeeAlerts bool
	LateCheckIns []maillon.CheckIn
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
	a := actor(r)
	today, monday := dayStart(h.now()), weekStart(h.now())
	week, err := h.svc.Interventions.SummarizeInterventions(r.Context(), a, maillon.InterventionFilter{MediatorID: a.UserID, From: monday})
	if err != nil {
		return err
	}
	p.Week = week
	due, err := h.svc.Interventions.CountFollowUps(r.Context(), a, a.UserID, today)
	if err != nil {
		return err
	}
	p.Overdue, p.DueToday = due.Overdue, due.Today
	if a.CanViewTeamData(a.StructureID) {
		p.CanSeeAlerts = true
		if p.LateCheckIns, err = h.svc.Safety.FindOverdueCheckIns(r.Context(), a); err != nil {
			return err
		}
	}
	if u.Role == maillon.RoleAdmin {
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

// dayStart is midnight, Paris time, of t's day.
func dayStart(t time.Time) time.Time {
	p := maillon.InParis(t)
	return time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, maillon.Paris)
}

// weekStart is Monday midnight, Paris time, of t's week.
func weekStart(t time.Time) time.Time {
	d := dayStart(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}
