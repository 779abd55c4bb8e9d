package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"maillon"
)

// noDossierConsent is the refusal of the consent gate of a rendez-vous.
const noDossierConsent = "La personne n'a pas (ou plus) donné son accord pour la tenue d'un dossier nominatif, ou son dossier est archivé : " +
	"enregistrez son accord sur son dossier, ou prévoyez le rendez-vous sans la nommer."

// CreateAgendaEvent implements maillon.AgendaService.
func (s *Store) CreateAgendaEvent(ctx context.Context, actor maillon.Actor, in maillon.AgendaInput) (e *maillon.AgendaEvent, err error) {
	defer wrap(&err, "CreateAgendaEvent")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		times, err := t.checkAgendaInput(ctx, actor, &in)
		if err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into agenda_events (structure_id, kind, start_at, end_at, repeat_until, team_id, person_id,
			commune_id, zone_id, place_label, theme, purpose, documents, created_by, created_at, updated_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, in.Kind, times.Start, times.End, times.RepeatUntil, optID(in.TeamID), optID(in.PersonID),
			optID(in.CommuneID), optID(in.ZoneID), in.PlaceLabel, in.Theme, in.Purpose, in.Documents, optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		for _, uid := range in.Mediators {
			if _, err := t.exec(ctx, "insert into agenda_members (event_id, user_id, start_at) values (?, ?, ?)", id, uid, times.Start); err != nil {
				return err
			}
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaCreate, recordType: "agenda_event", recordID: id}); err != nil {
			return err
		}
		if in.PersonID > 0 {
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaCreate, recordType: "person", recordID: int64(in.PersonID)}); err != nil {
				return err
			}
		}
		e, err = t.agendaEventByID(ctx, actor, maillon.AgendaEventID(id))
		return err
	})
	return e, err
}

// checkAgendaInput validates an event's input against the structure:
// active mediators, its teams and places, and the consent gate of a
// named person. It fills the default team.
func (t *tx) checkAgendaInput(ctx context.Context, actor maillon.Actor, in *maillon.AgendaInput) (maillon.AgendaTimes, error) {
	times, verr := in.Validate(t.now)
	fe := maillon.FieldsOf(verr)
	add := func(field, msg string) {
		if fe == nil {
			fe = map[string]string{}
		}
		if _, ok := fe[field]; !ok {
			fe[field] = msg
		}
	}
	for _, uid := range in.Mediators {
		ok, err := t.checkMember(ctx, actor.StructureID, uid)
		if err != nil {
			return times, err
		}
		if !ok {
			add("mediators", "Choisissez des membres actifs de la structure.")
			break
		}
	}
	if in.TeamID != 0 {
		var n int
		if err := t.one(ctx, "select count(*) from teams where id = ? and structure_id = ?", []any{in.TeamID, actor.StructureID}, &n); err != nil {
			return times, err
		}
		if n == 0 {
			add("team_id", "Choisissez une équipe de la structure.")
		}
	} else if len(in.Mediators) > 0 {
		err := t.one(ctx, "select team_id from users where id = ? and structure_id = ?", []any{in.Mediators[0], actor.StructureID},
			scanID(&in.TeamID))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return times, err
		}
	}
	if in.CommuneID != 0 {
		var n int
		q, args := "select count(*) from communes where id = ? and structure_id = ?", []any{in.CommuneID, actor.StructureID}
		if in.ZoneID != 0 {
			q, args = "select count(*) from zones where id = ? and commune_id = ? and structure_id = ?", []any{in.ZoneID, in.CommuneID, actor.StructureID}
		}
		if err := t.one(ctx, q, args, &n); err != nil {
			return times, err
		}
		if n == 0 {
			add("place", "Choisissez un lieu du territoire de la structure.")
		}
	}
	if in.PersonID > 0 {
		p, err := t.personInScope(ctx, actor, in.PersonID)
		switch {
		case errors.Is(err, maillon.ErrNotFound):
			add("person_id", "La personne choisie n'existe pas dans la structure.")
		case err != nil:
			return times, err
		default:
			ok, err := t.hasActiveConsent(ctx, in.PersonID, maillon.ConsentDossier)
			if err != nil {
				return times, err
			}
			if !ok || p.Archived {
				add("person_id", noDossierConsent)
			}
		}
	}
	if len(fe) > 0 {
		return times, &maillon.Error{Kind: maillon.ErrInvalid, Message: "Le formulaire contient des erreurs.", Fields: fe}
	}
	return times, nil
}

const selectAgendaEvents = `select e.id, e.structure_id, e.kind, e.start_at, e.end_at, e.repeat_until, e.team_id, coalesce(tm.name, ''),
	e.person_id, coalesce(p.first_name, ''), coalesce(p.last_name, ''), coalesce(p.pseudonym, ''),
	e.commune_id, e.zone_id, coalesce(c.name, ''), coalesce(z.name, ''), e.place_label, e.theme, e.purpose, e.documents,
	e.attendance, e.created_by, e.created_at, e.updated_at, e.revision
from agenda_events e
left join teams tm on tm.id = e.team_id
left join persons p on p.id = e.person_id
left join communes c on c.id = e.commune_id
left join zones z on z.id = e.zone_id`

func scanAgendaEvent(scan func(...any) error) (maillon.AgendaEvent, error) {
	var e maillon.AgendaEvent
	var p maillon.Person
	err := scan(&e.ID, &e.StructureID, &e.Kind, timeCol{&e.StartAt}, timeCol{&e.EndAt}, timeCol{&e.RepeatUntil},
		scanID(&e.TeamID), &e.TeamName, scanID(&p.ID), &p.FirstName, &p.LastName, &p.Pseudonym,
		scanID(&e.CommuneID), scanID(&e.ZoneID), &e.CommuneName, &e.ZoneName, &e.PlaceLabel, &e.Theme, &e.Purpose, &e.Documents,
		&e.Attendance, scanID(&e.CreatedBy), timeCol{&e.CreatedAt}, timeCol{&e.UpdatedAt}, &e.Revision)
	if p.ID != 0 {
		e.PersonID = p.ID
		e.PersonName = p.DisplayName()
		e.Initials = maillon.Initials(p.FirstName, p.LastName)
		if e.Initials == "" {
			e.Initials = maillon.Initials(p.Pseudonym, "")
		}
	}
	return e, err
}

// agendaEventByID loads an event of the actor's structure with its
// mediators and exceptions, or ErrNotFound.
func (t *tx) agendaEventByID(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID) (*maillon.AgendaEvent, error) {
	q := selectAgendaEvents + " where e.id = ?"
	e, err := scanAgendaEvent(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(e.StructureID)) {
		return nil, maillon.NotFound("Événement")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	list := []maillon.AgendaEvent{e}
	if err := t.loadAgendaLinks(ctx, list, true); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// loadAgendaLinks fills the mediators of a batch of events (unless
// !members), and the exceptions of the recurring ones: two queries
// whatever the batch size.
func (t *tx) loadAgendaLinks(ctx context.Context, list []maillon.AgendaEvent, members bool) error {
	if len(list) == 0 {
		return nil
	}
	idx := make(map[maillon.AgendaEventID]int, len(list))
	ids := make([]any, 0, len(list))
	var recurring []any
	for i := range list {
		idx[list[i].ID] = i
		ids = append(ids, int64(list[i].ID))
		if list[i].Recurring() {
			recurring = append(recurring, int64(list[i].ID))
		}
	}
	for start := 0; members && start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		err := t.many(ctx, `select m.event_id, m.user_id, coalesce(u.display_name, '') from agenda_members m
			left join users u on u.id = m.user_id where m.event_id in (`+placeholders(len(chunk))+`)
			order by m.event_id, u.display_name, m.user_id`, chunk, func(r *sql.Rows) error {
			var eid maillon.AgendaEventID
			var uid maillon.UserID
			var name string
			if err := r.Scan(&eid, &uid, &name); err != nil {
				return err
			}
			e := &list[idx[eid]]
			e.Mediators = append(e.Mediators, uid)
			e.MediatorNames = append(e.MediatorNames, name)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if len(recurring) == 0 {
		return nil
	}
	return t.many(ctx, `select event_id, day from agenda_exceptions where event_id in (`+placeholders(len(recurring))+`)
		order by event_id, day`, recurring, func(r *sql.Rows) error {
		var eid maillon.AgendaEventID
		var day time.Time
		if err := r.Scan(&eid, timeCol{&day}); err != nil {
			return err
		}
		e := &list[idx[eid]]
		e.Exceptions = append(e.Exceptions, day)
		return nil
	})
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// FindAgendaEvent implements maillon.AgendaService.
func (s *Store) FindAgendaEvent(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID) (e *maillon.AgendaEvent, err error) {
	defer wrap(&err, "FindAgendaEvent")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		e, err = t.agendaEventByID(ctx, actor, id)
		if err != nil || e.PersonID == 0 {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaRead, recordType: "agenda_event", recordID: int64(id)})
	})
	return e, err
}

// FindAgendaCard implements maillon.AgendaService.
func (s *Store) FindAgendaCard(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID) (c *maillon.AgendaCard, err error) {
	defer wrap(&err, "FindAgendaCard")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		e, err := t.agendaEventByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if e.Kind != maillon.AgendaRendezVous {
			return maillon.NotFound("Rendez-vous")
		}
		st, err := t.structureByID(ctx, e.StructureID)
		if err != nil {
			return err
		}
		c = &maillon.AgendaCard{Event: *e, StructureName: st.Name, StructureAddress: st.Address, StructurePhone: st.Phone}
		if len(e.MediatorNames) > 0 {
			c.MediatorFirst, _, _ = strings.Cut(strings.TrimSpace(e.MediatorNames[0]), " ")
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaPrint, recordType: "agenda_event", recordID: int64(id)})
	})
	return c, err
}

// checkAgendaScope applies the view rights: a mediator reads their own
// agenda and their team's; the coordination any of the structure.
func (t *tx) checkAgendaScope(ctx context.Context, actor maillon.Actor, q maillon.AgendaQuery) error {
	switch {
	case q.TeamID != 0:
		var n int
		if err := t.one(ctx, "select count(*) from teams where id = ? and structure_id = ?", []any{q.TeamID, actor.StructureID}, &n); err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Équipe")
		}
		if actor.TeamID != q.TeamID && !actor.CanViewTeamData(actor.StructureID) {
			return maillon.Errorf(maillon.ErrForbidden, "Vous voyez l'agenda de votre équipe ; celui des autres équipes est réservé à la coordination.")
		}
	case q.UserID != actor.UserID:
		var n int
		if err := t.one(ctx, "select count(*) from users where id = ? and structure_id = ?", []any{q.UserID, actor.StructureID}, &n); err != nil {
			return err
		}
		if n == 0 {
			return maillon.NotFound("Compte")
		}
		if !actor.CanViewTeamData(actor.StructureID) {
			return maillon.Errorf(maillon.ErrForbidden, "L'agenda d'un ou une collègue est visible dans la vue de l'équipe, ou par la coordination.")
		}
	}
	return nil
}

// agendaEvents reads the events of a user or a team overlapping
// [from, to): the single events by an index range on their start (an
// event lasts at most 12 hours), then the weekly permanences.
func (t *tx) agendaEvents(ctx context.Context, sid maillon.StructureID, user maillon.UserID, team maillon.TeamID, from, to time.Time, members bool) ([]maillon.AgendaEvent, error) {
	var out []maillon.AgendaEvent
	scan := func(r *sql.Rows) error {
		e, err := scanAgendaEvent(r.Scan)
		out = append(out, e)
		return err
	}
	earliest := from.Add(-maillon.MaxAgendaMinutes * time.Minute)
	var err error
	if team != 0 {
		err = t.many(ctx, selectAgendaEvents+` where e.team_id = ? and e.start_at >= ? and e.start_at < ? and e.repeat_until is null
			and e.structure_id = ? order by e.start_at, e.id`, []any{team, earliest, to, sid}, scan)
		if err == nil {
			err = t.many(ctx, selectAgendaEvents+` where e.structure_id = ? and e.repeat_until is not null and e.team_id = ?
				and e.start_at < ? and e.repeat_until >= ? order by e.start_at, e.id`, []any{sid, team, to, maillon.DayOf(from)}, scan)
		}
	} else {
		err = t.many(ctx, selectAgendaEvents+` join agenda_members m on m.event_id = e.id
			where m.user_id = ? and m.start_at >= ? and m.start_at < ? and e.repeat_until is null and e.structure_id = ?
			order by e.start_at, e.id`, []any{user, earliest, to, sid}, scan)
		if err == nil {
			err = t.many(ctx, selectAgendaEvents+` join agenda_members m on m.event_id = e.id
				where e.structure_id = ? and e.repeat_until is not null and m.user_id = ? and e.start_at < ? and e.repeat_until >= ?
				order by e.start_at, e.id`, []any{sid, user, to, maillon.DayOf(from)}, scan)
		}
	}
	if err != nil {
		return nil, err
	}
	return out, t.loadAgendaLinks(ctx, out, members)
}

// FindAgenda implements maillon.AgendaService. A view lists names like
// the interventions list: it is not audited; opening an event is.
func (s *Store) FindAgenda(ctx context.Context, actor maillon.Actor, q maillon.AgendaQuery) (a *maillon.Agenda, err error) {
	defer wrap(&err, "FindAgenda")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	if q.TeamID == 0 && q.UserID == 0 {
		q.UserID = actor.UserID
	}
	if !q.To.After(q.From) || q.To.Sub(q.From) > maillon.MaxAgendaRangeDays*24*time.Hour+time.Hour {
		return nil, maillon.Errorf(maillon.ErrInvalid, "Une vue de l'agenda couvre d'un jour à un mois.")
	}
	err = s.read(ctx, func(t *tx) error {
		if err := t.checkAgendaScope(ctx, actor, q); err != nil {
			return err
		}
		var cal maillon.HolidayCalendar
		if err := t.one(ctx, "select holidays from structures where id = ?", []any{actor.StructureID}, &cal); err != nil {
			return err
		}
		if q.TeamID != 0 {
			q.UserID = 0
		}
		events, err := t.agendaEvents(ctx, actor.StructureID, q.UserID, q.TeamID, q.From, q.To, true)
		if err != nil {
			return err
		}
		a = &maillon.Agenda{Query: q, Holidays: cal, Occurrences: maillon.ExpandAgenda(events, cal, q.From, q.To)}
		return nil
	})
	return a, err
}

// editableAgendaEvent loads an event the actor may change.
func (t *tx) editableAgendaEvent(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID) (*maillon.AgendaEvent, error) {
	e, err := t.agendaEventByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !e.CanEdit(actor) {
		return nil, maillon.Errorf(maillon.ErrForbidden,
			"Seuls les médiateurs et médiatrices de l'événement, son auteur, la coordination et l'administration peuvent le modifier.")
	}
	return e, nil
}

// SetAttendance implements maillon.AgendaService.
func (s *Store) SetAttendance(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID, status string) (err error) {
	defer wrap(&err, "SetAttendance")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := t.editableAgendaEvent(ctx, actor, id)
		if err != nil {
			return err
		}
		if err := maillon.CheckAttendance(e, status, t.now); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update agenda_events set attendance = ?, attendance_at = ?, updated_at = ? where id = ?",
			status, t.now, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaAttendance, recordType: "agenda_event", recordID: int64(id),
			fields: []string{"attendance_" + status}})
	})
}

// UpdateAgendaEvent implements maillon.AgendaService.
func (s *Store) UpdateAgendaEvent(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID, in maillon.AgendaInput) (e *maillon.AgendaEvent, cleared bool, err error) {
	defer wrap(&err, "UpdateAgendaEvent")
	if err := actor.Check(); err != nil {
		return nil, false, err
	}
	err = s.write(ctx, func(t *tx) error {
		old, err := t.editableAgendaEvent(ctx, actor, id)
		if err != nil {
			return err
		}
		times, err := t.checkAgendaInput(ctx, actor, &in)
		if err != nil {
			return err
		}
		recurring := !times.RepeatUntil.IsZero()
		attendance := old.Attendance
		if !maillon.AttendanceStaysValid(attendance, times.Start, recurring, t.now) {
			attendance, cleared = "", true
		}
		var changed []string
		note := func(field string, differ bool) {
			if differ {
				changed = append(changed, field)
			}
		}
		note("kind", old.Kind != in.Kind)
		note("start_at", !old.StartAt.Equal(times.Start))
		note("end_at", !old.EndAt.Equal(times.End))
		note("repeat_until", !old.RepeatUntil.Equal(times.RepeatUntil))
		note("mediators", !sameUsers(old.Mediators, in.Mediators))
		note("team_id", old.TeamID != in.TeamID)
		note("person_id", old.PersonID != in.PersonID)
		note("place", old.CommuneID != in.CommuneID || old.ZoneID != in.ZoneID)
		note("place_label", old.PlaceLabel != in.PlaceLabel)
		note("theme", old.Theme != in.Theme)
		note("purpose", old.Purpose != in.Purpose)
		note("documents", old.Documents != in.Documents)
		note("attendance_cleared", cleared)
		if _, err := t.exec(ctx, `update agenda_events set kind = ?, start_at = ?, end_at = ?, repeat_until = ?, team_id = ?, person_id = ?,
			commune_id = ?, zone_id = ?, place_label = ?, theme = ?, purpose = ?, documents = ?, attendance = ?,
			attendance_at = case when ? = '' then null else attendance_at end, updated_at = ?, revision = revision + 1 where id = ?`,
			in.Kind, times.Start, times.End, times.RepeatUntil, optID(in.TeamID), optID(in.PersonID), optID(in.CommuneID), optID(in.ZoneID),
			in.PlaceLabel, in.Theme, in.Purpose, in.Documents, attendance, attendance, t.now, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "delete from agenda_members where event_id = ?", id); err != nil {
			return err
		}
		for _, uid := range in.Mediators {
			if _, err := t.exec(ctx, "insert into agenda_members (event_id, user_id, start_at) values (?, ?, ?)", id, uid, times.Start); err != nil {
				return err
			}
		}
		// The cancelled sessions that no longer fall on the rule's days go.
		next := maillon.AgendaEvent{StartAt: times.Start, EndAt: times.End, RepeatUntil: times.RepeatUntil}
		for _, d := range old.Exceptions {
			if recurring && len(next.Occurrences("", d, d.AddDate(0, 0, 1))) == 1 {
				continue
			}
			if _, err := t.exec(ctx, "delete from agenda_exceptions where event_id = ? and day = ?", id, d); err != nil {
				return err
			}
			changed = append(changed, "exceptions")
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaUpdate, recordType: "agenda_event", recordID: int64(id),
			fields: distinct(changed)}); err != nil {
			return err
		}
		if in.PersonID > 0 {
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaUpdate, recordType: "person", recordID: int64(in.PersonID)}); err != nil {
				return err
			}
		}
		e, err = t.agendaEventByID(ctx, actor, id)
		return err
	})
	return e, cleared, err
}

// sameUsers compares two sets of users.
func sameUsers(a, b []maillon.UserID) bool {
	if len(a) != len(b) {
		return false
	}
	in := make(map[maillon.UserID]bool, len(a))
	for _, u := range a {
		in[u] = true
	}
	for _, u := range b {
		if !in[u] {
			return false
		}
	}
	return true
}

// DeleteAgendaEvent implements maillon.AgendaService.
func (s *Store) DeleteAgendaEvent(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID) (err error) {
	defer wrap(&err, "DeleteAgendaEvent")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := t.editableAgendaEvent(ctx, actor, id)
		if err != nil {
			return err
		}
		if e.Attendance != "" {
			return maillon.Errorf(maillon.ErrInvalid, "La présence (« %s ») est déjà indiquée : l'événement ne peut plus être supprimé. "+
				"S'il n'a pas eu lieu, indiquez plutôt qu'il est « annulé ».", e.AttendanceLabel())
		}
		if _, err := t.exec(ctx, "delete from agenda_events where id = ?", id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaDelete, recordType: "agenda_event", recordID: int64(id)})
	})
}

// CancelOccurrence implements maillon.AgendaService.
func (s *Store) CancelOccurrence(ctx context.Context, actor maillon.Actor, id maillon.AgendaEventID, day string) (err error) {
	defer wrap(&err, "CancelOccurrence")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		e, err := t.editableAgendaEvent(ctx, actor, id)
		if err != nil {
			return err
		}
		invalid := func(msg string) error {
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"day": msg}}
		}
		if !e.Recurring() {
			return invalid("Cet événement ne se répète pas : indiquez plutôt qu'il est annulé.")
		}
		d, perr := maillon.ParseDay(day, t.now)
		if perr != nil || strings.TrimSpace(day) == "" {
			return invalid("Indiquez le jour de la séance au format jj/mm/aaaa.")
		}
		var cal maillon.HolidayCalendar
		if err := t.one(ctx, "select holidays from structures where id = ?", []any{e.StructureID}, &cal); err != nil {
			return err
		}
		occ := e.Occurrences(cal, d, d.AddDate(0, 0, 1))
		if len(occ) == 0 || !maillon.DayOf(occ[0].StartAt).Equal(d) {
			return invalid("La permanence n'a pas de séance ce jour-là.")
		}
		if _, err := t.exec(ctx, "insert into agenda_exceptions (event_id, day) values (?, ?)", id, d); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update agenda_events set updated_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaCancel, recordType: "agenda_event", recordID: int64(id)})
	})
}

// FindAgendaFeed implements maillon.AgendaService.
func (s *Store) FindAgendaFeed(ctx context.Context, actor maillon.Actor) (f maillon.AgendaFeed, err error) {
	defer wrap(&err, "FindAgendaFeed")
	if err := actor.Check(); err != nil {
		return f, err
	}
	err = s.read(ctx, func(t *tx) error {
		err := t.one(ctx, "select created_at, last_used_at from agenda_feeds where user_id = ?", []any{actor.UserID},
			timeCol{&f.CreatedAt}, timeCol{&f.LastUsedAt})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	return f, err
}

// CreateAgendaFeed implements maillon.AgendaService.
func (s *Store) CreateAgendaFeed(ctx context.Context, actor maillon.Actor) (token string, err error) {
	defer wrap(&err, "CreateAgendaFeed")
	if err := actor.Check(); err != nil {
		return "", err
	}
	if actor.UserID == 0 || actor.StructureID == 0 {
		return "", maillon.Forbidden()
	}
	if token, err = randomToken(); err != nil {
		return "", err
	}
	err = s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, "delete from agenda_feeds where user_id = ?", actor.UserID)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "insert into agenda_feeds (structure_id, user_id, token_hash, created_at) values (?, ?, ?, ?)",
			actor.StructureID, actor.UserID, tokenHash(token), t.now); err != nil {
			return err
		}
		var fields []string
		if n > 0 {
			fields = []string{"replaced"}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaFeedCreate, recordType: "user", recordID: int64(actor.UserID), fields: fields})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// RevokeAgendaFeed implements maillon.AgendaService.
func (s *Store) RevokeAgendaFeed(ctx context.Context, actor maillon.Actor) (err error) {
	defer wrap(&err, "RevokeAgendaFeed")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, "delete from agenda_feeds where user_id = ?", actor.UserID)
		if err != nil {
			return err
		}
		if n == 0 {
			return maillon.Errorf(maillon.ErrInvalid, "Vous n'avez pas de lien d'abonnement actif.")
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAgendaFeedRevoke, recordType: "user", recordID: int64(actor.UserID)})
	})
}

// feedTouchEvery bounds the writes of a polled feed: last_used_at moves
// at most once an hour.
const feedTouchEvery = time.Hour

// FindFeedData implements maillon.AgendaService. The feed's use is not
// written to the audit log (calendar apps poll it every few hours); its
// last use is kept on the feed, shown to its owner.
func (s *Store) FindFeedData(ctx context.Context, token string) (d *maillon.FeedData, err error) {
	defer wrap(&err, "FindFeedData")
	notFound := &maillon.Error{Kind: maillon.ErrNotFound, Message: "Ce lien d'abonnement n'existe pas ou a été retiré."}
	if len(token) < 40 || len(token) > 100 {
		return nil, notFound
	}
	var feedID int64
	var lastUsed time.Time
	err = s.read(ctx, func(t *tx) error {
		var sid maillon.StructureID
		var uid maillon.UserID
		var active bool
		err := t.one(ctx, `select f.id, f.structure_id, f.user_id, f.last_used_at, u.active from agenda_feeds f
			join users u on u.id = f.user_id where f.token_hash = ?`, []any{tokenHash(token)},
			&feedID, &sid, &uid, timeCol{&lastUsed}, &active)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !active) {
			return notFound
		}
		if err != nil {
			return err
		}
		var cal maillon.HolidayCalendar
		if err := t.one(ctx, "select holidays from structures where id = ?", []any{sid}, &cal); err != nil {
			return err
		}
		from := t.now.AddDate(0, -maillon.FeedMonthsBack, 0)
		to := t.now.AddDate(0, maillon.FeedMonthsAhead, 0)
		// The feed names no colleague: the mediators are not read.
		events, err := t.agendaEvents(ctx, sid, uid, 0, from, to, false)
		if err != nil {
			return err
		}
		d = &maillon.FeedData{UserID: uid, Events: events, Holidays: cal, Now: t.now}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if now := s.clock(); lastUsed.IsZero() || now.Sub(lastUsed) > feedTouchEvery {
		err = s.write(ctx, func(t *tx) error {
			_, err := t.exec(ctx, "update agenda_feeds set last_used_at = ? where id = ?", t.now, feedID)
			return err
		})
	}
	return d, err
}

// personAppointments lists a person's rendez-vous for their file: the
// next ones and the recent ones, by the (person_id, start_at) index.
func (t *tx) personAppointments(ctx context.Context, f *maillon.PersonFile) error {
	err := t.many(ctx, selectAgendaEvents+` where e.person_id = ? order by e.start_at desc, e.id desc limit 100`,
		[]any{f.Person.ID}, func(r *sql.Rows) error {
			e, err := scanAgendaEvent(r.Scan)
			f.Appointments = append(f.Appointments, e)
			return err
		})
	if err != nil {
		return err
	}
	for _, e := range f.Appointments {
		if e.StartAt.After(t.now) {
			continue // the timeline tells what happened; the section lists what is planned
		}
		detail := e.PlaceName()
		if l := e.AttendanceLabel(); l != "" {
			detail = strings.TrimPrefix(detail+" · "+l, " · ")
		}
		f.Timeline = append(f.Timeline, maillon.TimelineEntry{At: e.StartAt, Kind: "appointment",
			URL: "/agenda/" + strconv.FormatInt(int64(e.ID), 10), Title: "Rendez-vous : " + e.Purpose, Detail: detail})
	}
	return nil
}

// The tables of an agenda import.
var (
	importAgendaEvents = importTable{"agenda_events", true, []string{"id", "structure_id", "kind", "start_at", "end_at",
		"repeat_until", "team_id", "person_id", "commune_id", "zone_id", "place_label", "theme", "purpose", "documents",
		"attendance", "attendance_at", "created_by", "created_at", "updated_at"}}
	importAgendaMembers = importTable{"agenda_members", false, []string{"event_id", "user_id", "start_at"}}
)

// ImportAgenda implements maillon.Importer.
func (s *Store) ImportAgenda(ctx context.Context, actor maillon.Actor, events []maillon.AgendaEvent) (err error) {
	defer wrap(&err, "ImportAgenda")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range events {
		if err := events[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(events) == 0 {
		return nil
	}
	stmts, err := s.importStatements(ctx, importAgendaEvents, importAgendaMembers)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "agenda_events")
		if err != nil {
			return err
		}
		next := ids[0]
		evs := t.newBatch(ctx, importAgendaEvents, stmts)
		members := t.newBatch(ctx, importAgendaMembers, stmts)
		members.parent = evs
		all := batches{evs, members}
		defer all.close()
		for i := range events {
			e := &events[i]
			e.ID = maillon.AgendaEventID(next)
			next++
			created := e.CreatedAt
			if created.IsZero() {
				created = t.now
			}
			var attendedAt time.Time
			if e.Attendance != "" {
				attendedAt = e.EndAt
			}
			if err := evs.add(ctx, int64(e.ID), int64(e.StructureID), e.Kind, e.StartAt, e.EndAt, e.RepeatUntil, optID(e.TeamID),
				optID(e.PersonID), optID(e.CommuneID), optID(e.ZoneID), e.PlaceLabel, e.Theme, e.Purpose, e.Documents,
				e.Attendance, attendedAt, optID(e.CreatedBy), created, created); err != nil {
				return err
			}
			for _, u := range distinct(e.Mediators) {
				if err := members.add(ctx, int64(e.ID), int64(u), e.StartAt); err != nil {
					return err
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "agenda_events"); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "agenda_event", len(events), func(i int) maillon.StructureID { return events[i].StructureID })
	})
}
