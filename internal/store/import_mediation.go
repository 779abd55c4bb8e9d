package store

import (
	"context"
	"strings"
	"time"

	"maillon"
)

// The tables of a mediations import.
var (
	importMediationRows = importTable{"mediations", true, []string{"id", "structure_id", "kind", "topic", "subject", "origin",
		"origin_on", "team_id", "mediator_id", "commune_id", "zone_id", "scope_issues", "notes", "status", "outcome",
		"outcome_text", "relay_target", "relay_reason", "closed_at", "follow_up_on", "follow_up_done", "follow_up_result",
		"party_count", "created_by", "created_at", "updated_at"}}
	importMediationParties = importTable{"mediation_parties", true, []string{"id", "structure_id", "mediation_id", "kind",
		"person_id", "label", "consent_method", "consent_on", "withdrawn_at", "created_by", "created_at"}}
	importMediationSteps = importTable{"mediation_steps", false, []string{"structure_id", "mediation_id", "kind",
		"intervention_id", "party_id", "note", "created_by", "created_at"}}
	importCommitments = importTable{"mediation_commitments", false, []string{"structure_id", "mediation_id", "party_id",
		"text", "agreed_on", "created_by", "created_at"}}
)

// ImportMediations implements maillon.Importer.
func (s *Store) ImportMediations(ctx context.Context, actor maillon.Actor, ms []maillon.Mediation) (err error) {
	defer wrap(&err, "ImportMediations")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range ms {
		if err := ms[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(ms) == 0 {
		return nil
	}
	stmts, err := s.importStatements(ctx, importMediationRows, importMediationParties, importMediationSteps, importCommitments)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "mediations", "mediation_parties")
		if err != nil {
			return err
		}
		nextM, nextP := ids[0], ids[1]
		mediations := t.newBatch(ctx, importMediationRows, stmts)
		parties := t.newBatch(ctx, importMediationParties, stmts)
		steps := t.newBatch(ctx, importMediationSteps, stmts)
		commitments := t.newBatch(ctx, importCommitments, stmts)
		parties.parent = mediations
		steps.parent, commitments.parent = parties, parties
		all := batches{mediations, parties, steps, commitments}
		defer all.close()
		structures := map[maillon.StructureID]bool{}
		for i := range ms {
			m := &ms[i]
			if !structures[m.StructureID] {
				if _, err := t.structureByID(ctx, m.StructureID); err != nil {
					return err
				}
				structures[m.StructureID] = true
			}
			m.ID = maillon.MediationID(nextM)
			nextM++
			created := m.CreatedAt
			if created.IsZero() {
				created = m.OriginOn
			}
			updated := later(m.UpdatedAt, created)
			id, sid := int64(m.ID), int64(m.StructureID)
			if err := mediations.add(ctx, id, sid, m.Kind, m.Topic, m.Subject, m.Origin, m.OriginOn, optID(m.TeamID),
				optID(m.MediatorID), optID(m.CommuneID), optID(m.ZoneID), strings.Join(m.ScopeIssues, ","), m.Notes, m.Status,
				m.Outcome, m.OutcomeText, m.RelayTarget, m.RelayReason, m.ClosedAt, m.FollowUpOn, m.FollowUpDone,
				m.FollowUpResult, len(m.Parties), optID(m.CreatedBy), created, updated); err != nil {
				return err
			}
			partyIDs := make([]int64, len(m.Parties))
			for j := range m.Parties {
				p := &m.Parties[j]
				p.ID = maillon.MediationPartyID(nextP)
				partyIDs[j] = nextP
				nextP++
				if err := parties.add(ctx, int64(p.ID), sid, id, p.Kind, optID(p.PersonID), p.Label, p.Method, p.ConsentOn,
					p.WithdrawnAt, optID(m.CreatedBy), created); err != nil {
					return err
				}
			}
			// Steps and commitments name their party by rank.
			party := func(rank maillon.MediationPartyID) any {
				if rank <= 0 || int(rank) > len(partyIDs) {
					return nil
				}
				return partyIDs[rank-1]
			}
			for _, st := range m.Steps {
				if err := steps.add(ctx, sid, id, st.Kind, int64(st.InterventionID), party(st.PartyID), st.Note,
					optID(m.MediatorID), later(st.At, created)); err != nil {
					return err
				}
			}
			for _, c := range m.Commitments {
				if err := commitments.add(ctx, sid, id, party(c.PartyID), c.Text, c.AgreedOn, optID(m.MediatorID),
					later(c.AgreedOn, created)); err != nil {
					return err
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "mediations", "mediation_parties"); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "mediation", len(ms), func(i int) maillon.StructureID { return ms[i].StructureID })
	})
}

// later returns the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
