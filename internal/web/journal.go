package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"maillon"
	"maillon/internal/ui"
)

// The main courante: the day of a mediator or a team, built from the
// records, with the coordination's comment. The scope travels as
// mediator=ID or team=ID in links, and as scope=m<ID> or t<ID> from the
// form's one select, so that no script is needed to choose between a
// person and a team.

const journalScopeError = "Choisissez une personne ou une équipe dans la liste."

type journalPage struct {
	Page
	Filter *ui.Form
	// Scope is the select of mediators and teams, grouped.
	Scope groupedSelect
	// Day is nil when the day or the scope asked for was refused.
	Day             *maillon.JournalDay
	Prev, Next      string // the neighbouring days; no next beyond today
	Today           string // link back to today, "" on today
	ScopeField      string // "mediator" or "team", the comment form's hidden field
	ScopeID         int64
	DayValue        string // yyyy-mm-dd
	CanComment      bool
	CommentForm     *ui.Form
	IsTeam, IsToday bool
}

// Place describes where an entry happened, without its type.
func (journalPage) Place(e maillon.JournalEntry) string {
	return placeText(&maillon.Intervention{CommuneName: e.CommuneName, ZoneName: e.ZoneName, PlaceLabel: e.PlaceLabel})
}

// journalQuery is the query string of a scope's day.
func journalQuery(scope maillon.JournalScope, day time.Time) string {
	v := url.Values{"day": {maillon.JournalDate(day).Format("2006-01-02")}}
	if scope.MediatorID != 0 {
		v.Set("mediator", strconv.FormatInt(int64(scope.MediatorID), 10))
	} else {
		v.Set("team", strconv.FormatInt(int64(scope.TeamID), 10))
	}
	return "/journal?" + v.Encode()
}

// scopeValue is the select's value of a scope.
func scopeValue(s maillon.JournalScope) string {
	switch {
	case s.MediatorID > 0 && s.TeamID == 0:
		return "m" + strconv.FormatInt(int64(s.MediatorID), 10)
	case s.TeamID > 0 && s.MediatorID == 0:
		return "t" + strconv.FormatInt(int64(s.TeamID), 10)
	}
	return ""
}

// readJournalScope reads scope=m<ID>|t<ID>, or mediator=ID or team=ID.
// given is false when none is set; ok is false when what is set is
// malformed or names both.
func readJournalScope(v url.Values) (scope maillon.JournalScope, raw string, given, ok bool) {
	if s := strings.TrimSpace(v.Get("scope")); s != "" {
		id := formID[maillon.UserID](s[1:])
		switch {
		case id <= 0:
			return scope, s, true, false
		case s[0] == 'm':
			return maillon.JournalScope{MediatorID: id}, s, true, true
		case s[0] == 't':
			return maillon.JournalScope{TeamID: maillon.TeamID(id)}, s, true, true
		}
		return scope, s, true, false
	}
	m, t := strings.TrimSpace(v.Get("mediator")), strings.TrimSpace(v.Get("team"))
	switch {
	case m != "" && t != "":
		return scope, "", true, false
	case m != "":
		id := formID[maillon.UserID](m)
		return maillon.JournalScope{MediatorID: id}, "", true, id > 0
	case t != "":
		id := formID[maillon.TeamID](t)
		return maillon.JournalScope{TeamID: id}, "", true, id > 0
	}
	return scope, "", false, false
}

// defaultJournalScope is the main courante a page opens on: the
// mediator's own day; for the coordination, their team's, or the first
// team's, or their own day when the structure has no team.
func (h *Handler) defaultJournalScope(r *http.Request) (maillon.JournalScope, error) {
	a := actor(r)
	if !a.CanViewTeamData(a.StructureID) {
		return maillon.JournalScope{MediatorID: a.UserID}, nil
	}
	if a.TeamID != 0 {
		return maillon.JournalScope{TeamID: a.TeamID}, nil
	}
	teams, err := h.svc.Teams.FindTeams(r.Context(), a)
	if err != nil || len(teams) == 0 {
		return maillon.JournalScope{MediatorID: a.UserID}, err
	}
	return maillon.JournalScope{TeamID: teams[0].ID}, nil
}

// readJournalParams reads the day and the scope of a request into form,
// with a message on the field when one is refused. Without a scope, the
// default one is used when fallback is set.
func (h *Handler) readJournalParams(r *http.Request, v url.Values, form *ui.Form, fallback bool) (time.Time, maillon.JournalScope, error) {
	form.Set("day", v.Get("day"))
	day, err := maillon.ParseJournalDay(v.Get("day"), h.now())
	if err != nil {
		form.Errors["day"] = errorsOrMessage(err, "day")["day"]
	} else {
		form.Set("day", day.Format("2006-01-02"))
	}
	scope, raw, given, ok := readJournalScope(v)
	switch {
	case given && !ok:
		form.Set("scope", raw)
		form.Errors["scope"] = journalScopeError
	case !given && !fallback:
		form.Errors["scope"] = journalScopeError
	case !given:
		if scope, err = h.defaultJournalScope(r); err != nil {
			return day, scope, err
		}
		fallthrough
	default:
		form.Set("scope", scopeValue(scope))
	}
	return day, scope, nil
}

// journalScopes lists the scopes the actor may choose: their own day and
// their team's for a mediator; every team and every active account for
// the coordination.
func (h *Handler) journalScopes(r *http.Request, current maillon.JournalScope, currentName string) ([]optGroup, error) {
	a := actor(r)
	if !a.CanViewTeamData(a.StructureID) {
		u := state(r).sess.User
		own := []ui.Option{{Value: scopeValue(maillon.JournalScope{MediatorID: a.UserID}), Label: "Ma journée (" + u.DisplayName + ")"}}
		if a.TeamID != 0 {
			own = append(own, ui.Option{Value: scopeValue(maillon.JournalScope{TeamID: a.TeamID}), Label: "Mon équipe (" + u.TeamName + ")"})
		}
		return []optGroup{{Label: "Ma main courante", Options: own}}, nil
	}
	teams, err := h.svc.Teams.FindTeams(r.Context(), a)
	if err != nil {
		return nil, err
	}
	var groups []optGroup
	if len(teams) > 0 {
		g := optGroup{Label: "Équipes"}
		for _, t := range teams {
			g.Options = append(g.Options, ui.Option{Value: scopeValue(maillon.JournalScope{TeamID: t.ID}), Label: t.Name})
		}
		groups = append(groups, g)
	}
	members, err := h.memberOptions(r, "")
	if err != nil {
		return nil, err
	}
	g := optGroup{Label: "Médiateurs et médiatrices"}
	found := current.MediatorID == 0
	for _, o := range members {
		o.Value = "m" + o.Value
		found = found || o.Value == scopeValue(current)
		g.Options = append(g.Options, o)
	}
	if !found && currentName != "" {
		// A deactivated account keeps its past days.
		g.Options = append(g.Options, ui.Option{Value: scopeValue(current), Label: currentName + " (compte désactivé)"})
	}
	return append(groups, g), nil
}

// journalView renders the page. With jd nil, only the form is shown, with
// its errors.
func (h *Handler) journalView(w http.ResponseWriter, r *http.Request, status int, jd *maillon.JournalDay, filter, comment *ui.Form) error {
	a := actor(r)
	title := "Main courante"
	p := journalPage{Filter: filter, Day: jd, CommentForm: comment}
	var current maillon.JournalScope
	currentName := ""
	if jd != nil {
		current, currentName = jd.Scope, jd.Name
		title += " – " + jd.Name + " – " + ui.Date(jd.Day)
		today := maillon.JournalDate(h.now())
		p.DayValue = jd.Day.Format("2006-01-02")
		p.IsTeam, p.IsToday = jd.Scope.TeamID != 0, jd.Day.Equal(today)
		if prev := jd.Day.AddDate(0, 0, -1); prev.Year() >= 2000 {
			p.Prev = journalQuery(jd.Scope, prev)
		}
		if jd.Day.Before(today) {
			p.Next = journalQuery(jd.Scope, jd.Day.AddDate(0, 0, 1))
			p.Today = journalQuery(jd.Scope, today)
		}
		p.ScopeField, p.ScopeID = "team", int64(jd.Scope.TeamID)
		if jd.Scope.MediatorID != 0 {
			p.ScopeField, p.ScopeID = "mediator", int64(jd.Scope.MediatorID)
		}
		p.CanComment = a.CanCommentJournal(jd.StructureID) && !jd.Day.After(today)
		if p.CommentForm == nil {
			p.CommentForm = ui.NewForm("comment")
			p.CommentForm.Set("comment", jd.Comment.Text)
		}
	}
	p.Page = h.page(w, r, title, "journal")
	p.Form = filter
	if comment.HasErrors() {
		p.Form = comment
	}
	groups, err := h.journalScopes(r, current, currentName)
	if err != nil {
		return err
	}
	p.Scope = groupedSelect{Field: ui.Field{Name: "scope", ID: ui.FieldID("scope"), Label: "Main courante de",
		Value: filter.Get("scope"), Error: filter.Errors["scope"]}, Groups: groups}
	return h.render(w, status, "journal", p)
}

// handleJournal shows the main courante of a day (default today) and a
// scope (default: see defaultJournalScope).
func (h *Handler) handleJournal(w http.ResponseWriter, r *http.Request) error {
	filter := ui.NewForm("day", "scope")
	day, scope, err := h.readJournalParams(r, r.URL.Query(), filter, true)
	if err != nil {
		return err
	}
	if filter.HasErrors() {
		return h.journalView(w, r, http.StatusUnprocessableEntity, nil, filter, nil)
	}
	jd, err := h.svc.Journal.FindJournalDay(r.Context(), actor(r), scope, day)
	if errors.Is(err, maillon.ErrInvalid) {
		filter.Errors = errorsOrMessage(err, "day")
		return h.journalView(w, r, http.StatusUnprocessableEntity, nil, filter, nil)
	}
	if err != nil {
		return err
	}
	return h.journalView(w, r, http.StatusOK, jd, filter, nil)
}

// handleJournalComment writes or replaces the coordination's comment of a
// day, or clears it (clear=1), then goes back to that day.
func (h *Handler) handleJournalComment(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	filter := ui.NewForm("day", "scope")
	day, scope, err := h.readJournalParams(r, r.PostForm, filter, false)
	if err != nil {
		return err
	}
	if filter.HasErrors() {
		return h.journalView(w, r, http.StatusUnprocessableEntity, nil, filter, nil)
	}
	// Clearing is its own button: an emptied field is more likely a
	// slip than a wish to erase what the coordination wrote.
	text, clear := r.PostForm.Get("comment"), checked(r.PostForm.Get("clear"))
	if clear {
		text = ""
	} else if clean, cerr := maillon.CleanJournalComment(text); cerr == nil && clean == "" {
		err = &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le commentaire est vide.", Fields: map[string]string{
			"comment": "Écrivez le commentaire, ou effacez-le avec le bouton « Effacer le commentaire »."}}
	}
	if err == nil {
		err = h.svc.Journal.SetJournalComment(r.Context(), a, scope, day, text)
	}
	if err == nil {
		if clear {
			h.setFlash(w, "Le commentaire du jour est effacé.")
		} else {
			h.setFlash(w, "Le commentaire du jour est enregistré.")
		}
		http.Redirect(w, r, journalQuery(scope, day), http.StatusSeeOther)
		return nil
	}
	if !errors.Is(err, maillon.ErrInvalid) {
		return err
	}
	fields := maillon.FieldsOf(err)
	msg, ok := fields["comment"]
	if !ok {
		filter.Errors = errorsOrMessage(err, "day")
		return h.journalView(w, r, http.StatusUnprocessableEntity, nil, filter, nil)
	}
	jd, err := h.svc.Journal.FindJournalDay(r.Context(), a, scope, day)
	if err != nil {
		return err
	}
	comment := ui.NewForm("comment")
	comment.Set("comment", text)
	comment.Errors["comment"] = msg
	return h.journalView(w, r, http.StatusUnprocessableEntity, jd, filter, comment)
}
