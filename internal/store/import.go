package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"time"

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

// importTable is a table an import writes, with the columns it fills.
type importTable struct {
	name       string
	explicitID bool // the import gives the IDs
	cols       []string
}

func (it importTable) key() string { return it.name + "(" + strings.Join(it.cols, ",") + ")" }

// rowsPer is the number of rows of a full multi-row statement.
func (it importTable) rowsPer() int { return max(1, maxBatchParams/len(it.cols)) }

// sizes lists the statement sizes of the table: full, then the powers of
// two below.
func (it importTable) sizes() []int {
	out := []int{it.rowsPer()}
	for n := 1; n < it.rowsPer(); n *= 2 {
		out = append(out, n)
	}
	return out
}

// The tables of an import, with the columns it writes.
var (
	importPersons = importTable{"persons", true, []string{"id", "structure_id", "first_name", "last_name", "pseudonym",
		"birth_year", "age_band", "gender", "phone", "email", "commune_id", "zone_id", "languages", "interpreter_needed",
		"access_needs", "access_text", "household", "housing", "activity", "nationality", "referent_id", "team_id", "archived",
		"search_text", "sort_key", "last_contact_at", "created_at", "updated_at", "created_by"}}
	importConsents = importTable{"consents", false, []string{"structure_id", "person_id", "scope", "method", "given_at",
		"recorded_by", "recorded_at", "withdrawn_at", "withdrawn_by"}}
	importProfiles = importTable{"autonomy_assessments", false, []string{"structure_id", "person_id", "assessed_at",
		"equipment", "internet", "has_email", "franceconnect", "level", "recorded_by", "created_at"}}
	importInterventions = importTable{"interventions", true, []string{"id", "structure_id", "start_at", "minutes",
		"outside_hours", "place_type", "commune_id", "zone_id", "place_label", "registre", "initiative", "institutions",
		"commanditaire", "description", "outcome", "next_step", "documents", "follow_up_on", "follow_up_done", "created_by",
		"created_at", "updated_at"}}
	importMediators  = importTable{"intervention_mediators", false, []string{"intervention_id", "user_id"}}
	importRegistres  = importTable{"intervention_registres", false, []string{"intervention_id", "registre"}}
	importThemes     = importTable{"intervention_themes", false, []string{"intervention_id", "theme"}}
	importNamed      = importTable{"intervention_persons", false, []string{"intervention_id", "person_id"}}
	importAnonymous  = importTable{"intervention_anonymous", false, []string{"intervention_id", "age_band", "gender", "count"}}
	importProcedures = importTable{"procedures", true, []string{"id", "structure_id", "intervention_id", "person_id",
		"organisme", "type_id", "label", "channel", "mode", "mandate", "outcome", "autonomy_level"}}
	importObstacles = importTable{"procedure_obstacles", false, []string{"procedure_id", "obstacle"}}
	importObserved  = importTable{"autonomy_assessments", false, []string{"structure_id", "person_id", "assessed_at",
		"equipment", "internet", "has_email", "franceconnect", "level", "recorded_by", "procedure_id", "created_at"}}
)

// batch accumulates rows of one table and inserts them several hundred at
// a time.
type batch struct {
	t    *tx
	head string // "insert into table (cols) [overriding…] values "
	cols int
	per  int // rows per full statement
	// stmts holds the statements by number of rows: the full one and
	// every power of two below, prepared for the whole import, so that
	// the rows left at the end need no statement parsed for them.
	stmts map[int]*sql.Stmt
	args  []any
	// parent is the batch of the rows these rows point to: it is written
	// first, for the foreign keys.
	parent *batch
}

func (it importTable) head(d dialect) string {
	head := "insert into " + it.name + " (" + strings.Join(it.cols, ", ") + ") "
	if it.explicitID {
		head += d.insertExplicitID() + " "
	}
	return head + "values "
}

// newBatch starts a batch of table in t, with the full statement taken
// from stmts (prepared by importStatements).
func (t *tx) newBatch(ctx context.Context, it importTable, stmts map[string]*sql.Stmt) *batch {
	per := it.rowsPer()
	b := &batch{t: t, head: it.head(t.d), cols: len(it.cols), per: per, stmts: map[int]*sql.Stmt{},
		args: make([]any, 0, per*len(it.cols))}
	for _, n := range it.sizes() {
		b.stmts[n] = t.tx.StmtContext(ctx, stmts[it.key()+strconv.Itoa(n)])
	}
	return b
}

// importStatements prepares, once per Store, the full multi-row statement
// of each table: parsing a statement of thousands of parameters costs more
// than running it, and an import runs it thousands of times. They are
// prepared outside the import's transaction: SQLite's writer has one
// connection, and the transaction reuses the statement prepared on it.
func (s *Store) importStatements(ctx context.Context, tables ...importTable) (map[string]*sql.Stmt, error) {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	if s.importStmts == nil {
		s.importStmts = map[string]*sql.Stmt{}
	}
	out := map[string]*sql.Stmt{}
	for _, it := range tables {
		for _, n := range it.sizes() {
			key := it.key() + strconv.Itoa(n)
			st, ok := s.importStmts[key]
			if !ok {
				q := batchQuery(s.d, it.head(s.d), len(it.cols), n)
				var err error
				if st, err = s.writer.PrepareContext(ctx, q); err != nil {
					return nil, wrapQuery(q, err)
				}
				s.importStmts[key] = st
			}
			out[key] = st
		}
	}
	return out, nil
}

func batchQuery(d dialect, head string, cols, rows int) string {
	var q strings.Builder
	q.Grow(len(head) + rows*(cols*3+4))
	q.WriteString(head)
	row := "(" + strings.Repeat("?, ", cols-1) + "?)"
	for i := 0; i < rows; i++ {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString(row)
	}
	return d.rebind(q.String())
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
	// A full batch, or the rest in statements of decreasing powers of
	// two.
	args := b.args
	for len(args) > 0 {
		n := len(args) / b.cols
		if n != b.per {
			n = 1 << (bits.Len(uint(n)) - 1)
		}
		if _, err := b.stmts[n].ExecContext(ctx, args[:n*b.cols]...); err != nil {
			b.args = b.args[:0]
			return wrapQuery(b.head, err)
		}
		args = args[n*b.cols:]
	}
	b.args = b.args[:0]
	return nil
}

func (b *batch) close() {
	for _, st := range b.stmts {
		st.Close()
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

// nextIDs locks the tables and returns the first free ID of each.
func (t *tx) nextIDs(ctx context.Context, tables ...string) ([]int64, error) {
	if q := t.d.importCache(true); q != "" {
		if _, err := t.exec(ctx, q); err != nil {
			return nil, err
		}
	}
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
	stmts, err := s.importStatements(ctx, importPersons, importConsents, importProfiles)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "persons")
		if err != nil {
			return err
		}
		next := ids[0]
		persons := t.newBatch(ctx, importPersons, stmts)
		consents := t.newBatch(ctx, importConsents, stmts)
		autonomy := t.newBatch(ctx, importProfiles, stmts)
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
	stmts, err := s.importStatements(ctx, importInterventions, importMediators, importRegistres, importThemes, importNamed,
		importAnonymous, importProcedures, importObstacles, importObserved)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "interventions", "procedures")
		if err != nil {
			return err
		}
		nextIV, nextProc := ids[0], ids[1]
		// The report's summary: the triggers are paused and the import's
		// days marked once each (report_days.go).
		marks := map[reportMark]bool{}
		for i := range ivs {
			marks[reportMark{ivs[i].StructureID, ivs[i].StartAt.UTC().Format(time.DateOnly)}] = true
		}
		if err := t.pauseReportMarks(ctx, marks); err != nil {
			return err
		}
		interventions := t.newBatch(ctx, importInterventions, stmts)
		mediators := t.newBatch(ctx, importMediators, stmts)
		registres := t.newBatch(ctx, importRegistres, stmts)
		themes := t.newBatch(ctx, importThemes, stmts)
		persons := t.newBatch(ctx, importNamed, stmts)
		anonymous := t.newBatch(ctx, importAnonymous, stmts)
		procedures := t.newBatch(ctx, importProcedures, stmts)
		obstacles := t.newBatch(ctx, importObstacles, stmts)
		autonomy := t.newBatch(ctx, importObserved, stmts)
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
		if err := t.resumeReportMarks(ctx); err != nil {
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
		if err != nil {
			return err
		}
		for _, q := range t.d.afterImport() {
			if _, err := t.exec(ctx, q); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The report's summary of everything imported, so that the first
	// report is as fast as the next ones.
	if err := s.refreshAllReportDays(ctx); err != nil {
		return err
	}
	// Fresh statistics, so the planner knows the tables' new sizes. Both
	// engines take the same statement.
	if _, err := s.writer.ExecContext(ctx, "analyze"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	if q := s.d.importCache(false); q != "" {
		if _, err := s.writer.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("import cache: %w", err)
		}
	}
	return nil
}
