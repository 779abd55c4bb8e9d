package store

import (
	"context"
	"strings"
	"time"

	"maillon"
)

// The tables of a collective actions import.
var (
	importActiviteRows = importTable{"activites", true, []string{"id", "structure_id", "title", "kind", "commune_id", "zone_id",
		"public", "need", "need_source", "participation", "resources", "channels", "accessibility", "risks", "starts_on",
		"ends_on", "status", "cancel_reason", "team_id", "owner_id", "validated_by", "validated_at", "effects", "testimonies",
		"lessons", "decision", "decision_text", "seance_count", "created_at", "updated_at"}}
	importObjectives   = importTable{"activite_objectives", false, []string{"activite_id", "label", "indicator", "target", "unit", "entered"}}
	importActPartners  = importTable{"activite_partners", false, []string{"activite_id", "directory_id", "name", "role"}}
	importBudget       = importTable{"activite_budget", false, []string{"activite_id", "funder", "label", "planned", "actual"}}
	importAdjustments  = importTable{"activite_adjustments", false, []string{"activite_id", "at", "what", "why", "author_id"}}
	importSeanceRows   = importTable{"seances", true, []string{"id", "structure_id", "activite_id", "series_id", "starts_at", "ends_at", "place", "capacity", "facilitators", "observations", "attendance_done", "registered", "waiting", "present", "answers", "created_at"}}
	importRegistration = importTable{"seance_registrations", false, []string{"seance_id", "person_id", "count", "waiting", "attendance", "created_by", "created_at"}}
	importTallies      = importTable{"seance_tallies", false, []string{"seance_id", "age_band", "gender", "zone_id", "newcomer", "count"}}
	importAnswers      = importTable{"seance_answers", false, []string{"seance_id", "q1", "q2", "q3", "q4", "q5", "comment", "source", "created_at"}}
)

// ImportActivites implements maillon.ActiviteImporter. The counters kept
// by the store (sessions of a project; places, waiting, present and
// answers of a session) are computed here from the rows.
func (s *Store) ImportActivites(ctx context.Context, actor maillon.Actor, as []maillon.Activite) (err error) {
	defer wrap(&err, "ImportActivites")
	if err := checkImporter(actor); err != nil {
		return err
	}
	for i := range as {
		if err := as[i].CheckImport(); err != nil {
			return err
		}
	}
	if len(as) == 0 {
		return nil
	}
	tables := []importTable{importActiviteRows, importObjectives, importActPartners, importBudget, importAdjustments,
		importSeanceRows, importRegistration, importTallies, importAnswers}
	stmts, err := s.importStatements(ctx, tables...)
	if err != nil {
		return err
	}
	return s.write(ctx, func(t *tx) error {
		ids, err := t.nextIDs(ctx, "activites", "seances")
		if err != nil {
			return err
		}
		nextA, nextS := ids[0], ids[1]
		marks := map[reportMark]bool{}
		for i := range as {
			for _, se := range as[i].Seances {
				marks[reportMark{as[i].StructureID, se.StartsAt.UTC().Format(time.DateOnly)}] = true
			}
		}
		if err := t.pauseReportMarks(ctx, marks); err != nil {
			return err
		}
		acts := t.newBatch(ctx, importActiviteRows, stmts)
		objs := t.newBatch(ctx, importObjectives, stmts)
		parts := t.newBatch(ctx, importActPartners, stmts)
		budget := t.newBatch(ctx, importBudget, stmts)
		adjs := t.newBatch(ctx, importAdjustments, stmts)
		seances := t.newBatch(ctx, importSeanceRows, stmts)
		regs := t.newBatch(ctx, importRegistration, stmts)
		tallies := t.newBatch(ctx, importTallies, stmts)
		answers := t.newBatch(ctx, importAnswers, stmts)
		objs.parent, parts.parent, budget.parent, adjs.parent, seances.parent = acts, acts, acts, acts, acts
		regs.parent, tallies.parent, answers.parent = seances, seances, seances
		all := batches{acts, objs, parts, budget, adjs, seances, regs, tallies, answers}
		defer all.close()
		structures := map[maillon.StructureID]bool{}
		for i := range as {
			a := &as[i]
			if !structures[a.StructureID] {
				if _, err := t.structureByID(ctx, a.StructureID); err != nil {
					return err
				}
				structures[a.StructureID] = true
			}
			a.ID = maillon.ActiviteID(nextA)
			nextA++
			id, sid := int64(a.ID), int64(a.StructureID)
			updated := later(a.UpdatedAt, a.CreatedAt)
			if err := acts.add(ctx, id, sid, a.Title, a.Kind, optID(a.CommuneID), optID(a.ZoneID), a.Public, a.Need,
				a.NeedSource, a.Participation, a.Resources, strings.Join(a.Channels, ","), strings.Join(a.Accessibility, ","),
				a.Risks, a.StartsOn, a.EndsOn, a.Status, a.CancelReason, optID(a.TeamID), optID(a.OwnerID), nil, a.ValidatedAt,
				a.Effects, a.Testimonies, a.Lessons, a.Decision, a.DecisionText, len(a.Seances), a.CreatedAt, updated); err != nil {
				return err
			}
			for _, o := range a.Objectives {
				var entered any
				if o.HasEntered {
					entered = int64(o.Entered)
				}
				if err := objs.add(ctx, id, o.Label, o.Indicator, o.Target, o.Unit, entered); err != nil {
					return err
				}
			}
			for _, p := range a.Partners {
				if err := parts.add(ctx, id, optID(p.DirectoryID), p.Name, p.Role); err != nil {
					return err
				}
			}
			for _, b := range a.Budget {
				if err := budget.add(ctx, id, b.Funder, b.Label, b.Planned, b.Actual); err != nil {
					return err
				}
			}
			for _, j := range a.Adjustments {
				if err := adjs.add(ctx, id, later(j.At, a.CreatedAt), j.What, j.Why, optID(a.OwnerID)); err != nil {
					return err
				}
			}
			series := int64(0)
			for k := range a.Seances {
				se := &a.Seances[k]
				se.ID = maillon.SeanceID(nextS)
				nextS++
				if series == 0 || se.SeriesID == 0 {
					series = int64(se.ID)
				}
				registered, waiting, present := 0, 0, 0
				for _, r := range se.Registrations {
					if r.Waiting {
						waiting += r.Count
					} else {
						registered += r.Count
					}
					if r.Attendance == maillon.PresencePresent && !r.Waiting {
						present += r.Count
					}
				}
				for _, g := range se.Tallies {
					present += g.Count
				}
				if !se.AttendanceDone {
					present = 0
				}
				// The session first: its rows point to it.
				if err := seances.add(ctx, int64(se.ID), sid, id, series, se.StartsAt, se.EndsAt, se.Place, se.Capacity,
					se.Facilitators, se.Observations, se.AttendanceDone, registered, waiting, present, len(se.Imported),
					a.CreatedAt); err != nil {
					return err
				}
				for _, r := range se.Registrations {
					if err := regs.add(ctx, int64(se.ID), optID(r.PersonID), r.Count, r.Waiting, r.Attendance,
						optID(a.OwnerID), later(r.CreatedAt, a.CreatedAt)); err != nil {
						return err
					}
				}
				for _, g := range se.Tallies {
					if err := tallies.add(ctx, int64(se.ID), g.AgeBand, g.Gender, optID(g.ZoneID), g.Newcomer, g.Count); err != nil {
						return err
					}
				}
				for _, x := range se.Imported {
					if err := answers.add(ctx, int64(se.ID), x.Scores[0], x.Scores[1], x.Scores[2], x.Scores[3], x.Scores[4],
						x.Comment, "papier", se.EndsAt); err != nil {
						return err
					}
				}
			}
		}
		if err := all.flush(ctx); err != nil {
			return err
		}
		if err := t.syncIDs(ctx, "activites", "seances"); err != nil {
			return err
		}
		if err := t.resumeReportMarks(ctx); err != nil {
			return err
		}
		return t.auditImport(ctx, actor, "activite", len(as), func(i int) maillon.StructureID { return as[i].StructureID })
	})
}
