package store

import (
	"context"
	"strings"
	"time"

	"maillon"
)

// The orientations of a bulk import and their partner links.
var (
	importOrientations = importTable{"orientations", true, []string{"id", "structure_id", "person_id", "partner_name",
		"partner_key", "partner_contact", "reason", "shared_items", "shared_text", "mode", "status", "closure_reason",
		"closure_text", "expected_on", "transmitted_at", "outcome_at", "outcome_source", "created_by", "created_at",
		"updated_at"}}
	importLinks = importTable{"orientation_links", false, []string{"structure_id", "orientation_id", "token_hash",
		"created_by", "created_at", "expires_at", "revoked_at", "used_at"}}
)

// ImportOrientations implements maillon.Importer.
func (s *Store) ImportOrientations(ctx context.Context, actor maillon.Actor, list []maillon.ImportOrientation) (err error) {
	defer wrap(&err, "ImportOrientations")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range list {
		if err := list[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(list) == 0 {
		return nil
	}
	stmts, err := s.importStatements(ctx, importOrientations, importLinks)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "orientations")
		if err != nil {
			return err
		}
		next := ids[0]
		orientations := t.newBatch(ctx, importOrientations, stmts)
		links := t.newBatch(ctx, importLinks, stmts)
		links.parent = orientations
		all := batches{orientations, links}
		defer all.close()
		structures := map[maillon.StructureID]bool{}
		for i := range list {
			o := &list[i].Orientation
			if !structures[o.StructureID] {
				if _, err := t.structureByID(ctx, o.StructureID); err != nil {
					return err
				}
				structures[o.StructureID] = true
			}
			o.ID = maillon.OrientationID(next)
			next++
			// The last change: the outcome, the transmission or the
			// saving.
			updated := o.CreatedAt
			for _, at := range []time.Time{o.TransmittedAt, o.OutcomeAt} {
				if at.After(updated) {
					updated = at
				}
			}
			o.UpdatedAt = updated
			sid := int64(o.StructureID)
			if err := orientations.add(ctx, int64(o.ID), sid, optID(o.PersonID), o.PartnerName, partnerKey(o.PartnerName),
				o.PartnerContact, o.Reason, strings.Join(o.SharedItems, ","), o.SharedText, o.Mode, o.Status,
				o.ClosureReason, o.ClosureText, o.ExpectedOn, o.TransmittedAt, o.OutcomeAt, o.OutcomeSource,
				optID(o.CreatedBy), o.CreatedAt, updated); err != nil {
				return err
			}
			if l := list[i].Link; l != nil {
				token, err := randomToken()
				if err != nil {
					return err
				}
				if err := links.add(ctx, sid, int64(o.ID), tokenHash(token), optID(l.CreatedBy), l.CreatedAt, l.ExpiresAt,
					l.RevokedAt, l.UsedAt); err != nil {
					return err
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "orientations"); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "orientation", len(list), func(i int) maillon.StructureID { return list[i].Orientation.StructureID })
	})
}
