package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"

	"maillon"
)

// maxTimeline bounds a person's timeline; older entries stay reachable
// from the interventions list.
const maxTimeline = 500

// FindPersonFile implements maillon.PersonService. The read is audited in
// the same transaction (architecture §6.4): no channel can open a file
// without leaving a trace.
func (s *Store) FindPersonFile(ctx context.Context, actor maillon.Actor, id maillon.PersonID) (f *maillon.PersonFile, err error) {
	defer wrap(&err, "FindPersonFile")
	return s.personFile(ctx, actor, id, maillon.AuditPersonRead)
}

// FindPersonSummary implements maillon.PersonService: the same reading,
// audited as the printing of a summary handed to the person.
func (s *Store) FindPersonSummary(ctx context.Context, actor maillon.Actor, id maillon.PersonID) (f *maillon.PersonFile, err error) {
	defer wrap(&err, "FindPersonSummary")
	return s.personFile(ctx, actor, id, maillon.AuditPersonPrint)
}

func (s *Store) personFile(ctx context.Context, actor maillon.Actor, id maillon.PersonID, action maillon.AuditAction) (f *maillon.PersonFile, err error) {
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		p, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		f = &maillon.PersonFile{Person: *p}
		if err := t.fileConsents(ctx, f); err != nil {
			return err
		}
		if err := t.fileAutonomy(ctx, f); err != nil {
			return err
		}
		if err := t.fileNotes(ctx, actor, f); err != nil {
			return err
		}
		if err := t.personAppointments(ctx, f); err != nil {
			return err
		}
		if err := t.fileTimeline(ctx, actor, f); err != nil {
			return err
		}
		if err := t.fileHistory(ctx, f); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: action, recordType: "person", recordID: int64(id)})
	})
	return f, err
}

func (t *tx) fileConsents(ctx context.Context, f *maillon.PersonFile) error {
	return t.many(ctx, `select c.id, c.scope, c.method, c.given_at, c.recorded_by, coalesce(u.display_name, ''), c.recorded_at,
		c.withdrawn_at, c.withdrawn_by
		from consents c left join users u on u.id = c.recorded_by
		where c.person_id = ? order by c.given_at desc, c.id desc`, []any{f.Person.ID}, func(r *sql.Rows) error {
		c := maillon.Consent{PersonID: f.Person.ID}
		err := r.Scan(&c.ID, &c.Scope, &c.Method, timeCol{&c.GivenAt}, scanID(&c.RecordedBy), &c.RecordedByName,
			timeCol{&c.RecordedAt}, timeCol{&c.WithdrawnAt}, scanID(&c.WithdrawnBy))
		f.Consents = append(f.Consents, c)
		return err
	})
}

func (t *tx) fileAutonomy(ctx context.Context, f *maillon.PersonFile) error {
	return t.many(ctx, `select a.id, a.assessed_at, a.equipment, a.internet, a.has_email, a.franceconnect, a.level,
		a.recorded_by, coalesce(u.display_name, ''), a.procedure_id
		from autonomy_assessments a left join users u on u.id = a.recorded_by
		where a.person_id = ? order by a.assessed_at, a.id`, []any{f.Person.ID}, func(r *sql.Rows) error {
		a := maillon.Autonomy{PersonID: f.Person.ID}
		var eq string
		err := r.Scan(&a.ID, timeCol{&a.AssessedAt}, &eq, &a.Internet, &a.HasEmail, &a.FranceConnect, &a.Level,
			scanID(&a.RecordedBy), &a.RecordedByName, scanID(&a.ProcedureID))
		a.Equipment = splitList(eq)
		f.Autonomy = append(f.Autonomy, a)
		return err
	})
}

// fileNotes reads the notes the actor may see: private notes of others
// are never loaded, whatever the actor's role.
func (t *tx) fileNotes(ctx context.Context, actor maillon.Actor, f *maillon.PersonFile) error {
	return t.many(ctx, `select n.id, n.author_id, coalesce(u.display_name, ''), n.text, n.private, n.created_at
		from person_notes n left join users u on u.id = n.author_id
		where n.person_id = ? and (n.private = ? or n.author_id = ?)
		order by n.created_at desc, n.id desc`, []any{f.Person.ID, false, int64(actor.UserID)}, func(r *sql.Rows) error {
		n := maillon.Note{PersonID: f.Person.ID}
		err := r.Scan(&n.ID, scanID(&n.AuthorID), &n.AuthorName, &n.Text, &n.Private, timeCol{&n.CreatedAt})
		f.Notes = append(f.Notes, n)
		return err
	})
}

func (t *tx) fileTimeline(ctx context.Context, actor maillon.Actor, f *maillon.PersonFile) error {
	entries := f.Timeline // the appointments, read first
	err := t.many(ctx, `select i.id, i.start_at, i.minutes, i.registre, i.outcome, i.next_step, i.documents, i.follow_up_on,
		i.follow_up_done, i.place_type
		from intervention_persons ip join interventions i on i.id = ip.intervention_id
		where ip.person_id = ? order by i.start_at desc, i.id desc limit ?`, []any{f.Person.ID, maxTimeline},
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var at, followOn time.Time
			var minutes int
			var registre, outcome, next, docs, place string
			var done bool
			if err := r.Scan(&id, timeCol{&at}, &minutes, &registre, &outcome, &next, &docs, timeCol{&followOn}, &done, &place); err != nil {
				return err
			}
			url := "/interventions/" + strconv.FormatInt(int64(id), 10)
			entries = append(entries, maillon.TimelineEntry{At: at, Kind: "intervention", URL: url,
				Title:  maillon.Registres.Label(registre),
				Detail: maillon.PlaceTypes.Label(place) + " · " + strconv.Itoa(minutes) + " min · " + maillon.Outcomes.Label(outcome)})
			if !followOn.IsZero() {
				f.FollowUps = append(f.FollowUps, maillon.FollowUp{InterventionID: id, On: followOn, NextStep: next, Documents: docs, Done: done})
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, `select i.id, i.start_at, p.organisme, coalesce(pt.label, ''), p.label, p.outcome, p.mode
		from procedures p join interventions i on i.id = p.intervention_id
		left join procedure_types pt on pt.id = p.type_id
		where p.person_id = ? order by i.start_at desc, p.id desc limit ?`, []any{f.Person.ID, maxTimeline},
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var at time.Time
			var p maillon.Procedure
			if err := r.Scan(&id, timeCol{&at}, &p.Organisme, &p.TypeLabel, &p.Label, &p.Outcome, &p.Mode); err != nil {
				return err
			}
			entries = append(entries, maillon.TimelineEntry{At: at.Add(time.Second), Kind: "procedure",
				URL:    "/interventions/" + strconv.FormatInt(int64(id), 10),
				Title:  "Démarche : " + p.Title(),
				Detail: maillon.ProcedureModes.Label(p.Mode) + " · " + maillon.ProcedureOutcomes.Label(p.Outcome)})
			return nil
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, `select o.id, o.created_at, o.partner_name, o.status, o.expected_on from orientations o
		where o.person_id = ? order by o.created_at desc, o.id desc limit ?`, []any{f.Person.ID, maxTimeline},
		func(r *sql.Rows) error {
			var id maillon.OrientationID
			var at, expected time.Time
			var partner, status string
			if err := r.Scan(&id, timeCol{&at}, &partner, &status, timeCol{&expected}); err != nil {
				return err
			}
			entries = append(entries, maillon.TimelineEntry{At: at, Kind: "orientation",
				URL:   "/orientations/" + strconv.FormatInt(int64(id), 10),
				Title: "Orientation vers " + partner, Detail: maillon.OrientationStatuses.Label(status)})
			if !expected.IsZero() && !maillon.OrientationClosed(status) {
				f.FollowUps = append(f.FollowUps, maillon.FollowUp{OrientationID: id, On: expected, NextStep: "Retour attendu de " + partner})
			}
			return nil
		})
	if err != nil {
		return err
	}
	if err := t.personMediations(ctx, actor, f.Person.ID, func(e maillon.TimelineEntry) { entries = append(entries, e) }); err != nil {
		return err
	}
	for _, c := range f.Consents {
		entries = append(entries, maillon.TimelineEntry{At: c.GivenAt, Kind: "consent",
			Title: "Accord : " + maillon.ConsentScopes.Label(c.Scope), Detail: maillon.ConsentMethods.Label(c.Method)})
		if !c.Active() {
			entries = append(entries, maillon.TimelineEntry{At: c.WithdrawnAt, Kind: "consent",
				Title: "Retrait de l'accord : " + maillon.ConsentScopes.Label(c.Scope)})
		}
	}
	for _, a := range f.Autonomy {
		if a.ProcedureID != 0 {
			continue // shown with its procedure
		}
		entries = append(entries, maillon.TimelineEntry{At: a.AssessedAt, Kind: "autonomy",
			Title: "Autonomie numérique : " + a.LevelLabel()})
	}
	for _, n := range f.Notes {
		entries = append(entries, maillon.TimelineEntry{At: n.CreatedAt, Kind: "note", Title: "Note de " + n.AuthorName,
			Detail: excerpt(n.Text, 140), Private: n.Private})
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].At.After(entries[j].At) })
	if len(entries) > maxTimeline {
		entries = entries[:maxTimeline]
	}
	f.Timeline = entries
	sort.SliceStable(f.FollowUps, func(i, j int) bool { return f.FollowUps[i].On.Before(f.FollowUps[j].On) })
	return nil
}

// fileHistory lists who changed the file, and when.
func (t *tx) fileHistory(ctx context.Context, f *maillon.PersonFile) (err error) {
	f.History, err = t.recordHistory(ctx, f.Person.StructureID, "person", int64(f.Person.ID),
		maillon.AuditPersonCreate, maillon.AuditPersonUpdate, maillon.AuditPersonArchive, maillon.AuditPersonRestore,
		maillon.AuditPersonMerge, maillon.AuditConsentAdd, maillon.AuditConsentWithdraw)
	return err
}

func excerpt(s string, n int) string {
	r := []rune(strings.Join(strings.Fields(s), " "))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
