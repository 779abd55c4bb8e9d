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

const selectMediations = `select m.id, m.structure_id, m.kind, m.topic, m.subject, m.origin, m.origin_on, m.team_id,
	coalesce(t.name, ''), m.mediator_id, coalesce(u.display_name, ''), m.commune_id, m.zone_id, coalesce(c.name, ''),
	coalesce(z.name, ''), m.scope_issues, m.notes, m.status, m.outcome, m.outcome_text, m.relay_target, m.relay_reason,
	m.closed_at, m.follow_up_on, m.follow_up_done, m.follow_up_result, m.party_count, m.created_by, m.created_at, m.updated_at
from mediations m
left join teams t on t.id = m.team_id
left join users u on u.id = m.mediator_id
left join communes c on c.id = m.commune_id
left join zones z on z.id = m.zone_id`

func scanMediation(scan func(...any) error, extra ...any) (maillon.Mediation, error) {
	var m maillon.Mediation
	var issues string
	err := scan(append([]any{&m.ID, &m.StructureID, &m.Kind, &m.Topic, &m.Subject, &m.Origin, timeCol{&m.OriginOn},
		scanID(&m.TeamID), &m.TeamName, scanID(&m.MediatorID), &m.MediatorName, scanID(&m.CommuneID), scanID(&m.ZoneID),
		&m.CommuneName, &m.ZoneName, &issues, &m.Notes, &m.Status, &m.Outcome, &m.OutcomeText, &m.RelayTarget,
		&m.RelayReason, timeCol{&m.ClosedAt}, timeCol{&m.FollowUpOn}, &m.FollowUpDone, &m.FollowUpResult, &m.PartyCount,
		scanID(&m.CreatedBy), timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt}}, extra...)...)
	m.ScopeIssues = splitList(issues)
	return m, err
}

func mediationNotFound() error { return maillon.NotFound("Médiation") }

// mediationByID loads a case the actor may see, with its parties, steps
// and commitments; ErrNotFound otherwise, as for a missing one.
func (t *tx) mediationByID(ctx context.Context, actor maillon.Actor, id maillon.MediationID) (*maillon.Mediation, error) {
	q := selectMediations + " where m.id = ?"
	m, err := scanMediation(t.queryRow(ctx, q, []any{int64(id)}).Scan)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !m.VisibleTo(actor)) {
		return nil, mediationNotFound()
	}
	if err != nil {
		return nil, wrapQuery(q, err)
	}
	// An identified party without a chosen name is named from the
	// person's file, never copied: a correction or an erasure of the file
	// reaches the case.
	err = t.many(ctx, `select mp.id, mp.kind, mp.person_id, mp.label, mp.consent_method, mp.consent_on, mp.withdrawn_at,
		mp.created_at, coalesce(p.first_name, ''), coalesce(p.last_name, ''), coalesce(p.pseudonym, '')
		from mediation_parties mp left join persons p on p.id = mp.person_id
		where mp.mediation_id = ? order by mp.id`, []any{int64(id)}, func(r *sql.Rows) error {
		var p maillon.MediationParty
		var person maillon.Person
		err := r.Scan(&p.ID, &p.Kind, scanID(&p.PersonID), &p.Label, &p.Method, timeCol{&p.ConsentOn}, timeCol{&p.WithdrawnAt},
			timeCol{&p.CreatedAt}, &person.FirstName, &person.LastName, &person.Pseudonym)
		if p.Label == "" && p.PersonID != 0 {
			person.ID = p.PersonID
			p.Label = person.DisplayName()
		}
		m.Parties = append(m.Parties, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = t.many(ctx, `select s.id, s.kind, s.intervention_id, i.start_at, s.party_id, s.note, coalesce(u.display_name, '')
		from mediation_steps s join interventions i on i.id = s.intervention_id left join users u on u.id = s.created_by
		where s.mediation_id = ? order by i.start_at, s.id`, []any{int64(id)}, func(r *sql.Rows) error {
		var s maillon.MediationStep
		err := r.Scan(&s.ID, &s.Kind, &s.InterventionID, timeCol{&s.At}, scanID(&s.PartyID), &s.Note, &s.CreatedByName)
		m.Steps = append(m.Steps, s)
		return err
	})
	if err != nil {
		return nil, err
	}
	err = t.many(ctx, `select id, party_id, text, agreed_on from mediation_commitments where mediation_id = ?
		order by party_id, agreed_on, id`, []any{int64(id)}, func(r *sql.Rows) error {
		var c maillon.Commitment
		err := r.Scan(&c.ID, &c.PartyID, &c.Text, timeCol{&c.AgreedOn})
		m.Commitments = append(m.Commitments, c)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// openMediation loads a case that may still change.
func (t *tx) openMediation(ctx context.Context, actor maillon.Actor, id maillon.MediationID) (*maillon.Mediation, error) {
	m, err := t.mediationByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if m.Closed() {
		return nil, maillon.Errorf(maillon.ErrInvalid, "La médiation est clôturée : elle ne peut plus être modifiée.")
	}
	return m, nil
}

// identifiedParty applies the consent gate of an identified party: a
// person of the structure, with an open file and an active dossier
// consent.
func (t *tx) identifiedParty(ctx context.Context, actor maillon.Actor, pid maillon.PersonID, field string) error {
	p, err := t.personInScope(ctx, actor, pid)
	if errors.Is(err, maillon.ErrNotFound) {
		msg := "La personne choisie n'existe pas dans la structure."
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	if err != nil {
		return err
	}
	ok, err := t.hasActiveConsent(ctx, pid, maillon.ConsentDossier)
	if err != nil {
		return err
	}
	if !ok || p.Archived {
		msg := "Cette personne n'a pas (ou plus) donné son accord pour un dossier nominatif, ou son dossier est archivé : " +
			"ajoutez-la comme personne décrite sans identité."
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	return nil
}

// insertParty writes a party and its audit rows.
func (t *tx) insertParty(ctx context.Context, actor maillon.Actor, sid maillon.StructureID, mid maillon.MediationID,
	in maillon.PartyInput, consentOn time.Time, field func(string) string) error {
	if in.Kind == maillon.PartyPerson {
		if err := t.identifiedParty(ctx, actor, in.PersonID, field("person_id")); err != nil {
			return err
		}
	}
	var n int
	if err := t.one(ctx, "select count(*) from mediation_parties where mediation_id = ?", []any{int64(mid)}, &n); err != nil {
		return err
	}
	if n >= maillon.MaxMediationParties {
		msg := "Une médiation compte au plus 10 parties."
		return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{field("kind"): msg}}
	}
	if _, err := t.exec(ctx, `insert into mediation_parties (structure_id, mediation_id, kind, person_id, label, consent_method,
		consent_on, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`, sid, mid, in.Kind, optID(in.PersonID), in.Label,
		in.ConsentMethod, consentOn, optID(actor.UserID), t.now); err != nil {
		return err
	}
	if _, err := t.exec(ctx, "update mediations set party_count = party_count + 1, updated_at = ? where id = ?", t.now, mid); err != nil {
		return err
	}
	if in.PersonID != 0 {
		return t.audit(ctx, actor, auditRow{structureID: sid, action: maillon.AuditMediationParty, recordType: "person",
			recordID: int64(in.PersonID), fields: []string{"mediation_" + strconv.FormatInt(int64(mid), 10)}})
	}
	return nil
}

// CreateMediation implements maillon.MediationService.
func (s *Store) CreateMediation(ctx context.Context, actor maillon.Actor, in maillon.MediationInput) (m *maillon.Mediation, err error) {
	defer wrap(&err, "CreateMediation")
	if err := actor.Check(); err != nil {
		return nil, err
	}
	if actor.StructureID == 0 {
		return nil, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		originOn, days, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		// Mediators open cases for their own team; the coordination
		// chooses.
		team := actor.TeamID
		if actor.CanViewTeamData(actor.StructureID) {
			team = in.TeamID
		}
		var fe maillon.FieldErrors
		if team != 0 {
			var n int
			if err := t.one(ctx, "select count(*) from teams where id = ? and structure_id = ?", []any{team, actor.StructureID}, &n); err != nil {
				return err
			}
			if n == 0 {
				fe.Add("team_id", "Choisissez une équipe de la structure.")
			}
		}
		if err := t.checkPlace(ctx, actor.StructureID, in.CommuneID, in.ZoneID, &fe); err != nil {
			return err
		}
		if fe["commune_id"] != "" || fe["zone_id"] != "" {
			fe.Add("place", "Choisissez un lieu du territoire de la structure.")
			delete(fe, "commune_id")
			delete(fe, "zone_id")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		status, outcome, closed := maillon.MediationOuverte, "", time.Time{}
		if in.Relayed() {
			// Outside mediation: the case is counted, handed over and
			// closed at once.
			status, outcome, closed = maillon.MediationCloturee, maillon.OutcomeRelais, t.now
		}
		id, err := t.insert(ctx, `insert into mediations (structure_id, kind, topic, subject, origin, origin_on, team_id,
			mediator_id, commune_id, zone_id, scope_issues, notes, status, outcome, relay_target, relay_reason, closed_at,
			created_by, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
			actor.StructureID, in.Kind, in.Topic, in.Subject, in.Origin, originOn, optID(team), optID(actor.UserID),
			optID(in.CommuneID), optID(in.ZoneID), strings.Join(in.ScopeIssues, ","), in.Notes, status, outcome,
			in.RelayTarget, in.RelayReason, closed, optID(actor.UserID), t.now, t.now)
		if err != nil {
			return err
		}
		mid := maillon.MediationID(id)
		for i, p := range in.Parties {
			if err := t.insertParty(ctx, actor, actor.StructureID, mid, p, days[i],
				func(s string) string { return maillon.PartyField(i, s) }); err != nil {
				return err
			}
		}
		fields := []string{"status_" + status}
		if in.Relayed() {
			fields = append(fields, "relais")
		}
		if err := t.audit(ctx, actor, auditRow{action: maillon.AuditMediationCreate, recordType: "mediation", recordID: id, fields: fields}); err != nil {
			return err
		}
		m, err = t.mediationByID(ctx, actor, mid)
		return err
	})
	return m, err
}

// mediationActions are the audit actions of a case's history.
var mediationActions = []maillon.AuditAction{maillon.AuditMediationCreate, maillon.AuditMediationStatus,
	maillon.AuditMediationParty, maillon.AuditMediationConsent, maillon.AuditMediationStep, maillon.AuditMediationCommitment,
	maillon.AuditMediationFollowUp, maillon.AuditMediationPrint}

func (s *Store) readMediation(ctx context.Context, actor maillon.Actor, id maillon.MediationID, action maillon.AuditAction) (m *maillon.Mediation, err error) {
	if err := actor.Check(); err != nil {
		return nil, err
	}
	err = s.write(ctx, func(t *tx) error {
		m, err = t.mediationByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if action == maillon.AuditMediationRead {
			if m.History, err = t.recordHistory(ctx, m.StructureID, "mediation", int64(id), mediationActions...); err != nil {
				return err
			}
		}
		return t.audit(ctx, actor, auditRow{structureID: m.StructureID, action: action, recordType: "mediation", recordID: int64(id)})
	})
	return m, err
}

// FindMediationByID implements maillon.MediationService; every read is
// audited.
func (s *Store) FindMediationByID(ctx context.Context, actor maillon.Actor, id maillon.MediationID) (m *maillon.Mediation, err error) {
	defer wrap(&err, "FindMediationByID")
	return s.readMediation(ctx, actor, id, maillon.AuditMediationRead)
}

// FindMediationAgreement implements maillon.MediationService.
func (s *Store) FindMediationAgreement(ctx context.Context, actor maillon.Actor, id maillon.MediationID) (m *maillon.Mediation, err error) {
	defer wrap(&err, "FindMediationAgreement")
	return s.readMediation(ctx, actor, id, maillon.AuditMediationPrint)
}

// mediationWhere builds the list's filter, visibility included: a
// mediator sees the cases of their team and their own.
func mediationWhere(actor maillon.Actor, f maillon.MediationFilter, now time.Time) *whereBuilder {
	var w whereBuilder
	w.add("m.structure_id = ?", actor.StructureID)
	if !actor.CanViewTeamData(actor.StructureID) {
		w.add("(m.mediator_id = ? or m.team_id = ?)", actor.UserID, actor.TeamID)
	}
	if f.Kind != "" {
		w.add("m.kind = ?", f.Kind)
	}
	if f.Status != "" {
		w.add("m.status = ?", f.Status)
	}
	if f.TeamID != 0 {
		w.add("m.team_id = ?", f.TeamID)
	}
	if f.ZoneID != 0 {
		w.add("m.zone_id = ?", f.ZoneID)
	} else if f.CommuneID != 0 {
		w.add("m.commune_id = ?", f.CommuneID)
	}
	from, to := f.AgeBounds(now)
	if !from.IsZero() {
		w.add("m.origin_on >= ?", from)
	}
	if !to.IsZero() {
		w.add("m.origin_on < ?", to)
	}
	if f.PersonID != 0 {
		w.add("m.id in (select mediation_id from mediation_parties where person_id = ?)", f.PersonID)
	}
	return &w
}

// FindMediations implements maillon.MediationService. The list shows the
// subject and counts, not the parties: it is not audited.
func (s *Store) FindMediations(ctx context.Context, actor maillon.Actor, f maillon.MediationFilter) (out []maillon.Mediation, total int, err error) {
	defer wrap(&err, "FindMediations")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	w := mediationWhere(actor, f, s.clock())
	limit := pageLimit(f.Limit, 50, 500)
	// The count and the page are two queries: a window count would join
	// every matching row; here the count reads the list's index only and
	// the page stops after its rows.
	q := selectMediations + "\n" + w.String() + "\norder by m.origin_on desc, m.id desc\nlimit ? offset ?"
	err = s.read(ctx, func(t *tx) error {
		if err := t.one(ctx, "select count(*) from mediations m\n"+w.String(), w.args, &total); err != nil {
			return err
		}
		if total <= max(f.Offset, 0) {
			return nil
		}
		return t.many(ctx, q, append(w.args, limit, max(f.Offset, 0)), func(r *sql.Rows) error {
			m, err := scanMediation(r.Scan)
			out = append(out, m)
			return err
		})
	})
	return out, total, err
}

// SetMediationStatus implements maillon.MediationService.
func (s *Store) SetMediationStatus(ctx context.Context, actor maillon.Actor, id maillon.MediationID, in maillon.MediationStatusInput) (err error) {
	defer wrap(&err, "SetMediationStatus")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.mediationByID(ctx, actor, id)
		if err != nil {
			return err
		}
		followUp, err := in.Validate(m, t.now)
		if err != nil {
			return err
		}
		var closed time.Time
		if in.Status == maillon.MediationCloturee {
			closed = t.now
		}
		if _, err := t.exec(ctx, `update mediations set status = ?, outcome = ?, outcome_text = ?, relay_target = ?,
			relay_reason = ?, closed_at = ?, follow_up_on = ?, updated_at = ? where id = ?`,
			in.Status, in.Outcome, in.OutcomeText, in.RelayTarget, in.RelayReason, closed, followUp, t.now, id); err != nil {
			return err
		}
		fields := []string{"status_" + in.Status}
		if in.Outcome != "" {
			fields = append(fields, "outcome_"+in.Outcome)
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationStatus, recordType: "mediation", recordID: int64(id), fields: fields})
	})
}

// AddMediationParty implements maillon.MediationService.
func (s *Store) AddMediationParty(ctx context.Context, actor maillon.Actor, id maillon.MediationID, in maillon.PartyInput) (err error) {
	defer wrap(&err, "AddMediationParty")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.openMediation(ctx, actor, id)
		if err != nil {
			return err
		}
		on, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if err := t.insertParty(ctx, actor, m.StructureID, id, in, on, func(s string) string { return s }); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationParty, recordType: "mediation", recordID: int64(id),
			fields: []string{"party_" + in.Kind}})
	})
}

// SetPartyConsent implements maillon.MediationService.
func (s *Store) SetPartyConsent(ctx context.Context, actor maillon.Actor, id maillon.MediationID, party maillon.MediationPartyID, in maillon.PartyConsentInput) (err error) {
	defer wrap(&err, "SetPartyConsent")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.openMediation(ctx, actor, id)
		if err != nil {
			return err
		}
		p := m.Party(party)
		if p == nil {
			return maillon.NotFound("Partie")
		}
		on, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		if p.Kind == maillon.PartyInstitution {
			return maillon.Errorf(maillon.ErrInvalid, "Une institution participe par sa fonction : son accord n'est pas enregistré.")
		}
		field := "consent_given"
		if in.Withdraw {
			if !p.Consenting() {
				return maillon.Errorf(maillon.ErrInvalid, "Cette partie n'a pas d'accord en cours à retirer.")
			}
			field = "consent_withdrawn"
			p.WithdrawnAt = t.now
			_, err = t.exec(ctx, "update mediation_parties set withdrawn_at = ? where id = ?", t.now, party)
		} else {
			p.ConsentOn, p.Method, p.WithdrawnAt = on, in.Method, time.Time{}
			_, err = t.exec(ctx, "update mediation_parties set consent_on = ?, consent_method = ?, withdrawn_at = ? where id = ?",
				on, in.Method, nil, party)
		}
		if err != nil {
			return err
		}
		fields := []string{field}
		// A withdrawal takes effect at once: a mediation under way
		// without the consents it needs stops.
		if in.Withdraw && m.Status == maillon.MediationEnCours && m.StartProblem() != "" {
			if _, err := t.exec(ctx, "update mediations set status = ?, updated_at = ? where id = ?",
				maillon.MediationSuspendue, t.now, id); err != nil {
				return err
			}
			fields = append(fields, "status_"+maillon.MediationSuspendue)
		} else if _, err := t.exec(ctx, "update mediations set updated_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationConsent, recordType: "mediation", recordID: int64(id), fields: fields})
	})
}

// AddMediationStep implements maillon.MediationService.
func (s *Store) AddMediationStep(ctx context.Context, actor maillon.Actor, id maillon.MediationID, in maillon.StepInput) (err error) {
	defer wrap(&err, "AddMediationStep")
	if err := actor.Check(); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.openMediation(ctx, actor, id)
		if err != nil {
			return err
		}
		var fe maillon.FieldErrors
		var n int
		if err := t.one(ctx, "select count(*) from interventions where id = ? and structure_id = ?",
			[]any{in.InterventionID, m.StructureID}, &n); err != nil {
			return err
		}
		if n == 0 {
			fe.Add("intervention_id", "Choisissez une intervention de la structure.")
		}
		if in.PartyID != 0 && m.Party(in.PartyID) == nil {
			fe.Add("party_id", "Choisissez une partie de cette médiation.")
		}
		if len(m.Steps) >= maillon.MaxMediationSteps {
			fe.Add("step_kind", "Cette médiation compte déjà 200 étapes.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into mediation_steps (structure_id, mediation_id, kind, intervention_id, party_id, note,
			created_by, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)`, m.StructureID, id, in.Kind, in.InterventionID,
			optID(in.PartyID), in.Note, optID(actor.UserID), t.now); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update mediations set updated_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationStep, recordType: "mediation", recordID: int64(id),
			fields: []string{"step_" + in.Kind}})
	})
}

// AddCommitment implements maillon.MediationService.
func (s *Store) AddCommitment(ctx context.Context, actor maillon.Actor, id maillon.MediationID, in maillon.CommitmentInput) (err error) {
	defer wrap(&err, "AddCommitment")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.openMediation(ctx, actor, id)
		if err != nil {
			return err
		}
		on, err := in.Validate(t.now)
		if err != nil {
			return err
		}
		p := m.Party(in.PartyID)
		var fe maillon.FieldErrors
		switch {
		case p == nil:
			fe.Add("commitment_party_id", "Choisissez une partie de cette médiation.")
		case !p.Consenting():
			fe.Add("commitment_party_id", "Cette partie n'a pas (ou plus) donné son accord pour participer : enregistrez-le d'abord.")
		}
		if len(m.Commitments) >= maillon.MaxMediationSteps {
			fe.Add("commitment_text", "Cette médiation compte déjà 200 engagements.")
		}
		if err := fe.Err(); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `insert into mediation_commitments (structure_id, mediation_id, party_id, text, agreed_on,
			created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)`, m.StructureID, id, in.PartyID, in.Text, on,
			optID(actor.UserID), t.now); err != nil {
			return err
		}
		if _, err := t.exec(ctx, "update mediations set updated_at = ? where id = ?", t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationCommitment, recordType: "mediation", recordID: int64(id)})
	})
}

// SetMediationFollowUp implements maillon.MediationService.
func (s *Store) SetMediationFollowUp(ctx context.Context, actor maillon.Actor, id maillon.MediationID, result string) (err error) {
	defer wrap(&err, "SetMediationFollowUp")
	if err := actor.Check(); err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		m, err := t.mediationByID(ctx, actor, id)
		if err != nil {
			return err
		}
		if !m.Closed() || m.FollowUpOn.IsZero() {
			return maillon.Errorf(maillon.ErrInvalid, "Cette médiation n'a pas de suivi prévu : il se programme à la clôture.")
		}
		if !maillon.FollowUpResults.Valid(result) {
			msg := "Indiquez si l'accord tient."
			return &maillon.Error{Kind: maillon.ErrInvalid, Message: msg, Fields: map[string]string{"result": msg}}
		}
		if _, err := t.exec(ctx, "update mediations set follow_up_done = ?, follow_up_result = ?, updated_at = ? where id = ?",
			true, result, t.now, id); err != nil {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditMediationFollowUp, recordType: "mediation", recordID: int64(id),
			fields: []string{"follow_up_" + result}})
	})
}

// mediationFollowUpWhere selects the follow-ups to do of closed cases,
// those of mediatorID when not zero.
func mediationFollowUpWhere(sid maillon.StructureID, mediatorID maillon.UserID) *whereBuilder {
	var w whereBuilder
	w.add("m.structure_id = ?", sid)
	w.add("m.follow_up_done = ?", false)
	w.add("m.follow_up_on is not null")
	if mediatorID != 0 {
		w.add("m.mediator_id = ?", mediatorID)
	}
	return &w
}

// mediationFollowUps lists the follow-ups of closed cases. The subject
// stands for the case: the parties stay on its page.
func (t *tx) mediationFollowUps(ctx context.Context, w *whereBuilder, limit int) ([]maillon.FollowUp, error) {
	var out []maillon.FollowUp
	err := t.many(ctx, `select m.id, m.follow_up_on, m.subject from mediations m `+w.String()+
		` order by m.follow_up_on, m.id limit ?`, append(w.args, limit), func(r *sql.Rows) error {
		var fu maillon.FollowUp
		var subject string
		if err := r.Scan(&fu.MediationID, timeCol{&fu.On}, &subject); err != nil {
			return err
		}
		fu.NextStep = "Vérifier que l'accord de médiation tient (" + subject + ")"
		out = append(out, fu)
		return nil
	})
	return out, err
}

// personMediations adds to a person's timeline the cases where they are
// a party that the actor may open: the kind and status only, never the
// other parties.
func (t *tx) personMediations(ctx context.Context, actor maillon.Actor, pid maillon.PersonID, add func(maillon.TimelineEntry)) error {
	var w whereBuilder
	w.add("mp.person_id = ?", pid)
	if !actor.CanViewTeamData(actor.StructureID) {
		w.add("(m.mediator_id = ? or m.team_id = ?)", actor.UserID, actor.TeamID)
	}
	return t.many(ctx, `select m.id, m.created_at, m.kind, m.topic, m.status, m.outcome from mediation_parties mp
		join mediations m on m.id = mp.mediation_id `+w.String()+` order by m.created_at desc, m.id desc limit ?`,
		append(w.args, maxTimeline), func(r *sql.Rows) error {
			var m maillon.Mediation
			if err := r.Scan(&m.ID, timeCol{&m.CreatedAt}, &m.Kind, &m.Topic, &m.Status, &m.Outcome); err != nil {
				return err
			}
			detail := maillon.MediationStatuses.Label(m.Status)
			if m.Outcome != "" {
				detail += " · " + maillon.MediationOutcomes.Label(m.Outcome)
			}
			add(maillon.TimelineEntry{At: m.CreatedAt, Kind: "mediation",
				URL:   "/mediations/" + strconv.FormatInt(int64(m.ID), 10),
				Title: "Médiation : " + m.TopicLabel(), Detail: detail})
			return nil
		})
}
