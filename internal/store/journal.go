package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"maillon"
)

// The main courante reads a day in a bounded number of queries, whatever
// the number of interventions: the scope, the day's interventions (a
// range of the interventions_structure_start index, each checked against
// the scope through the primary key of intervention_mediators), one query
// per kind of link for the whole day, and the comment.

// journalDayKey is how a Paris day is stored: yyyy-mm-dd.
func journalDayKey(day time.Time) string { return maillon.JournalDate(day).Format("2006-01-02") }

// journalScope returns the structure and the name of a mediator or team,
// or ErrNotFound when it is unknown or outside the actor's reach.
func (t *tx) journalScope(ctx context.Context, actor maillon.Actor, scope maillon.JournalScope) (maillon.StructureID, string, error) {
	var sid maillon.StructureID
	var name string
	var err error
	what := "Équipe"
	if scope.MediatorID != 0 {
		what = "Compte"
		err = t.one(ctx, "select structure_id, display_name from users where id = ?", []any{scope.MediatorID}, &sid, &name)
	} else {
		err = t.one(ctx, "select structure_id, name from teams where id = ?", []any{scope.TeamID}, &sid, &name)
	}
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
		return 0, "", maillon.NotFound(what)
	}
	return sid, name, err
}

// scopeCondition restricts interventions i to those of the scope. A team's
// interventions are those one of its current members took part in; EXISTS
// counts an intervention in binôme once.
func scopeCondition(scope maillon.JournalScope) (string, any) {
	if scope.MediatorID != 0 {
		return "exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)", scope.MediatorID
	}
	return `exists (select 1 from intervention_mediators m join users u on u.id = m.user_id
		where m.intervention_id = i.id and u.team_id = ?)`, scope.TeamID
}

// invalidJournalScope is the error of a scope naming both or neither.
func invalidJournalScope() error {
	return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez un médiateur, une médiatrice ou une équipe.",
		Fields: map[string]string{"scope": "Choisissez un médiateur, une médiatrice ou une équipe."}}
}

// FindJournalDay implements maillon.JournalService.
func (s *Store) FindJournalDay(ctx context.Context, actor maillon.Actor, scope maillon.JournalScope, day time.Time) (jd *maillon.JournalDay, err error) {
	defer wrap(&err, "FindJournalDay")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if !scope.Valid() {
		return nil, invalidJournalScope()
	}
	if err := maillon.CheckJournalDay(day, s.clock()); err != nil {
		return nil, err
	}
	err = s.read(ctx, func(t *tx) error {
		sid, name, err := t.journalScope(ctx, actor, scope)
		if err != nil {
			return err
		}
		if !actor.CanViewJournal(sid, scope) {
			return maillon.Forbidden()
		}
		jd = &maillon.JournalDay{StructureID: sid, Scope: scope, Name: name, Day: maillon.JournalDate(day)}
		if err := t.journalEntries(ctx, jd); err != nil {
			return err
		}
		tournees, err := t.dayTournees(ctx, sid, scope, jd.Day)
		if err != nil {
			return err
		}
		jd.AddTournees(tournees)
		jd.Comment, err = t.journalComment(ctx, scope, jd.Day)
		return err
	})
	if err != nil {
		return nil, err
	}
	jd.Summarize()
	return jd, nil
}

// journalEntries loads the interventions of the day with their links.
func (t *tx) journalEntries(ctx context.Context, jd *maillon.JournalDay) error {
	from, to := maillon.JournalBounds(jd.Day)
	cond, arg := scopeCondition(jd.Scope)
	err := t.many(ctx, `select i.id, i.start_at, i.minutes, i.outside_hours, i.registre, i.place_type,
		coalesce(c.name, ''), coalesce(z.name, ''), i.place_label, i.outcome
		from interventions i
		left join communes c on c.id = i.commune_id
		left join zones z on z.id = i.zone_id
		where i.structure_id = ? and i.start_at >= ? and i.start_at < ? and `+cond+`
		order by i.start_at, i.id`, []any{jd.StructureID, from, to, arg},
		func(r *sql.Rows) error {
			var e maillon.JournalEntry
			if err := r.Scan(&e.InterventionID, timeCol{&e.StartAt}, &e.Minutes, &e.OutsideHours, &e.Registre, &e.PlaceType,
				&e.CommuneName, &e.ZoneName, &e.PlaceLabel, &e.Outcome); err != nil {
				return err
			}
			jd.Entries = append(jd.Entries, e)
			return nil
		})
	if err != nil || len(jd.Entries) == 0 {
		return err
	}
	list := jd.Entries
	idx := make(map[maillon.InterventionID]int, len(list))
	args := make([]any, len(list))
	for i, e := range list {
		idx[e.InterventionID] = i
		args[i] = int64(e.InterventionID)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(list)), ", ") + ")"
	err = t.interventionMediators(ctx, args, func(id maillon.InterventionID, _ maillon.UserID, name string) {
		list[idx[id]].Mediators = append(list[idx[id]].Mediators, name)
	})
	if err != nil {
		return err
	}
	// The interventions are the structure's, so are the people they
	// name (CreateIntervention checks it, a merge stays in a structure).
	err = t.interventionPersons(ctx, args, func(id maillon.InterventionID, p maillon.PersonRef) {
		list[idx[id]].Persons = append(list[idx[id]].Persons, p)
	})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select intervention_id, sum(count) from intervention_anonymous where intervention_id in "+in+
		" group by intervention_id", args,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var n int
			if err := r.Scan(&id, &n); err != nil {
				return err
			}
			list[idx[id]].Anonymous = n
			return nil
		})
	if err != nil {
		return err
	}
	// One row per procedure without obstacle, or per obstacle.
	last := maillon.ProcedureID(0)
	return t.many(ctx, `select p.intervention_id, p.id, coalesce(o.obstacle, '') from procedures p
		left join procedure_obstacles o on o.procedure_id = p.id
		where p.intervention_id in `+in+` order by p.intervention_id, p.id, o.obstacle`, args,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var pid maillon.ProcedureID
			var obstacle string
			if err := r.Scan(&id, &pid, &obstacle); err != nil {
				return err
			}
			e := &list[idx[id]]
			if pid != last {
				e.Procedures++
				last = pid
			}
			if obstacle != "" {
				e.Obstacles = append(e.Obstacles, obstacle)
			}
			return nil
		})
}

// journalComment loads the comment of a scope's day; a missing one is
// the zero comment.
func (t *tx) journalComment(ctx context.Context, scope maillon.JournalScope, day time.Time) (maillon.JournalComment, error) {
	var c maillon.JournalComment
	col, id := journalScopeColumn(scope)
	err := t.one(ctx, `select jc.id, jc.text, jc.author_id, coalesce(u.display_name, ''), jc.updated_at
		from journal_comments jc left join users u on u.id = jc.author_id
		where jc.`+col+` = ? and jc.day = ?`, []any{id, journalDayKey(day)},
		&c.ID, &c.Text, scanID(&c.AuthorID), &c.AuthorName, timeCol{&c.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return maillon.JournalComment{}, nil
	}
	return c, err
}

// journalScopeColumn names the column of journal_comments holding the
// scope, and its value. The column name is one of two constants.
func journalScopeColumn(scope maillon.JournalScope) (string, int64) {
	if scope.MediatorID != 0 {
		return "mediator_id", int64(scope.MediatorID)
	}
	return "team_id", int64(scope.TeamID)
}

// SetJournalComment implements maillon.JournalService.
func (s *Store) SetJournalComment(ctx context.Context, actor maillon.Actor, scope maillon.JournalScope, day time.Time, text string) (err error) {
	defer wrap(&err, "SetJournalComment")
	if err := actor.Check(); err != nil {
		return err
	}
	if !scope.Valid() {
		return invalidJournalScope()
	}
	return s.write(ctx, func(t *tx) error {
		if err := maillon.CheckJournalDay(day, t.now); err != nil {
			return err
		}
		if maillon.JournalDate(day).After(maillon.JournalDate(t.now)) {
			var fe maillon.FieldErrors
			fe.Add("day", "On ne commente pas un jour à venir : choisissez aujourd'hui ou un jour passé.")
			return fe.Err()
		}
		sid, _, err := t.journalScope(ctx, actor, scope)
		if err != nil {
			return err
		}
		if !actor.CanCommentJournal(sid) {
			return maillon.Forbidden()
		}
		clean, err := maillon.CleanJournalComment(text)
		if err != nil {
			return err
		}
		old, err := t.journalComment(ctx, scope, day)
		if err != nil || old.Text == clean {
			return err
		}
		id := int64(old.ID)
		switch {
		case clean == "":
			_, err = t.exec(ctx, "delete from journal_comments where id = ?", id)
		case old.ID == 0:
			col, sc := journalScopeColumn(scope)
			id, err = t.insert(ctx, `insert into journal_comments (structure_id, `+col+`, day, text, author_id, updated_at)
				values (?, ?, ?, ?, ?, ?) returning id`, sid, sc, journalDayKey(day), clean, optID(actor.UserID), t.now)
		default:
			_, err = t.exec(ctx, "update journal_comments set text = ?, author_id = ?, updated_at = ? where id = ?",
				clean, optID(actor.UserID), t.now, id)
		}
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditJournalComment, recordType: "journal_comment",
			recordID: id, fields: []string{"text"}})
	})
}
