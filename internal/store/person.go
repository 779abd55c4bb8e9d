package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"maillon"
)

const selectPersons = `select p.id, p.structure_id, p.first_name, p.last_name, p.pseudonym, p.birth_year, p.age_band,
	p.gender, p.phone, p.email, p.commune_id, p.zone_id, coalesce(c.name, ''), coalesce(z.name, ''),
	p.languages, p.interpreter_needed, p.access_needs, p.access_text, p.household, p.housing, p.activity,
	p.nationality, p.referent_id, coalesce(u.display_name, ''), p.team_id, coalesce(t.name, ''), p.archived,
	p.last_contact_at, p.created_at, p.updated_at
from persons p
left join communes c on c.id = p.commune_id
left join zones z on z.id = p.zone_id
left join users u on u.id = p.referent_id
left join teams t on t.id = p.team_id`

func scanPerson(scan func(...any) error, extra ...any) (maillon.Person, error) {
	var p maillon.Person
	var needs string
	dest := append([]any{&p.ID, &p.StructureID, &p.FirstName, &p.LastName, &p.Pseudonym, &p.BirthYear, &p.AgeBand,
		&p.Gender, &p.Phone, &p.Email, scanID(&p.CommuneID), scanID(&p.ZoneID), &p.CommuneName, &p.ZoneName,
		&p.Languages, &p.InterpreterNeeded, &needs, &p.AccessText, &p.Household, &p.Housing, &p.Activity,
		&p.Nationality, scanID(&p.ReferentID), &p.ReferentName, scanID(&p.TeamID), &p.TeamName, &p.Archived,
		timeCol{&p.LastContactAt}, timeCol{&p.CreatedAt}, timeCol{&p.UpdatedAt}}, extra...)
	err := scan(dest...)
	p.AccessNeeds = splitList(needs)
	return p, err
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// personInScope loads a person of the actor's structure, or ErrNotFound.
func (t *tx) personInScope(ctx context.Context, actor maillon.Actor, id maillon.PersonID) (*maillon.Person, error) {
	q := selectPersons + " where p.id = ?"
	p, err := scanPerson(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !actor.InStructure(p.StructureID)) {
		return nil, maillon.NotFound("Personne")
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	return &p, nil
}

// checkPlace verifies that a commune and zone belong to the structure and
// to each other; a stale form cannot attach another structure's place.
func (t *tx) checkPlace(ctx context.Context, sid maillon.StructureID, cid maillon.CommuneID, zid maillon.ZoneID, fe *maillon.FieldErrors) error {
	if cid != 0 {
		var n int
		if err := t.one(ctx, "select count(*) from communes where id = ? and structure_id = ?", []any{cid, sid}, &n); err != nil {
			return err
		}
		if n == 0 {
			fe.Add("commune_id", "Choisissez une commune du territoire de la structure.")
		}
	}
	if zid != 0 {
		var n int
		if err := t.one(ctx, "select count(*) from zones where id = ? and commune_id = ? and structure_id = ?", []any{zid, cid, sid}, &n); err != nil {
			return err
		}
		if n == 0 {
			fe.Add("zone_id", "Choisissez un quartier de la commune choisie.")
		}
	}
	return nil
}

// checkMember verifies that uid is an active user of the structure.
func (t *tx) checkMember(ctx context.Context, sid maillon.StructureID, uid maillon.UserID) (bool, error) {
	var n int
	err := t.one(ctx, "select count(*) from users where id = ? and structure_id = ? and active = ?", []any{uid, sid, true}, &n)
	return n > 0, err
}

// checkPersonRefs validates the structure-bound references of a person.
//
// keepReferent is the file's current referent, allowed even if the account
// was deactivated since, so that editing other fields does not fail.
func (t *tx) checkPersonRefs(ctx context.Context, sid maillon.StructureID, in *maillon.PersonInput, keepReferent maillon.UserID) error {
	var fe maillon.FieldErrors
	if err := t.checkPlace(ctx, sid, in.CommuneID, in.ZoneID, &fe); err != nil {
		return err
	}
	if in.ReferentID != 0 && in.ReferentID != keepReferent {
		ok, err := t.checkMember(ctx, sid, in.ReferentID)
		if err != nil {
			return err
		}
		if !ok {
			fe.Add("referent_id", "Choisissez un médiateur ou une médiatrice active de la structure.")
		}
	}
	if in.TeamID != 0 {
		var n int
		if err := t.one(ctx, "select count(*) from teams where id = ? and structure_id = ?", []any{in.TeamID, sid}, &n); err != nil {
			return err
		}
		if n == 0 {
			fe.Add("team_id", "Choisissez une équipe de la structure.")
		}
	}
	return fe.Err()
}

func personFromInput(in *maillon.PersonInput, birthYear int) maillon.Person {
	return maillon.Person{
		FirstName: in.FirstName, LastName: in.LastName, Pseudonym: in.Pseudonym, BirthYear: birthYear,
		AgeBand: in.AgeBand, Gender: in.Gender, Phone: in.Phone, Email: in.Email, CommuneID: in.CommuneID,
		ZoneID: in.ZoneID, Languages: in.Languages, InterpreterNeeded: in.InterpreterNeeded,
		AccessNeeds: in.AccessNeeds, AccessText: in.AccessText, Household: in.Household, Housing: in.Housing,
		Activity: in.Activity, Nationality: in.Nationality, ReferentID: in.ReferentID, TeamID: in.TeamID,
	}
}

// CreatePerson implements maillon.PersonService.
func (s *Store) CreatePerson(ctx context.Context, actor maillon.Actor, in maillon.PersonInput) (p *maillon.Person, err error) {
	defer wrap(&err, "CreatePerson")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		birthYear, consentAt, err := in.Validate(true, t.now)
		if err != nil {
			return err
		}
		if err := t.checkPersonRefs(ctx, actor.StructureID, &in, 0); err != nil {
			return err
		}
		np := personFromInput(&in, birthYear)
		id, err := t.insert(ctx, `insert into persons
			(structure_id, first_name, last_name, pseudonym, birth_year, age_band, gender, phone, email, commune_id,
			zone_id, languages, interpreter_needed, access_needs, access_text, household, housing, activity,
			nationality, referent_id, team_id, archived, search_text, sort_key, last_contact_at, created_at,
			updated_at, created_by)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			returning id`,
			actor.StructureID, np.FirstName, np.LastName, np.Pseudonym, np.BirthYear, np.AgeBand, np.Gender, np.Phone,
			np.Email, optID(np.CommuneID), optID(np.ZoneID), np.Languages, np.InterpreterNeeded,
			strings.Join(np.AccessNeeds, ","), np.AccessText, np.Household, np.Housing, np.Activity, np.Nationality,
			optID(np.ReferentID), optID(np.TeamID), false, personSearchText(&np), personSortKey(&np), firstContact(consentAt, t.now), t.now,
			t.now, optID(actor.UserID))
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into consents (structure_id, person_id, scope, method, given_at, recorded_by, recorded_at)
			values (?, ?, ?, ?, ?, ?, ?)`, actor.StructureID, id, maillon.ConsentDossier, in.ConsentMethod, consentAt,
			optID(actor.UserID), t.now); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditPersonCreate, recordType: "person", recordID: id}); err != nil {
			return err
		}
		p, err = t.personInScope(ctx, actor, maillon.PersonID(id))
		return err
	})
	return p, err
}

// personChanges names the fields an update changes, for the history.
func personChanges(old *maillon.Person, np *maillon.Person) []string {
	var out []string
	add := func(name string, changed bool) {
		if changed {
			out = append(out, name)
		}
	}
	add("first_name", old.FirstName != np.FirstName)
	add("last_name", old.LastName != np.LastName)
	add("pseudonym", old.Pseudonym != np.Pseudonym)
	add("birth_year", old.BirthYear != np.BirthYear)
	add("age_band", old.AgeBand != np.AgeBand)
	add("gender", old.Gender != np.Gender)
	add("phone", old.Phone != np.Phone)
	add("email", old.Email != np.Email)
	add("commune", old.CommuneID != np.CommuneID)
	add("zone", old.ZoneID != np.ZoneID)
	add("languages", old.Languages != np.Languages)
	add("interpreter_needed", old.InterpreterNeeded != np.InterpreterNeeded)
	add("access_needs", strings.Join(old.AccessNeeds, ",") != strings.Join(np.AccessNeeds, ","))
	add("access_text", old.AccessText != np.AccessText)
	add("household", old.Household != np.Household)
	add("housing", old.Housing != np.Housing)
	add("activity", old.Activity != np.Activity)
	add("nationality", old.Nationality != np.Nationality)
	add("referent", old.ReferentID != np.ReferentID)
	add("team", old.TeamID != np.TeamID)
	return out
}

// UpdatePerson implements maillon.PersonService.
func (s *Store) UpdatePerson(ctx context.Context, actor maillon.Actor, id maillon.PersonID, in maillon.PersonInput) (err error) {
	defer wrap(&err, "UpdatePerson")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		old, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		birthYear, _, err := in.Validate(false, t.now)
		if err != nil {
			return err
		}
		if err := t.checkPersonRefs(ctx, old.StructureID, &in, old.ReferentID); err != nil {
			return err
		}
		np := personFromInput(&in, birthYear)
		changed := personChanges(old, &np)
		if len(changed) == 0 {
			return nil
		}
		if _, err := t.exec(ctx, `update persons set first_name = ?, last_name = ?, pseudonym = ?, birth_year = ?,
			age_band = ?, gender = ?, phone = ?, email = ?, commune_id = ?, zone_id = ?, languages = ?,
			interpreter_needed = ?, access_needs = ?, access_text = ?, household = ?, housing = ?, activity = ?,
			nationality = ?, referent_id = ?, team_id = ?, search_text = ?, sort_key = ?, updated_at = ?
			where id = ?`,
			np.FirstName, np.LastName, np.Pseudonym, np.BirthYear, np.AgeBand, np.Gender, np.Phone, np.Email,
			optID(np.CommuneID), optID(np.ZoneID), np.Languages, np.InterpreterNeeded, strings.Join(np.AccessNeeds, ","),
			np.AccessText, np.Household, np.Housing, np.Activity, np.Nationality, optID(np.ReferentID), optID(np.TeamID),
			personSearchText(&np), personSortKey(&np), t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPersonUpdate, recordType: "person", recordID: int64(id), fields: changed})
	})
}

// SetPersonArchived implements maillon.PersonService.
func (s *Store) SetPersonArchived(ctx context.Context, actor maillon.Actor, id maillon.PersonID, archived bool) (err error) {
	defer wrap(&err, "SetPersonArchived")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if p.Archived == archived {
			return nil
		}
		if !archived {
			ok, err := t.hasActiveConsent(ctx, id, maillon.ConsentDossier)
			if err != nil {
				return err
			}
			if !ok {
				return maillon.Errorf(maillon.ErrInvalid, "La personne a retiré son accord pour la tenue d'un dossier : enregistrez d'abord un nouvel accord pour rouvrir le dossier.")
			}
		}
		if _, err := t.exec(ctx, "update persons set archived = ?, updated_at = ? where id = ?", archived, t.now, id); err != nil {
			return err
		}
		if archived {
			// A closed file is shared with nobody any more.
			if err := t.revokePersonLinks(ctx, actor, id); err != nil {
				return err
			}
		}
		action := maillon.AuditPersonRestore
		if archived {
			action = maillon.AuditPersonArchive
		}
		return t.audit(ctx, actor, auditRow{action: action, recordType: "person", recordID: int64(id), fields: []string{"archived"}})
	})
}

func (t *tx) hasActiveConsent(ctx context.Context, id maillon.PersonID, scope string) (bool, error) {
	var n int
	err := t.one(ctx, "select count(*) from consents where person_id = ? and scope = ? and withdrawn_at is null", []any{id, scope}, &n)
	return n > 0, err
}

// FindPersons implements maillon.PersonService.
func (s *Store) FindPersons(ctx context.Context, actor maillon.Actor, f maillon.PersonFilter) (out []maillon.Person, total int, err error) {
	defer wrap(&err, "FindPersons")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	var w whereBuilder
	w.add("p.structure_id = ?", actor.StructureID)
	w.add("p.archived = ?", f.Archived)
	if tokens := searchTokens(f.Query); len(tokens) > 0 {
		long, short := splitShortTokens(tokens)
		cond, arg := s.d.searchCondition(long)
		w.add(cond, arg)
		for _, t := range short {
			w.add("(' ' || p.search_text) like ?", "% "+t+"%")
		}
	}
	if f.ReferentID != 0 {
		w.add("p.referent_id = ?", f.ReferentID)
	}
	if f.TeamID != 0 {
		w.add("p.team_id = ?", f.TeamID)
	}
	if f.ZoneID != 0 {
		w.add("p.zone_id = ?", f.ZoneID)
	}
	order := s.d.binaryOrder("p.sort_key") + ", p.id"
	switch f.Sort {
	case "contact":
		order = "p.last_contact_at desc nulls last, p.id desc"
	case "creation":
		order = "p.created_at desc, p.id desc"
	}
	limit := pageLimit(f.Limit, 25, 200)
	// A search reveals who is followed: it is audited like a read, with
	// the number of results, never the query text. Browsing the list
	// without a query reads names only and runs without the writer lock.
	searching := strings.TrimSpace(f.Query) != ""
	// A search finds few rows: they are counted with the page. Browsing
	// counts apart, on the index, and reads only the page's rows: with
	// count(*) over () a late page of a structure of 50,000 people read
	// every row (79 ms of CPU against 27 ms).
	query := selectPersons
	var scanTotal []any
	if searching {
		query = strings.Replace(selectPersons, "from persons p", ", count(*) over ()\nfrom persons p", 1)
		scanTotal = []any{&total}
	}
	query += "\n" + w.String() + "\norder by " + order + "\nlimit ? offset ?"
	run := s.read
	if searching {
		run = s.write
	}
	err = run(ctx, func(t *tx) error {
		if !searching {
			if err := t.one(ctx, "select count(*) from persons p\n"+w.String(), w.args, &total); err != nil {
				return err
			}
		}
		err := t.many(ctx, query, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			p, err := scanPerson(r.Scan, scanTotal...)
			out = append(out, p)
			return err
		})
		if err == nil && searching && len(out) == 0 && f.Offset > 0 {
			// A page past the end (an old link, a list that shrank)
			// still tells how many people match, so the page can say so
			// and link back.
			err = t.one(ctx, "select count(*) from persons p\n"+w.String(), w.args, &total)
		}
		if err != nil || !searching {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPersonSearch, recordType: "person", recordID: int64(len(out))})
	})
	return out, total, err
}

// FindDuplicates implements maillon.PersonService.
func (s *Store) FindDuplicates(ctx context.Context, actor maillon.Actor, in maillon.PersonInput) (out []maillon.DuplicateCandidate, err error) {
	defer wrap(&err, "FindDuplicates")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	np := maillon.Person{FirstName: in.FirstName, LastName: in.LastName, Pseudonym: in.Pseudonym}
	key := personSortKey(&np)
	if key == "" {
		return nil, nil
	}
	year := 0
	fmt.Sscanf(strings.TrimSpace(in.BirthYear), "%d", &year)
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, `select p.id, p.first_name, p.last_name, p.pseudonym, p.birth_year, coalesce(c.name, '')
			from persons p left join communes c on c.id = p.commune_id
			where p.structure_id = ? and p.sort_key = ?
			and ((? <> 0 and p.birth_year = ?) or (? <> 0 and p.commune_id = ?) or (p.birth_year = 0 and ? = 0))
			order by p.id limit 10`,
			[]any{actor.StructureID, key, year, year, int64(in.CommuneID), int64(in.CommuneID), year},
			func(r *sql.Rows) error {
				var p maillon.Person
				var c maillon.DuplicateCandidate
				if err := r.Scan(&p.ID, &p.FirstName, &p.LastName, &p.Pseudonym, &c.BirthYear, &c.CommuneName); err != nil {
					return err
				}
				c.ID, c.DisplayName = p.ID, p.DisplayName()
				out = append(out, c)
				return nil
			})
	})
	return out, err
}

// MergePersons implements maillon.PersonService.
func (s *Store) MergePersons(ctx context.Context, actor maillon.Actor, keep, remove maillon.PersonID) (err error) {
	defer wrap(&err, "MergePersons")
	if err := actor.Check(); err != nil {
		return err
	}
	if !actor.CanViewTeamData(actor.StructureID) {
		return maillon.Forbidden()
	}
	if keep == remove {
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: "Choisissez deux dossiers différents.",
			Fields: map[string]string{"other_id": "Choisissez un autre dossier que celui-ci."}}
	}
	return s.write(ctx, func(t *tx) error {
		k, err := t.personInScope(ctx, actor, keep)
		if err != nil {
			return err
		}
		r, err := t.personInScope(ctx, actor, remove)
		if err != nil {
			return err
		}
		moves := []string{
			"update consents set person_id = ? where person_id = ?",
			"update autonomy_assessments set person_id = ? where person_id = ?",
			"update person_notes set person_id = ? where person_id = ?",
			"update procedures set person_id = ? where person_id = ?",
			"update orientations set person_id = ? where person_id = ?",
			"update agenda_events set person_id = ? where person_id = ?",
			"update mediation_parties set person_id = ? where person_id = ?",
		}
		for _, q := range moves {
			if _, err := t.exec(ctx, q, keep, remove); err != nil {
				return err
			}
		}
		// Interventions naming both keep one link.
		if _, err := t.exec(ctx, `insert into intervention_persons (intervention_id, person_id)
			select intervention_id, ? from intervention_persons where person_id = ?
			on conflict (intervention_id, person_id) do nothing`, keep, remove); err != nil {
			return err
		}
		last := k.LastContactAt
		if r.LastContactAt.After(last) {
			last = r.LastContactAt
		}
		if _, err := t.exec(ctx, "update persons set last_contact_at = ?, updated_at = ? where id = ?", last, t.now, keep); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "delete from persons where id = ?", remove); err != nil {
			return err
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditPersonMerge, recordType: "person", recordID: int64(keep), fields: []string{"merged"}}); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditPersonMerge, recordType: "person", recordID: int64(remove), fields: []string{"deleted"}})
	})
}

// AddConsent implements maillon.PersonService.
func (s *Store) AddConsent(ctx context.Context, actor maillon.Actor, id maillon.PersonID, in maillon.ConsentInput) (err error) {
	defer wrap(&err, "AddConsent")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		at, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		active, err := t.hasActiveConsent(ctx, id, in.Scope)
		if err != nil {
			return err
		}
		if active {
			return &maillon.Error{Kind: maillon.ErrConflict, Message: "Cet accord est déjà enregistré et en vigueur.",
				Fields: map[string]string{"scope": "Cet accord est déjà en vigueur."}}
		}
		if _, err := t.exec(ctx, `insert into consents (structure_id, person_id, scope, method, given_at, recorded_by, recorded_at)
			values (?, ?, ?, ?, ?, ?, ?)`, p.StructureID, id, in.Scope, in.Method, at, optID(actor.UserID), t.now); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditConsentAdd, recordType: "person", recordID: int64(id), fields: []string{"consent_" + in.Scope}})
	})
}

// WithdrawConsent implements maillon.PersonService. Withdrawing the dossier
// consent archives the file at once: no new record may name the person.
func (s *Store) WithdrawConsent(ctx context.Context, actor maillon.Actor, id maillon.ConsentID) (err error) {
	defer wrap(&err, "WithdrawConsent")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		var pid maillon.PersonID
		var scope string
		var withdrawn time.Time
		err := t.one(ctx, "select person_id, scope, withdrawn_at from consents where id = ?", []any{id}, &pid, &scope, timeCol{&withdrawn})
		if errors.Is(err, sql.ErrNoRows) {
			return maillon.NotFound("Consentement")
		}
		if err != nil {
			return err
		}
		if _, err := t.personInScope(ctx, actor, pid); err != nil {
			return maillon.NotFound("Consentement")
		}
		if !withdrawn.IsZero() {
			return nil
		}
		// The withdrawal is of the scope: a merge may have left several
		// records of it in force, and all end now.
		if _, err := t.exec(ctx, `update consents set withdrawn_at = ?, withdrawn_by = ?
			where person_id = ? and scope = ? and withdrawn_at is null`, t.now, optID(actor.UserID), pid, scope); err != nil {
			return err
		}
		if scope == maillon.ConsentDossier {
			if _, err := t.exec(ctx, "update persons set archived = ?, updated_at = ? where id = ?", true, t.now, pid); err != nil {
				return err
			}
		}
		// Without the sharing consent (or the file itself), no partner
		// link may show anything of the person any more.
		if scope == "partage" || scope == maillon.ConsentDossier {
			if err := t.revokePersonLinks(ctx, actor, pid); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditConsentWithdraw, recordType: "person", recordID: int64(pid), fields: []string{"consent_" + scope}})
	})
}

// AddAutonomy implements maillon.PersonService.
func (s *Store) AddAutonomy(ctx context.Context, actor maillon.Actor, id maillon.PersonID, in maillon.AutonomyInput) (err error) {
	defer wrap(&err, "AddAutonomy")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		at, level, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.insertAutonomy(ctx, actor, p.StructureID, id, at, in, level, 0); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAutonomyAdd, recordType: "person", recordID: int64(id)})
	})
}

func (t *tx) insertAutonomy(ctx context.Context, actor maillon.Actor, sid maillon.StructureID, pid maillon.PersonID, at time.Time,
	in maillon.AutonomyInput, level int, proc maillon.ProcedureID) error {
	_, err := t.exec(ctx, `insert into autonomy_assessments
		(structure_id, person_id, assessed_at, equipment, internet, has_email, franceconnect, level, recorded_by, procedure_id, created_at)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sid, pid, at, strings.Join(in.Equipment, ","), in.Internet, in.HasEmail, in.FranceConnect, level,
		optID(actor.UserID), optID(proc), t.now)
	return err
}

// AddNote implements maillon.PersonService.
func (s *Store) AddNote(ctx context.Context, actor maillon.Actor, id maillon.PersonID, in maillon.NoteInput) (err error) {
	defer wrap(&err, "AddNote")
	if err := actor.Check(); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		p, err := t.personInScope(ctx, actor, id)
		if err != nil {
			return err
		}
		if _, err := t.exec(ctx, "insert into person_notes (structure_id, person_id, author_id, text, private, created_at) values (?, ?, ?, ?, ?, ?)",
			p.StructureID, id, optID(actor.UserID), in.Text, in.Private, t.now); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditNoteAdd, recordType: "person", recordID: int64(id)})
	})
}

// firstContact is the last-contact date of a new file: the day the person
// agreed to it (a file may be entered days after the first meeting), or
// now when that day is today.
func firstContact(consentDay, now time.Time) time.Time {
	if n := maillon.InParis(now); consentDay.Equal(time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, maillon.Paris)) {
		return now
	}
	return consentDay
}
