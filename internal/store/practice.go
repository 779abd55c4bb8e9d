package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"maillon"
)

// The journal of practice. Every note query is bound to author_id = the
// actor's account: no role reaches another's note, and a note that is not
// the actor's answers ErrNotFound, like a missing one. The audit rows of a
// note carry neither its ID nor any field: only who did what.

func practiceNoteNotFound() error { return maillon.NotFound("Note de pratique") }

// checkPracticeAuthor refuses actors without an account of a structure
// (the operator, a job): a note has an author.
func checkPracticeAuthor(actor maillon.Actor) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if actor.UserID == 0 || actor.StructureID == 0 {
		return maillon.Forbidden()
	}
	return nil
}

const selectPracticeNotes = `select id, author_id, situation, action, raised, learnt, questions, created_at, updated_at
from practice_notes`

func scanPracticeNote(scan func(...any) error, extra ...any) (maillon.PracticeNote, error) {
	var n maillon.PracticeNote
	err := scan(append([]any{&n.ID, &n.AuthorID, &n.Situation, &n.Action, &n.Raised, &n.Learnt, &n.Questions,
		timeCol{&n.CreatedAt}, timeCol{&n.UpdatedAt}}, extra...)...)
	return n, err
}

// practiceNote loads one of the actor's notes.
func (t *tx) practiceNote(ctx context.Context, actor maillon.Actor, id maillon.PracticeNoteID) (*maillon.PracticeNote, error) {
	q := selectPracticeNotes + " where id = ? and author_id = ?"
	n, err := scanPracticeNote(t.queryRow(ctx, q, []any{int64(id), int64(actor.UserID)}).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, practiceNoteNotFound()
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &n, nil
}

// FindPracticeNotes implements maillon.PracticeService.
func (s *Store) FindPracticeNotes(ctx context.Context, actor maillon.Actor, offset, limit int) (out []maillon.PracticeNote, total int, err error) {
	defer wrap(&err, "FindPracticeNotes")
	if err := checkPracticeAuthor(actor); err != nil {
		return nil, 0, err
	}
	limit = pageLimit(limit, 20, 100)
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, strings.Replace(selectPracticeNotes, "\nfrom", ", count(*) over ()\nfrom", 1)+
			" where author_id = ? order by created_at desc, id desc limit ? offset ?",
			[]any{int64(actor.UserID), limit, max(offset, 0)}, func(r *sql.Rows) error {
				n, err := scanPracticeNote(r.Scan, &total)
				out = append(out, n)
				return err
			})
	})
	if err == nil && len(out) == 0 && offset > 0 {
		err = s.read(ctx, func(t *tx) error {
			return t.one(ctx, "select count(*) from practice_notes where author_id = ?", []any{int64(actor.UserID)}, &total)
		})
	}
	return out, total, err
}

// FindPracticeNote implements maillon.PracticeService. Reading one's own
// note is not audited: the audit would say nothing the author does not
// know, and would tell others how often they reread it.
func (s *Store) FindPracticeNote(ctx context.Context, actor maillon.Actor, id maillon.PracticeNoteID) (n *maillon.PracticeNote, err error) {
	defer wrap(&err, "FindPracticeNote")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.UserID == 0 {
		return nil, practiceNoteNotFound()
	}
	err = s.read(ctx, func(t *tx) error {
		n, err = t.practiceNote(ctx, actor, id)
		return err
	})
	return n, err
}

// CreatePracticeNote implements maillon.PracticeService.
func (s *Store) CreatePracticeNote(ctx context.Context, actor maillon.Actor, in maillon.PracticeNoteInput) (n *maillon.PracticeNote, err error) {
	defer wrap(&err, "CreatePracticeNote")
	if err := checkPracticeAuthor(actor); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		id, err := t.insert(ctx, `insert into practice_notes (structure_id, author_id, situation, action, raised, learnt,
			questions, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, actor.UserID, in.Situation, in.Action, in.Raised, in.Learnt, in.Questions, t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditPracticeNoteCreate, recordType: "practice_note"}); err != nil {
			return err
		}
		n, err = t.practiceNote(ctx, actor, maillon.PracticeNoteID(id))
		return err
	})
	return n, err
}

// UpdatePracticeNote implements maillon.PracticeService.
func (s *Store) UpdatePracticeNote(ctx context.Context, actor maillon.Actor, id maillon.PracticeNoteID, in maillon.PracticeNoteInput) (err error) {
	defer wrap(&err, "UpdatePracticeNote")
	if err := actor.Check(); err != nil {
		return err
	}
	if actor.UserID == 0 {
		return practiceNoteNotFound()
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, `update practice_notes set situation = ?, action = ?, raised = ?, learnt = ?, questions = ?,
			updated_at = ? where id = ? and author_id = ?`,
			in.Situation, in.Action, in.Raised, in.Learnt, in.Questions, t.now, id, actor.UserID)
		if err != nil {
			return err
		}
		if n == 0 {
			return practiceNoteNotFound()
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPracticeNoteUpdate, recordType: "practice_note"})
	})
}

// DeletePracticeNote implements maillon.PracticeService: the row goes,
// nothing of it stays.
func (s *Store) DeletePracticeNote(ctx context.Context, actor maillon.Actor, id maillon.PracticeNoteID) (err error) {
	defer wrap(&err, "DeletePracticeNote")
	if err := actor.Check(); err != nil {
		return err
	}
	if actor.UserID == 0 {
		return practiceNoteNotFound()
	}
	return s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, "delete from practice_notes where id = ? and author_id = ?", id, actor.UserID)
		if err != nil {
			return err
		}
		if n == 0 {
			return practiceNoteNotFound()
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPracticeNoteDelete, recordType: "practice_note"})
	})
}

// ---------------------------------------------------------------------
// Group sessions.

const selectPracticeSessions = `select id, structure_id, held_on, facilitator, themes, themes_text, summary, created_by,
	created_at, updated_at
from practice_sessions`

func scanPracticeSession(scan func(...any) error, extra ...any) (maillon.PracticeSession, error) {
	var s maillon.PracticeSession
	var themes string
	err := scan(append([]any{&s.ID, &s.StructureID, timeCol{&s.HeldOn}, &s.Facilitator, &themes, &s.ThemesText, &s.Summary,
		scanID(&s.CreatedBy), timeCol{&s.CreatedAt}, timeCol{&s.UpdatedAt}}, extra...)...)
	s.Themes = splitList(themes)
	return s, err
}

// loadAttendees fills the attendees of sessions, in one query, sorted by
// name.
func (t *tx) loadAttendees(ctx context.Context, sessions []maillon.PracticeSession) error {
	if len(sessions) == 0 {
		return nil
	}
	index := map[maillon.PracticeSessionID]int{}
	args := make([]any, len(sessions))
	for i, s := range sessions {
		index[s.ID] = i
		args[i] = int64(s.ID)
	}
	return t.many(ctx, `select a.session_id, u.id, u.display_name from practice_session_attendees a
		join users u on u.id = a.user_id where a.session_id in (`+practiceIn(len(args))+`)
		order by a.session_id, `+t.d.binaryOrder("u.search_key")+`, u.id`, args, func(r *sql.Rows) error {
		var sid maillon.PracticeSessionID
		var u maillon.PracticeAttendee
		if err := r.Scan(&sid, &u.ID, &u.Name); err != nil {
			return err
		}
		s := &sessions[index[sid]]
		s.Attendees = append(s.Attendees, u)
		return nil
	})
}

// practiceSession loads a session of the actor's structure.
func (t *tx) practiceSession(ctx context.Context, actor maillon.Actor, id maillon.PracticeSessionID) (*maillon.PracticeSession, error) {
	q := selectPracticeSessions + " where id = ?"
	s, err := scanPracticeSession(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(s.StructureID)) {
		return nil, maillon.NotFound("Séance")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	list := []maillon.PracticeSession{s}
	if err := t.loadAttendees(ctx, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// FindPracticeSessions implements maillon.PracticeService.
func (s *Store) FindPracticeSessions(ctx context.Context, actor maillon.Actor, offset, limit int) (out []maillon.PracticeSession, total int, err error) {
	defer wrap(&err, "FindPracticeSessions")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	limit = pageLimit(limit, 20, 100)
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, strings.Replace(selectPracticeSessions, "\nfrom", ", count(*) over ()\nfrom", 1)+
			" where structure_id = ? order by held_on desc, id desc limit ? offset ?",
			[]any{actor.StructureID, limit, max(offset, 0)}, func(r *sql.Rows) error {
				ps, err := scanPracticeSession(r.Scan, &total)
				out = append(out, ps)
				return err
			})
		if err != nil {
			return err
		}
		if len(out) == 0 && offset > 0 {
			return t.one(ctx, "select count(*) from practice_sessions where structure_id = ?", []any{actor.StructureID}, &total)
		}
		return t.loadAttendees(ctx, out)
	})
	return out, total, err
}

// FindPracticeSession implements maillon.PracticeService.
func (s *Store) FindPracticeSession(ctx context.Context, actor maillon.Actor, id maillon.PracticeSessionID) (ps *maillon.PracticeSession, err error) {
	defer wrap(&err, "FindPracticeSession")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		ps, err = t.practiceSession(ctx, actor, id)
		return err
	})
	return ps, err
}

// checkAttendees refuses an attendee who is not an account of the
// structure.
func (t *tx) checkAttendees(ctx context.Context, sid maillon.StructureID, ids []maillon.UserID) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{sid}
	for _, id := range ids {
		args = append(args, int64(id))
	}
	var n int
	if err := t.one(ctx, "select count(*) from users where structure_id = ? and id in ("+practiceIn(len(ids))+")", args, &n); err != nil {
		return err
	}
	if n != len(ids) {
		msg := "Choisissez les participants parmi les comptes de la structure."
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"attendees": msg}}
	}
	return nil
}

func (t *tx) writeAttendees(ctx context.Context, id int64, ids []maillon.UserID) error {
	if _, err := t.exec(ctx, "delete from practice_session_attendees where session_id = ?", id); err != nil {
		return err
	}
	for _, u := range ids {
		if _, err := t.exec(ctx, "insert into practice_session_attendees (session_id, user_id) values (?, ?)", id, u); err != nil {
			return err
		}
	}
	return nil
}

// CreatePracticeSession implements maillon.PracticeService.
func (s *Store) CreatePracticeSession(ctx context.Context, actor maillon.Actor, in maillon.PracticeSessionInput) (ps *maillon.PracticeSession, err error) {
	defer wrap(&err, "CreatePracticeSession")
	if err := checkPracticeAuthor(actor); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		held, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.checkAttendees(ctx, actor.StructureID, in.Attendees); err != nil {
			return err
		}
		id, err := t.insert(ctx, `insert into practice_sessions (structure_id, held_on, facilitator, themes, themes_text, summary,
			created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, held, in.Facilitator, strings.Join(in.Themes, ","), in.ThemesText, in.Summary, actor.UserID, t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.writeAttendees(ctx, id, in.Attendees); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditPracticeSessionCreate, recordType: "practice_session", recordID: id}); err != nil {
			return err
		}
		ps, err = t.practiceSession(ctx, actor, maillon.PracticeSessionID(id))
		return err
	})
	return ps, err
}

// UpdatePracticeSession implements maillon.PracticeService.
func (s *Store) UpdatePracticeSession(ctx context.Context, actor maillon.Actor, id maillon.PracticeSessionID, in maillon.PracticeSessionInput) (err error) {
	defer wrap(&err, "UpdatePracticeSession")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ps, err := t.practiceSession(ctx, actor, id)
		if err != nil {
			return err
		}
		if ps.CreatedBy != actor.UserID && !actor.CanViewTeamData(ps.StructureID) {
			return maillon.Errorf(maillon.ErrForbidden,
				"Seuls l'auteur de la séance, la coordination et l'administration peuvent la modifier.")
		}
		held, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.checkAttendees(ctx, ps.StructureID, in.Attendees); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update practice_sessions set held_on = ?, facilitator = ?, themes = ?, themes_text = ?,
			summary = ?, updated_at = ? where id = ?`, held, in.Facilitator, strings.Join(in.Themes, ","), in.ThemesText,
			in.Summary, t.now, id); err != nil {
			return err
		}
		if err := t.writeAttendees(ctx, int64(id), in.Attendees); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPracticeSessionUpdate, recordType: "practice_session",
			recordID: int64(id), fields: changedSessionFields(ps, held, in)})
	})
}

// changedSessionFields names the fields an update changes.
func changedSessionFields(ps *maillon.PracticeSession, held time.Time, in maillon.PracticeSessionInput) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("held_on", !ps.HeldOn.Equal(held))
	add("facilitator", ps.Facilitator != in.Facilitator)
	add("themes", strings.Join(ps.Themes, ",") != strings.Join(in.Themes, ",") || ps.ThemesText != in.ThemesText)
	var before []maillon.UserID
	for _, a := range ps.Attendees {
		before = append(before, a.ID)
	}
	add("attendees", !sameIDs(before, in.Attendees))
	add("summary", ps.Summary != in.Summary)
	return out
}

func sameIDs(a, b []maillon.UserID) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !containsID(b, x) {
			return false
		}
	}
	return true
}

// practiceIn is the list of n placeholders of an "in (…)" clause.
func practiceIn(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
