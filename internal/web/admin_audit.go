package web

import (
	"net/http"
	"strconv"
	"time"

	"maillon"
	"maillon/internal/ui"
)

const auditPerPage = 50

type auditPage struct {
	Page
	Entries    []maillon.AuditEntry
	Users      []ui.Option
	Actions    []ui.Option
	Pagination pagination
}

// parseDay reads a yyyy-mm-dd date (the value of <input type="date">) as
// midnight in Paris.
func parseDay(s string) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, maillon.Paris)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

func (h *Handler) handleAuditIndex(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	q := r.URL.Query()
	form := ui.NewForm("user", "action", "from", "to")
	for _, k := range form.Order {
		form.Set(k, q.Get(k))
	}
	f := maillon.AuditFilter{Limit: auditPerPage, Offset: pageOffset(r, auditPerPage)}
	if id, err := strconv.ParseInt(q.Get("user"), 10, 64); err == nil && id > 0 {
		f.ActorID = maillon.UserID(id)
	}
	if act := maillon.AuditAction(q.Get("action")); act.Valid() {
		f.Action = act
	}
	if v := q.Get("from"); v != "" {
		if t, ok := parseDay(v); ok {
			f.From = t
		} else {
			form.Errors["from"] = "Indiquez une date au format jj/mm/aaaa."
		}
	}
	if v := q.Get("to"); v != "" {
		if t, ok := parseDay(v); ok {
			f.To = t.AddDate(0, 0, 1) // the "to" day is included
		} else {
			form.Errors["to"] = "Indiquez une date au format jj/mm/aaaa."
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		form.Errors["to"] = "La date de fin doit suivre la date de début."
	}
	var entries []maillon.AuditEntry
	var total int
	status := http.StatusOK
	if form.HasErrors() {
		status = http.StatusUnprocessableEntity
	} else {
		var err error
		entries, total, err = h.svc.Audit.FindAuditEntries(r.Context(), a, f)
		if err != nil {
			return err
		}
	}
	users, _, err := h.svc.Users.FindUsers(r.Context(), a, maillon.UserFilter{Limit: 500})
	if err != nil {
		return err
	}
	p := auditPage{Page: h.page(w, r, "Journal d'audit", "admin", adminCrumbs("Journal d'audit")...), Entries: entries,
		Pagination: paginate(q, "/admin/audit", f.Offset, auditPerPage, len(entries), total)}
	p.Users = []ui.Option{{Value: "", Label: "Tous les comptes"}}
	for _, u := range users {
		p.Users = append(p.Users, ui.Option{Value: strconv.FormatInt(int64(u.ID), 10), Label: u.DisplayName})
	}
	p.Actions = []ui.Option{{Value: "", Label: "Toutes les actions"}}
	for _, act := range maillon.AuditActions() {
		p.Actions = append(p.Actions, ui.Option{Value: string(act), Label: act.Label()})
	}
	p.Form = form
	return h.render(w, status, "admin/audit", p)
}
