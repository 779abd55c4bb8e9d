package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"maillon"
)

// Bulk import (maillon.Importer). A million interventions through the
// per-record services take hours: each is validated against the database,
// audited and committed alone. The import instead writes whole batches in
// one transaction, with IDs it gives itself (so that link rows need no
// round trip) and multi-row statements prepared once per batch and table.
// It derives what the services derive (search text, sort key, outside
// office hours, autonomy observed on a procedure, last contact), and the
// people's full-text index follows through its triggers, as for any insert.

// maxBatchParams bounds the parameters of one multi-row statement, under
// the limits of both engines (SQLite 32766, PostgreSQL 65535).
const maxBatchParams = 4000

// batch accumulates rows of one table and inserts them several hundred at
// a time.
type batch struct {
	t    *tx
	head string // "insert into table (cols) [overriding…] values "
	cols int
	per  int // rows per full statement
	stmt *sql.Stmt
	args []any
	// parent is the batch of the rows these rows point to: it is written
	// first, for the foreign keys.
	parent *batch
}

func (t *tx) newBatch(table string, explicitID bool, cols ...string) *batch {
	head := "insert into " + table + " (" + strings.Join(cols, ", ") + ") "
	if explicitID {
		head += t.d.insertExplicitID() + " "
	}
	per := max(1, maxBatchParams/len(cols))
	return &batch{t: t, head: head + "values ", cols: len(cols), per: per, args: make([]any, 0, per*len(cols))}
}

func (b *batch) query(rows int) string {
	var q strings.Builder
	q.Grow(len(b.head) + rows*(b.cols*2+3))
	q.WriteString(b.head)
	row := "(" + strings.Repeat("?, ", b.cols-1) + "?)"
	for i := 0; i < rows; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
	}
	return b.t.d.rebind(q.String())
}

// add appends one row; its values are converted as tx.exec converts them.
func (b *batch) add(ctx context.Context, vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("batch %s: %d values for %d columns", b.head, len(vals), b.cols)
	}
	for _, v := range vals {
		b.args = append(b.args, b.t.arg(v))
	}
	if len(b.args) == b.per*b.cols {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the rows held: a full batch through the prepared
// statement, the remainder through a statement of its own size.
func (b *batch) flush(ctx context.Context) error {
	rows := len(b.args) / b.cols
	if rows == 0 {
		return nil
	}
	if b.parent != nil {
		if err := b.parent.flush(ctx); err != nil {
			return err
		}
	}
	var err error
	if rows == b.per {
		if b.stmt == nil {
			if b.stmt, err = b.t.tx.PrepareContext(ctx, b.query(rows)); err != nil {
				return wrapQuery(b.head, err)
			}
		}
		_, err = b.stmt.ExecContext(ctx, b.args...)
	} else {
		_, err = b.t.tx.ExecContext(ctx, b.query(rows), b.args...)
	}
	b.args = b.args[:0]
	if err != nil {
		return wrapQuery(b.head, err)
	}
	return nil
}

func (b *batch) close() {
	if b.stmt != nil {
		b.stmt.Close()
	}
}

// batches flushes and closes a set of batches.
type batches []*batch

func (bs batches) flush(ctx context.Context) error {
	for _, b := range bs {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (bs batches) close() {
	for _, b := range bs {
		b.close()
	}
}

// nextID locks the tables and returns the first free ID of each.
func (t *tx) nextIDs(ctx context.Context, tables ...string) ([]int64, error) {
	if q := t.d.lockForImport(tables...); q != "" {
		if _, err := t.exec(ctx, q); err != nil {
			return nil, err
		}
	}
	out := make([]int64, len(tables))
	for i, table := range tables {
		// Table names come from the callers below, never from input.
		if err := t.one(ctx, "select coalesce(max(id), 0) + 1 from "+table, nil, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// syncIDs moves the tables' ID generators past the IDs written.
func (t *tx) syncIDs(ctx context.Context, tables ...string) error {
	for _, table := range tables {
		if q := t.d.syncIdentity(table); q != "" {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkImporter(actor maillon.Actor) error {
	if err := actor.Check(); err != nil {
		return err
	}
	if !actor.Operator {
		return maillon.Forbidden()
	}
	return nil
}

// ImportPeople implements maillon.Importer.
func (s *Store) ImportPeople(ctx context.Context, actor maillon.Actor, people []maillon.ImportPerson) (err error) {
	defer wrap(&err, "ImportPeople")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range people {
		if err := people[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(people) == 0 {
		return nil
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "persons")
		if err != nil {
			return err
		}
		next := ids[0]
		persons := t.newBatch("persons", true, "id", "structure_id", "first_name", "last_name", "pseudonym", "birth_year",
			"age_band", "gender", "phone", "email", "commune_id", "zone_id", "languages", "interpreter_needed", "access_needs",
			"access_text", "household", "housing", "activity", "nationality", "referent_id", "team_id", "archived",
			"search_text", "sort_key", "last_contact_at", "created_at", "updated_at", "created_by")
		consents := t.newBatch("consents", false, "structure_id", "person_id", "scope", "method", "given_at", "recorded_by",
			"recorded_at", "withdrawn_at", "withdrawn_by")
		autonomy := t.newBatch("autonomy_assessments", false, "structure_id", "person_id", "assessed_at", "equipment",
			"internet", "has_email", "franceconnect", "level", "recorded_by", "created_at")
		consents.parent, autonomy.parent = persons, persons
		all := batches{persons, consents, autonomy}
		defer all.close()
		structures := map[maillon.StructureID]bool{}
		for i := range people {
			ip := &people[i]
			p := &ip.Person
			if !structures[p.StructureID] {
				if _, err := t.structureByID(ctx, p.StructureID); err != nil {
					return err
				}
				structures[p.StructureID] = true
			}
			p.ID = maillon.PersonID(next)
			next++
			created := p.CreatedAt
			if created.IsZero() {
				created = t.now
			}
			// Until FinishImport: the day of the first consent, as
			// CreatePerson does.
			first := created
			for _, c := range ip.Consents {
				if c.Scope == maillon.ConsentDossier && c.GivenAt.Before(first) {
					first = c.GivenAt
				}
			}
			p.LastContactAt = first
			if err := persons.add(ctx, int64(p.ID), int64(p.StructureID), p.FirstName, p.LastName, p.Pseudonym, p.BirthYear,
				p.AgeBand, p.Gender, p.Phone, p.Email, optID(p.CommuneID), optID(p.ZoneID), p.Languages, p.InterpreterNeeded,
				strings.Join(p.AccessNeeds, ","), p.AccessText, p.Household, p.Housing, p.Activity, p.Nationality,
				optID(p.ReferentID), optID(p.TeamID), p.Archived, personSearchText(p), personSortKey(p), first, created,
				created, optID(ip.CreatedBy)); err != nil {
				return err
			}
			for _, c := range ip.Consents {
				recorded := c.RecordedAt
				if recorded.IsZero() {
					recorded = created
				}
				if err := consents.add(ctx, int64(p.StructureID), int64(p.ID), c.Scope, c.Method, c.GivenAt,
					optID(c.RecordedBy), recorded, c.WithdrawnAt, optID(c.WithdrawnBy)); err != nil {
					return err
				}
			}
			for _, a := range ip.Autonomy {
				if err := autonomy.add(ctx, int64(p.StructureID), int64(p.ID), a.AssessedAt, strings.Join(a.Equipment, ","),
					orUnknown(a.Internet), orUnknown(a.HasEmail), orUnknown(a.FranceConnect), a.Level, optID(a.RecordedBy),
					created); err != nil {
					return err
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "persons"); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "person", len(people), func(i int) maillon.StructureID { return people[i].Person.StructureID })
	})
}

// auditImport leaves one row per structure of the batch, with the number
// of its records as record ID, so each structure's administrators see it.
func (t *tx) auditImport(ctx context.Context, actor maillon.Actor, recordType string, n int, sid func(int) maillon.StructureID) error {
	counts := map[maillon.StructureID]int64{}
	var order []maillon.StructureID
	for i := range n {
		s := sid(i)
		if counts[s] == 0 {
			order = append(order, s)
		}
		counts[s]++
	}
	for _, s := range order {
		if err := t.audit(ctx, actor, auditRow{structureID: s, action: maillon.AuditImport, recordType: recordType, recordID: counts[s]}); err != nil {
			return err
		}
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "inconnu"
	}
	return s
}

// ImportInterventions implements maillon.Importer.
func (s *Store) ImportInterventions(ctx context.Context, actor maillon.Actor, ivs []maillon.Intervention) (err error) {
	defer wrap(&err, "ImportInterventions")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range ivs {
		if err := ivs[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(ivs) == 0 {
		return nil
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "interventions", "procedures")
		if err != nil {
			return err
		}
		nextIV, nextProc := ids[0], ids[1]
		interventions := t.newBatch("interventions", true, "id", "structure_id", "start_at", "minutes", "outside_hours",
			"place_type", "commune_id", "zone_id", "place_label", "registre", "initiative", "institutions", "commanditaire",
			"description", "outcome", "next_step", "documents", "follow_up_on", "follow_up_done", "created_by", "created_at",
			"updated_at")
		mediators := t.newBatch("intervention_mediators", false, "intervention_id", "user_id")
		registres := t.newBatch("intervention_registres", false, "intervention_id", "registre")
		themes := t.newBatch("intervention_themes", false, "intervention_id", "theme")
		persons := t.newBatch("intervention_persons", false, "intervention_id", "person_id")
		anonymous := t.newBatch("intervention_anonymous", false, "intervention_id", "age_band", "gender", "count")
		procedures := t.newBatch("procedures", true, "id", "structure_id", "intervention_id", "person_id", "organisme",
			"type_id", "label", "channel", "mode", "mandate", "outcome", "autonomy_level")
		obstacles := t.newBatch("procedure_obstacles", false, "procedure_id", "obstacle")
		autonomy := t.newBatch("autonomy_assessments", false, "structure_id", "person_id", "assessed_at", "equipment",
			"internet", "has_email", "franceconnect", "level", "recorded_by", "procedure_id", "created_at")
		for _, b := range []*batch{mediators, registres, themes, persons, anonymous, procedures} {
			b.parent = interventions
		}
		obstacles.parent, autonomy.parent = procedures, procedures
		all := batches{interventions, mediators, registres, themes, persons, anonymous, procedures, obstacles, autonomy}
		defer all.close()
		structures := map[maillon.StructureID]*maillon.Structure{}
		for i := range ivs {
			iv := &ivs[i]
			st := structures[iv.StructureID]
			if st == nil {
				if st, err = t.structureByID(ctx, iv.StructureID); err != nil {
					return err
				}
				structures[iv.StructureID] = st
			}
			iv.ID = maillon.InterventionID(nextIV)
			nextIV++
			iv.OutsideHours = st.OutsideOfficeHours(iv.StartAt)
			created := iv.CreatedAt
			if created.IsZero() {
				created = iv.EndAt()
			}
			id, sid := int64(iv.ID), int64(iv.StructureID)
			if err := interventions.add(ctx, id, sid, iv.StartAt, iv.Minutes, iv.OutsideHours, iv.PlaceType,
				optID(iv.CommuneID), optID(iv.ZoneID), iv.PlaceLabel, iv.Registre, iv.Initiative, iv.Institutions,
				iv.Commanditaire, iv.Description, iv.Outcome, iv.NextStep, iv.Documents, iv.FollowUpOn, iv.FollowUpDone,
				optID(iv.CreatedBy), created, created); err != nil {
				return err
			}
			for _, u := range distinct(iv.Mediators) {
				if err := mediators.add(ctx, id, int64(u)); err != nil {
					return err
				}
			}
			for _, r := range distinct(append([]string{iv.Registre}, iv.Registres...)) {
				if err := registres.add(ctx, id, r); err != nil {
					return err
				}
			}
			for _, th := range distinct(iv.Themes) {
				if err := themes.add(ctx, id, th); err != nil {
					return err
				}
			}
			var named []maillon.PersonID
			for _, p := range iv.Persons {
				named = append(named, p.ID)
			}
			for _, p := range distinct(named) {
				if err := persons.add(ctx, id, int64(p)); err != nil {
					return err
				}
			}
			seen := map[[2]string]bool{}
			for _, a := range iv.Anonymous {
				k := [2]string{a.AgeBand, a.Gender}
				if seen[k] {
					return maillon.Errorf(maillon.ErrInvalid, "Une tranche d'âge et un genre apparaissent deux fois dans les personnes comptées.")
				}
				seen[k] = true
				if err := anonymous.add(ctx, id, a.AgeBand, a.Gender, a.Count); err != nil {
					return err
				}
			}
			day := maillon.JournalDate(iv.StartAt)
			for j := range iv.Procedures {
				p := &iv.Procedures[j]
				p.ID, p.InterventionID = maillon.ProcedureID(nextProc), iv.ID
				nextProc++
				if err := procedures.add(ctx, int64(p.ID), sid, id, optID(p.PersonID), p.Organisme, optID(p.TypeID), p.Label,
					p.Channel, p.Mode, p.Mandate, p.Outcome, p.AutonomyLevel); err != nil {
					return err
				}
				for _, o := range distinct(p.Obstacles) {
					if err := obstacles.add(ctx, int64(p.ID), o); err != nil {
						return err
					}
				}
				// As writeInterventionLinks: a level observed during a
				// procedure extends the person's trajectory.
				if p.AutonomyLevel > 0 && p.PersonID != 0 {
					if err := autonomy.add(ctx, sid, int64(p.PersonID), day, "", "inconnu", "inconnu", "inconnu",
						p.AutonomyLevel, optID(iv.CreatedBy), int64(p.ID), created); err != nil {
						return err
					}
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "interventions", "procedures"); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "intervention", len(ivs), func(i int) maillon.StructureID { return ivs[i].StructureID })
	})
}

// distinct drops repeated values, keeping the first of each.
func distinct[T comparable](list []T) []T {
	if len(list) < 2 {
		return list
	}
	out := make([]T, 0, len(list))
	for _, v := range list {
		if !containsID(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// FinishImport implements maillon.Importer.
func (s *Store) FinishImport(ctx context.Context, actor maillon.Actor) (err error) {
	defer wrap(&err, "FinishImport")
	if err := checkImporter(actor); err != nil {
		return err
	}
	err = s.write(ctx, func(t *tx) error {
		// The rule of writeInterventionLinks, over every record at once:
		// the last contact is the latest intervention the person started.
		_, err := t.exec(ctx, `update persons set last_contact_at = m.last
			from (select ip.person_id, max(i.start_at) as last
				from intervention_persons ip join interventions i on i.id = ip.intervention_id
				where i.initiative = ? group by ip.person_id) m
			where m.person_id = persons.id and (persons.last_contact_at is null or persons.last_contact_at < m.last)`, "personne")
		return err
	})
	if err != nil {
		return err
	}
	// Fresh statistics, so the planner knows the tables' new sizes. Both
	// engines take the same statement.
	if _, err := s.writer.ExecContext(ctx, "analyze"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
