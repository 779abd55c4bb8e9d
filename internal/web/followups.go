package web

import (
	"net/http"
	"time"

	"maillon"
)

// maxFollowUps bounds the follow-ups listed at once.
const maxFollowUps = 500

// followUpGroup is a section of "Mes relances".
type followUpGroup struct {
	ID, Title string
	Items     []maillon.FollowUp
}

type followUpsPage struct {
	Page
	Groups    []followUpGroup
	Total     int
	Truncated bool
	All       bool // the whole structure rather than the actor's own
	CanSeeAll bool
	Back      string // where the "done" buttons come back to
}

// followUpBounds returns the Paris midnights that split follow-ups: today,
// tomorrow and next Monday (the end of this week).
func followUpBounds(now time.Time) (today, tomorrow, nextWeek time.Time) {
	p := maillon.InParis(now)
	day := func(n int) time.Time { return time.Date(p.Year(), p.Month(), p.Day()+n, 0, 0, 0, 0, maillon.Paris) }
	untilMonday := (8 - int(p.Weekday())) % 7
	if untilMonday == 0 {
		untilMonday = 7
	}
	return day(0), day(1), day(untilMonday)
}

// groupFollowUps sorts follow-ups into late, today, this week and later,
// leaving out empty groups.
func groupFollowUps(list []maillon.FollowUp, now time.Time) []followUpGroup {
	today, tomorrow, nextWeek := followUpBounds(now)
	groups := []followUpGroup{
		{ID: "late", Title: "En retard"}, {ID: "today", Title: "Aujourd'hui"},
		{ID: "week", Title: "Cette semaine"}, {ID: "later", Title: "Plus tard"},
	}
	for _, fu := range list {
		i := 3
		switch {
		case fu.On.Before(today):
			i = 0
		case fu.On.Before(tomorrow):
			i = 1
		case fu.On.Before(nextWeek):
			i = 2
		}
		groups[i].Items = append(groups[i].Items, fu)
	}
	out := groups[:0]
	for _, g := range groups {
		if len(g.Items) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// handleFollowUpIndex is "Mes relances": the follow-ups not done of the
// actor's interventions, or of the whole structure for coordinators and
// administrators who ask for it (?all=1).
func (h *Handler) handleFollowUpIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	p := followUpsPage{CanSeeAll: a.CanViewTeamData(a.StructureID), Back: "/followups"}
	p.All = p.CanSeeAll && checked(r.URL.Query().Get("all"))
	f := maillon.FollowUpFilter{MediatorID: a.UserID, Limit: maxFollowUps}
	title := "Mes relances"
	if p.All {
		f.MediatorID = 0
		title = "Relances de la structure"
		p.Back = "/followups?all=1"
	}
	list, err := h.svc.Interventions.FindFollowUps(r.Context(), a, f)
	if err != nil {
		return err
	}
	p.Page = h.page(w, r, title, "followups")
	p.Total, p.Truncated = len(list), len(list) >= maxFollowUps
	p.Groups = groupFollowUps(list, h.now())
	return h.render(w, http.StatusOK, "followups", p)
}
