package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"maillon"
)

// checkInterventionRefs verifies everything an intervention points to
// belongs to the structure: mediators (active), place, people (with an
// active dossier consent, not archived) and catalogue entries.
//
// On an update, people and mediators already on the record stay allowed:
// a consent withdrawn or an account deactivated later does not rewrite the
// past.
func (t *tx) checkInterventionRefs(ctx context.Context, sid maillon.StructureID, in *maillon.InterventionInput, old *maillon.Intervention) error {
	var fe maillon.FieldErrors
	var oldPersons []maillon.PersonID
	var oldMediators []maillon.UserID
	if old != nil {
		oldMediators = old.Mediators
		for _, p := range old.Persons {
			oldPersons = append(oldPersons, p.ID)
		}
	}
	for _, uid := range in.Mediators {
		if containsID(oldMediators, uid) {
			continue
		}
		ok, err := t.checkMember(ctx, sid, uid)
		if err != nil {
			return err
		}
		if !ok {
			fe.Add("mediators", "Choisissez des membres actifs de la structure.")
		}
	}
	if err := t.checkPlace(ctx, sid, in.CommuneID, in.ZoneID, &fe); err != nil {
		return err
	}
	for _, pid := range in.Persons {
		var archived bool
		var psid maillon.StructureID
		err := t.one(ctx, "select structure_id, archived from persons where id = ?", []any{pid}, &psid, &archived)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && psid != sid) {
			fe.Add("persons", "Une des personnes choisies n'existe pas dans la structure.")
			continue
		}
		if err != nil {
			return err
		}
		if containsID(oldPersons, pid) {
			continue
		}
		ok, err := t.hasActiveConsent(ctx, pid, maillon.ConsentDossier)
		if err != nil {
			return err
		}
		if !ok || archived {
			fe.Add("persons", "Une des personnes n'a pas (ou plus) donné son accord pour un dossier nominatif, ou son dossier est archivé : comptez-la de façon anonyme.")
		}
	}
	for i, p := range in.Procedures {
		if p.TypeID != 0 {
			var n int
			if err := t.one(ctx, "select count(*) from procedure_types where id = ? and structure_id = ? and organisme = ?",
				[]any{p.TypeID, sid, p.Organisme}, &n); err != nil {
				return err
			}
			if n == 0 {
				fe.Add(maillon.ProcedureField(i, "type_id"), "Choisissez une démarche du catalogue de cet organisme.")
			}
		}
		if p.PersonID != 0 && !containsID(in.Persons, p.PersonID) {
			fe.Add(maillon.ProcedureField(i, "person_id"), "La personne de la démarche doit faire partie des personnes de l'intervention.")
		}
	}
	return fe.Err()
}

func containsID[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// CreateIntervention implements maillon.InterventionService.
func (s *Store) CreateIntervention(ctx context.Context, actor maillon.Actor, in maillon.InterventionInput) (iv *maillon.Intervention, err error) {
	defer wrap(&err, "CreateIntervention")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	var id int64
	err = s.write(ctx, func(t *tx) error {
		start, minutes, followUp, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.checkInterventionRefs(ctx, actor.StructureID, &in, nil); err != nil {
			return err
		}
		st, err := t.structureByID(ctx, actor.StructureID)
		if err != nil {
			return err
		}
		id, err = t.insert(ctx, `insert into interventions
			(structure_id, start_at, minutes, outside_hours, place_type, commune_id, zone_id, place_label, registre,
			initiative, institutions, commanditaire, description, outcome, next_step, documents, follow_up_on,
			follow_up_done, created_by, created_at, updated_at)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			returning id`,
			actor.StructureID, start, minutes, st.OutsideOfficeHours(start), in.PlaceType, optID(in.CommuneID),
			optID(in.ZoneID), in.PlaceLabel, in.Registre, in.Initiative, in.Institutions, in.Commanditaire,
			in.Description, in.Outcome, in.NextStep, in.Documents, followUp, false, optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		if err := t.writeInterventionLinks(ctx, actor, maillon.InterventionID(id), start, &in); err != nil {
			return err
		}
		if _, err := t.writeInterventionDirectory(ctx, actor.StructureID, maillon.InterventionID(id), &in, nil); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditInterventionCreate, recordType: "intervention", recordID: id}); err != nil {
			return err
		}
		for _, pid := range in.Persons {
			if err := t.audit(ctx, actor, auditRow{action: maillon.AuditInterventionCreate, recordType: "person", recordID: int64(pid)}); err != nil {
				return err
			}
		}
		iv, err = t.interventionByID(ctx, actor, maillon.InterventionID(id))
		return err
	})
	if err != nil {
		return nil, err
	}
	sortCodes(iv)
	return iv, nil
}

// sortCodes puts the codes of link tables in list order.
func sortCodes(iv *maillon.Intervention) {
	iv.Themes, _ = maillon.Themes.CleanSet(iv.Themes)
	iv.Registres, _ = maillon.Registres.CleanSet(iv.Registres)
	for i := range iv.Procedures {
		iv.Procedures[i].Obstacles, _ = maillon.Obstacles.CleanSet(iv.Procedures[i].Obstacles)
	}
}

// writeInterventionLinks (re)writes the link tables and procedures of an
// intervention, and moves the last-contact date of the people when they
// started the contact.
func (t *tx) writeInterventionLinks(ctx context.Context, actor maillon.Actor, id maillon.InterventionID, start time.Time, in *maillon.InterventionInput) error {
	for _, q := range []string{
		"delete from intervention_mediators where intervention_id = ?",
		"delete from intervention_registres where intervention_id = ?",
		"delete from intervention_themes where intervention_id = ?",
		"delete from intervention_persons where intervention_id = ?",
		"delete from intervention_anonymous where intervention_id = ?",
		"delete from procedures where intervention_id = ?",
	} {
		if _, err := t.exec(ctx, q, id); err != nil {
			return err
		}
	}
	for _, uid := range in.Mediators {
		if _, err := t.exec(ctx, "insert into intervention_mediators (intervention_id, user_id) values (?, ?)", id, uid); err != nil {
			return err
		}
	}
	for _, r := range append([]string{in.Registre}, in.Registres...) {
		if _, err := t.exec(ctx, "insert into intervention_registres (intervention_id, registre) values (?, ?)", id, r); err != nil {
			return err
		}
	}
	for _, th := range in.Themes {
		if _, err := t.exec(ctx, "insert into intervention_themes (intervention_id, theme) values (?, ?)", id, th); err != nil {
			return err
		}
	}
	for _, pid := range in.Persons {
		if _, err := t.exec(ctx, "insert into intervention_persons (intervention_id, person_id) values (?, ?)", id, pid); err != nil {
			return err
		}
		if in.Initiative == "personne" {
			// The retention clock runs from the last contact the person
			// started (CNIL délibération 2023-095).
			if _, err := t.exec(ctx, `update persons set last_contact_at = ?
				where id = ? and (last_contact_at is null or last_contact_at < ?)`, start, pid, start); err != nil {
				return err
			}
		}
	}
	for _, a := range in.Anonymous {
		if _, err := t.exec(ctx, "insert into intervention_anonymous (intervention_id, age_band, gender, count) values (?, ?, ?, ?)",
			id, a.AgeBand, a.Gender, a.Count); err != nil {
			return err
		}
	}
	for _, p := range in.Procedures {
		level := 0
		if p.AutonomyLevel != "" {
			level = int(p.AutonomyLevel[0] - '0')
		}
		pid, err := t.insert(ctx, `insert into procedures
			(structure_id, intervention_id, person_id, organisme, type_id, label, channel, mode, mandate, outcome, autonomy_level)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, id, optID(p.PersonID), p.Organisme, optID(p.TypeID), p.Label, p.Channel, p.Mode, p.Mandate,
			p.Outcome, level)
		if err != nil {
			return err
		}
		for _, o := range p.Obstacles {
			if _, err := t.exec(ctx, "insert into procedure_obstacles (procedure_id, obstacle) values (?, ?)", pid, o); err != nil {
				return err
			}
		}
		// An autonomy level observed during a procedure extends the
		// person's trajectory.
		if level > 0 && p.PersonID != 0 {
			day := time.Date(maillon.InParis(start).Year(), maillon.InParis(start).Month(), maillon.InParis(start).Day(), 0, 0, 0, 0, maillon.Paris)
			if err := t.insertAutonomy(ctx, actor, actor.StructureID, p.PersonID, day,
				maillon.AutonomyInput{Internet: "inconnu", HasEmail: "inconnu", FranceConnect: "inconnu"}, level, maillon.ProcedureID(pid)); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateIntervention implements maillon.InterventionService.
func (s *Store) UpdateIntervention(ctx context.Context, actor maillon.Actor, id maillon.InterventionID, in maillon.InterventionInput) (err error) {
	defer wrap(&err, "UpdateIntervention")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.interventionByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if !containsID(old.Mediators, actor.UserID) && !actor.CanViewTeamData(old.StructureID) {
			return maillon.Forbidden()
		}
		start, minutes, followUp, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.checkInterventionRefs(ctx, old.StructureID, &in, old); err != nil {
			return err
		}
		st, err := t.structureByID(ctx, old.StructureID)
		if err != nil {
			return err
		}
		// Autonomy levels observed by this intervention's procedures are
		// rewritten with them.
		if _, err := t.exec(ctx, `delete from autonomy_assessments where procedure_id in
			(select id from procedures where intervention_id = ?)`, id); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `update interventions set start_at = ?, minutes = ?, outside_hours = ?, place_type = ?,
			commune_id = ?, zone_id = ?, place_label = ?, registre = ?, initiative = ?, institutions = ?, commanditaire = ?,
			description = ?, outcome = ?, next_step = ?, documents = ?, follow_up_on = ?, updated_at = ?
			where id = ?`,
			start, minutes, st.OutsideOfficeHours(start), in.PlaceType, optID(in.CommuneID), optID(in.ZoneID), in.PlaceLabel,
			in.Registre, in.Initiative, in.Institutions, in.Commanditaire, in.Description, in.Outcome, in.NextStep, in.Documents, followUp,
			t.now, id); err != nil {
			return err
		}
		if err := t.writeInterventionLinks(ctx, actor, id, start, &in); err != nil {
			return err
		}
		dirChanges, err := t.writeInterventionDirectory(ctx, old.StructureID, id, &in, old)
		if err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditInterventionUpdate, recordType: "intervention", recordID: int64(id),
			fields: append(interventionChanges(old, start, minutes, followUp, &in), dirChanges...)})
	})
}

func interventionChanges(old *maillon.Intervention, start time.Time, minutes int, followUp time.Time, in *maillon.InterventionInput) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	var oldPersons []maillon.PersonID
	for _, p := range old.Persons {
		oldPersons = append(oldPersons, p.ID)
	}
	add("start", !old.StartAt.Equal(start))
	add("minutes", old.Minutes != minutes)
	add("mediators", !sameSet(old.Mediators, in.Mediators))
	add("place", old.PlaceType != in.PlaceType || old.CommuneID != in.CommuneID || old.ZoneID != in.ZoneID || old.PlaceLabel != in.PlaceLabel)
	add("registre", old.Registre != in.Registre || !sameSet(old.Registres, in.Registres))
	add("themes", !sameSet(old.Themes, in.Themes))
	add("initiative", old.Initiative != in.Initiative)
	add("persons", !sameSet(oldPersons, in.Persons))
	add("anonymous", anonymousKey(old.Anonymous) != anonymousKey(in.Anonymous))
	add("institutions", old.Institutions != in.Institutions || old.Commanditaire != in.Commanditaire)
	add("description", old.Description != in.Description)
	add("outcome", old.Outcome != in.Outcome)
	add("next_step", old.NextStep != in.NextStep || !old.FollowUpOn.Equal(followUp) || old.Documents != in.Documents)
	var oldProcs, newProcs []string
	for _, p := range old.Procedures {
		oldProcs = append(oldProcs, procedureKey(p.PersonID, p.Organisme, p.TypeID, p.Label, p.Channel, p.Mode, p.Mandate, p.Obstacles, p.Outcome, p.AutonomyLevel))
	}
	for _, p := range in.Procedures {
		level := 0
		if p.AutonomyLevel != "" {
			level = int(p.AutonomyLevel[0] - '0')
		}
		newProcs = append(newProcs, procedureKey(p.PersonID, p.Organisme, p.TypeID, p.Label, p.Channel, p.Mode, p.Mandate, p.Obstacles, p.Outcome, level))
	}
	add("procedures", strings.Join(oldProcs, "|") != strings.Join(newProcs, "|"))
	return out
}

// sameSet compares two lists ignoring order and duplicates.
func sameSet[T cmp.Ordered](a, b []T) bool {
	sa, sb := slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b)))
	return slices.Equal(sa, sb)
}

func anonymousKey(list []maillon.AnonymousCount) string {
	parts := make([]string, len(list))
	for i, a := range list {
		parts[i] = fmt.Sprintf("%s/%s/%d", a.AgeBand, a.Gender, a.Count)
	}
	slices.Sort(parts)
	return strings.Join(parts, ",")
}

func procedureKey(person maillon.PersonID, org string, typeID maillon.ProcedureTypeID, label, channel, mode string, mandate bool, obstacles []string, outcome string, level int) string {
	obs := slices.Sorted(slices.Values(obstacles))
	return fmt.Sprint(person, org, typeID, label, channel, mode, mandate, obs, outcome, level)
}

const selectInterventions = `select i.id, i.structure_id, i.start_at, i.minutes, i.outside_hours, i.place_type, i.commune_id,
	i.zone_id, coalesce(c.name, ''), coalesce(z.name, ''), i.place_label, i.registre, i.initiative, i.institutions,
	i.commanditaire, i.description, i.outcome, i.next_step, i.documents, i.follow_up_on, i.follow_up_done, i.created_by,
	i.created_at, i.updated_at
from interventions i
left join communes c on c.id = i.commune_id
left join zones z on z.id = i.zone_id`

func scanIntervention(scan func(...any) error, extra ...any) (maillon.Intervention, error) {
	var iv maillon.Intervention
	err := scan(append([]any{&iv.ID, &iv.StructureID, timeCol{&iv.StartAt}, &iv.Minutes, &iv.OutsideHours, &iv.PlaceType,
		scanID(&iv.CommuneID), scanID(&iv.ZoneID), &iv.CommuneName, &iv.ZoneName, &iv.PlaceLabel, &iv.Registre,
		&iv.Initiative, &iv.Institutions, &iv.Commanditaire, &iv.Description, &iv.Outcome, &iv.NextStep, &iv.Documents,
		timeCol{&iv.FollowUpOn}, &iv.FollowUpDone, scanID(&iv.CreatedBy), timeCol{&iv.CreatedAt}, timeCol{&iv.UpdatedAt}},
		extra...)...)
	return iv, err
}

// interventionByID loads an intervention with its links, or ErrNotFound.
func (t *tx) interventionByID(ctx context.Context, actor maillon.Actor, id maillon.InterventionID) (*maillon.Intervention, error) {
	q := selectInterventions + " where i.id = ?"
	iv, err := scanIntervention(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(iv.StructureID)) {
		return nil, maillon.NotFound("Intervention")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	list := []maillon.Intervention{iv}
	if err := t.loadInterventionLinks(ctx, list); err != nil {
		return nil, err
	}
	if err := t.loadInterventionDirectory(ctx, &list[0]); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// loadInterventionLinks fills mediators, registres, themes, people,
// anonymous counts and procedures of a page of interventions, one query
// per link table.
func (t *tx) loadInterventionLinks(ctx context.Context, list []maillon.Intervention) error {
	if len(list) == 0 {
		return nil
	}
	idx := map[maillon.InterventionID]int{}
	args := make([]any, len(list))
	for i, iv := range list {
		idx[iv.ID] = i
		args[i] = int64(iv.ID)
	}
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(list)), ", ") + ")"
	err := t.interventionMediators(ctx, args, func(id maillon.InterventionID, uid maillon.UserID, name string) {
		iv := &list[idx[id]]
		iv.Mediators = append(iv.Mediators, uid)
		iv.MediatorNames = append(iv.MediatorNames, name)
	})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select intervention_id, registre from intervention_registres where intervention_id in "+in, args,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var reg string
			if err := r.Scan(&id, &reg); err != nil {
				return err
			}
			iv := &list[idx[id]]
			if reg != iv.Registre {
				iv.Registres = append(iv.Registres, reg)
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select intervention_id, theme from intervention_themes where intervention_id in "+in, args,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var th string
			if err := r.Scan(&id, &th); err != nil {
				return err
			}
			list[idx[id]].Themes = append(list[idx[id]].Themes, th)
			return nil
		})
	if err != nil {
		return err
	}
	err = t.interventionPersons(ctx, args, func(id maillon.InterventionID, p maillon.PersonRef) {
		list[idx[id]].Persons = append(list[idx[id]].Persons, p)
	})
	if err != nil {
		return err
	}
	err = t.many(ctx, "select intervention_id, age_band, gender, count from intervention_anonymous where intervention_id in "+in+
		" order by intervention_id, age_band, gender", args,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var a maillon.AnonymousCount
			if err := r.Scan(&id, &a.AgeBand, &a.Gender, &a.Count); err != nil {
				return err
			}
			list[idx[id]].Anonymous = append(list[idx[id]].Anonymous, a)
			return nil
		})
	if err != nil {
		return err
	}
	procIdx := map[maillon.ProcedureID][2]int{}
	err = t.many(ctx, `select p.id, p.intervention_id, p.person_id, p.organisme, p.type_id, coalesce(pt.label, ''), p.label,
		p.channel, p.mode, p.mandate, p.outcome, p.autonomy_level
		from procedures p left join procedure_types pt on pt.id = p.type_id
		where p.intervention_id in `+in+` order by p.intervention_id, p.id`, args,
		func(r *sql.Rows) error {
			var p maillon.Procedure
			if err := r.Scan(&p.ID, &p.InterventionID, scanID(&p.PersonID), &p.Organisme, scanID(&p.TypeID), &p.TypeLabel,
				&p.Label, &p.Channel, &p.Mode, &p.Mandate, &p.Outcome, &p.AutonomyLevel); err != nil {
				return err
			}
			i := idx[p.InterventionID]
			procIdx[p.ID] = [2]int{i, len(list[i].Procedures)}
			list[i].Procedures = append(list[i].Procedures, p)
			return nil
		})
	if err != nil || len(procIdx) == 0 {
		return err
	}
	return t.many(ctx, `select o.procedure_id, o.obstacle from procedure_obstacles o
		join procedures p on p.id = o.procedure_id where p.intervention_id in `+in+` order by o.procedure_id, o.obstacle`, args,
		func(r *sql.Rows) error {
			var pid maillon.ProcedureID
			var o string
			if err := r.Scan(&pid, &o); err != nil {
				return err
			}
			at := procIdx[pid]
			p := &list[at[0]].Procedures[at[1]]
			p.Obstacles = append(p.Obstacles, o)
			return nil
		})
}

// FindInterventionByID implements maillon.InterventionService. Opening an
// intervention that names people is a read of their data, so it is
// audited.
func (s *Store) FindInterventionByID(ctx context.Context, actor maillon.Actor, id maillon.InterventionID) (iv *maillon.Intervention, err error) {
	defer wrap(&err, "FindInterventionByID")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		iv, err = t.interventionByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if iv.History, err = t.recordHistory(ctx, iv.StructureID, "intervention", int64(id),
			maillon.AuditInterventionCreate, maillon.AuditInterventionUpdate, maillon.AuditFollowUpChange); err != nil {
			return err
		}
		if len(iv.Persons) == 0 {
			return nil
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditInterventionRead, recordType: "intervention", recordID: int64(id)})
	})
	if err == nil {
		sortCodes(iv)
	}
	return iv, err
}

// FindInterventions implements maillon.InterventionService.
func (s *Store) FindInterventions(ctx context.Context, actor maillon.Actor, f maillon.InterventionFilter) (out []maillon.Intervention, total int, err error) {
	defer wrap(&err, "FindInterventions")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	w := interventionWhere(actor, f)
	limit := pageLimit(f.Limit, 50, 500)
	q := strings.Replace(selectInterventions, "from interventions i", ", count(*) over ()\nfrom interventions i", 1) +
		"\n" + w.String() + "\norder by i.start_at desc, i.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			iv, err := scanIntervention(r.Scan, &total)
			out = append(out, iv)
			return err
		})
		if err != nil {
			return err
		}
		return t.loadInterventionLinks(ctx, out)
	})
	return out, total, err
}

// interventionWhere builds the filter shared by lists and summaries.
func interventionWhere(actor maillon.Actor, f maillon.InterventionFilter) *whereBuilder {
	var w whereBuilder
	w.add("i.structure_id = ?", actor.StructureID)
	switch {
	case f.MediatorID != 0 && !f.From.IsZero():
		// A bounded period (the home page's week) holds few interventions:
		// checking each one's mediators beats listing all the mediator's
		// interventions (thousands after a few years) on every request.
		w.add("exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)", f.MediatorID)
	case f.MediatorID != 0:
		w.add("i.id in (select intervention_id from intervention_mediators where user_id = ?)", f.MediatorID)
	}
	if f.TeamID != 0 {
		w.add("i.id in (select m.intervention_id from intervention_mediators m join users u on u.id = m.user_id where u.team_id = ?)", f.TeamID)
	}
	if f.PersonID != 0 {
		w.add("i.id in (select intervention_id from intervention_persons where person_id = ?)", f.PersonID)
	}
	if !f.From.IsZero() {
		w.add("i.start_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("i.start_at < ?", f.To)
	}
	return &w
}

// SummarizeInterventions implements maillon.InterventionService.
func (s *Store) SummarizeInterventions(ctx context.Context, actor maillon.Actor, f maillon.InterventionFilter) (sum maillon.ActivitySummary, err error) {
	defer wrap(&err, "SummarizeInterventions")
	if err := actor.Check(); err != nil {
		return sum, err
	}
	w := interventionWhere(actor, f)
	err = s.readEach(ctx, func(t *tx) error {
		return t.one(ctx, `select count(*), coalesce(sum(i.minutes), 0),
			coalesce(sum(case when i.outside_hours then 1 else 0 end), 0)
			from interventions i `+w.String(), w.args, &sum.Interventions, &sum.Minutes, &sum.OutsideHours)
	})
	return sum, err
}

// FindFollowUps implements maillon.InterventionService.
func (s *Store) FindFollowUps(ctx context.Context, actor maillon.Actor, f maillon.FollowUpFilter) (out []maillon.FollowUp, err error) {
	defer wrap(&err, "FindFollowUps")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	var w whereBuilder
	w.add("i.structure_id = ?", actor.StructureID)
	w.add("i.follow_up_on is not null")
	w.add("i.follow_up_done = ?", false)
	if !f.Until.IsZero() {
		w.add("i.follow_up_on < ?", f.Until)
	}
	if f.MediatorID != 0 {
		w.add("i.id in (select intervention_id from intervention_mediators where user_id = ?)", f.MediatorID)
	}
	limit := pageLimit(f.Limit, 100, 500)
	var ids []maillon.InterventionID
	err = s.read(ctx, func(t *tx) error {
		err := t.many(ctx, "select i.id, i.follow_up_on, i.next_step, i.documents from interventions i "+w.String()+
			" order by i.follow_up_on, i.id limit ?", append(w.args, limit), func(r *sql.Rows) error {
			var fu maillon.FollowUp
			if err := r.Scan(&fu.InterventionID, timeCol{&fu.On}, &fu.NextStep, &fu.Documents); err != nil {
				return err
			}
			out = append(out, fu)
			ids = append(ids, fu.InterventionID)
			return nil
		})
		if err != nil {
			return err
		}
		if len(ids) > 0 {
			if err := t.followUpPersons(ctx, out); err != nil {
				return err
			}
		}
		// The expected feedbacks of open orientations are follow-ups too,
		// for the mediator who made them.
		ow := openOrientationWhere(actor.StructureID)
		if !f.Until.IsZero() {
			ow.add("o.expected_on < ?", f.Until)
		}
		if f.MediatorID != 0 {
			ow.add("o.created_by = ?", f.MediatorID)
		}
		more, err := t.orientationFollowUps(ctx, ow, limit)
		if err != nil {
			return err
		}
		out = append(out, more...)
		// So are the follow-ups of closed mediations, for their mediator.
		mw := mediationFollowUpWhere(actor.StructureID, f.MediatorID)
		if !f.Until.IsZero() {
			mw.add("m.follow_up_on < ?", f.Until)
		}
		if more, err = t.mediationFollowUps(ctx, mw, limit); err != nil {
			return err
		}
		out = append(out, more...)
		slices.SortStableFunc(out, func(a, b maillon.FollowUp) int { return a.On.Compare(b.On) })
		if len(out) > limit {
			out = out[:limit]
		}
		return nil
	})
	return out, err
}

// CountFollowUps implements maillon.InterventionService, with the
// conditions of FindFollowUps.
func (s *Store) CountFollowUps(ctx context.Context, actor maillon.Actor, mediatorID maillon.UserID, today time.Time) (c maillon.FollowUpCounts, err error) {
	defer wrap(&err, "CountFollowUps")
	if err := actor.Check(); err != nil {
		return c, err
	}
	tomorrow := maillon.InParis(today).AddDate(0, 0, 1)
	var w whereBuilder
	w.add("i.structure_id = ?", actor.StructureID)
	w.add("i.follow_up_on is not null")
	w.add("i.follow_up_done = ?", false)
	w.add("i.follow_up_on < ?", tomorrow)
	if mediatorID != 0 {
		// Checked per pending follow-up rather than by listing all the
		// mediator's interventions first: a third less CPU on a structure
		// of 250,000 interventions (5,000 pending follow-ups), a quarter
		// of it on the demo's.
		w.add("exists (select 1 from intervention_mediators m where m.intervention_id = i.id and m.user_id = ?)", mediatorID)
	}
	ow := openOrientationWhere(actor.StructureID)
	ow.add("o.expected_on < ?", tomorrow)
	if mediatorID != 0 {
		ow.add("o.created_by = ?", mediatorID)
	}
	mw := mediationFollowUpWhere(actor.StructureID, mediatorID)
	mw.add("m.follow_up_on < ?", tomorrow)
	// One statement, three rows: the interventions' follow-ups, the
	// orientations' expected feedback, the mediations' follow-ups.
	q := "select coalesce(sum(case when i.follow_up_on < ? then 1 else 0 end), 0), count(*) from interventions i " + w.String() +
		"\nunion all\nselect coalesce(sum(case when o.expected_on < ? then 1 else 0 end), 0), count(*) from orientations o " + ow.String() +
		"\nunion all\nselect coalesce(sum(case when m.follow_up_on < ? then 1 else 0 end), 0), count(*) from mediations m " + mw.String()
	args := append(append(append(append(append([]any{today}, w.args...), today), ow.args...), today), mw.args...)
	err = s.readEach(ctx, func(t *tx) error {
		return t.many(ctx, q, args, func(r *sql.Rows) error {
			var late, all int
			if err := r.Scan(&late, &all); err != nil {
				return err
			}
			c.Overdue += late
			c.Today += all - late
			return nil
		})
	})
	return c, err
}

// followUpPersons fills the people of follow-ups.
func (t *tx) followUpPersons(ctx context.Context, list []maillon.FollowUp) error {
	idx := map[maillon.InterventionID][]int{}
	args := make([]any, 0, len(list))
	for i, fu := range list {
		if _, ok := idx[fu.InterventionID]; !ok {
			args = append(args, int64(fu.InterventionID))
		}
		idx[fu.InterventionID] = append(idx[fu.InterventionID], i)
	}
	return t.interventionPersons(ctx, args, func(id maillon.InterventionID, p maillon.PersonRef) {
		for _, i := range idx[id] {
			list[i].Persons = append(list[i].Persons, p)
		}
	})
}

// interventionMediators calls add for each mediator of the interventions
// of ids (int64 values), in name order within an intervention.
func (t *tx) interventionMediators(ctx context.Context, ids []any, add func(maillon.InterventionID, maillon.UserID, string)) error {
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	return t.many(ctx, `select m.intervention_id, m.user_id, u.display_name from intervention_mediators m
		join users u on u.id = m.user_id where m.intervention_id in `+in+` order by m.intervention_id, u.display_name, u.id`, ids,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var uid maillon.UserID
			var name string
			if err := r.Scan(&id, &uid, &name); err != nil {
				return err
			}
			add(id, uid, name)
			return nil
		})
}

// interventionPersons calls add for each person named by the
// interventions of ids (int64 values), in name order within an
// intervention: the one query behind every list that shows who was met.
func (t *tx) interventionPersons(ctx context.Context, ids []any, add func(maillon.InterventionID, maillon.PersonRef)) error {
	in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
	return t.many(ctx, `select ip.intervention_id, p.id, p.first_name, p.last_name, p.pseudonym from intervention_persons ip
		join persons p on p.id = ip.person_id where ip.intervention_id in `+in+` order by ip.intervention_id, p.sort_key, p.id`, ids,
		func(r *sql.Rows) error {
			var id maillon.InterventionID
			var p maillon.Person
			if err := r.Scan(&id, &p.ID, &p.FirstName, &p.LastName, &p.Pseudonym); err != nil {
				return err
			}
			add(id, maillon.PersonRef{ID: p.ID, Name: p.DisplayName()})
			return nil
		})
}

// SetFollowUpDone implements maillon.InterventionService.
func (s *Store) SetFollowUpDone(ctx context.Context, actor maillon.Actor, id maillon.InterventionID, done bool) (err error) {
	defer wrap(&err, "SetFollowUpDone")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var sid maillon.StructureID
		var on time.Time
		err := t.one(ctx, "select structure_id, follow_up_on from interventions where id = ?", []any{id}, &sid, timeCol{&on})
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(sid)) {
			return maillon.NotFound("Intervention")
		}
		if err != nil {
			return err
		}
		if on.IsZero() {
			return maillon.Errorf(maillon.ErrInvalid, "Cette intervention n'a pas de relance prévue.")
		}
		if _, err := t.exec(ctx, "update interventions set follow_up_done = ?, updated_at = ? where id = ?", done, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditFollowUpChange, recordType: "intervention", recordID: int64(id), fields: []string{"follow_up_done"}})
	})
}
