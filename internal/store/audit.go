package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"maillon"
)

// auditRow is what a store method records about an action.
type auditRow struct {
	structureID maillon.StructureID // defaults to the actor's
	action      maillon.AuditAction
	recordType  string
	recordID    int64
	fields      []string
}

// audit appends an entry in the caller's transaction, so that the action
// and its trace commit or fail together.
func (t *tx) audit(ctx context.Context, actor maillon.Actor, r auditRow) error {
	sid := r.structureID
	if sid == 0 {
		sid = actor.StructureID
	}
	ch := actor.Channel
	if ch == "" {
		ch = maillon.ChannelWeb
	}
	_, err := t.exec(ctx, `insert into audit_log
		(at, structure_id, actor_id, channel, action, record_type, record_id, fields, request_id)
		values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.now, optID(sid), optID(actor.UserID), string(ch), string(r.action),
		r.recordType, r.recordID, strings.Join(r.fields, ","), truncate(actor.RequestID, 64))
	if err != nil {
		return fmt.Errorf("audit %s: %w", r.action, err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

const findAuditEntries = `select a.id, a.at, a.structure_id, a.actor_id, coalesce(u.display_name, ''),
	a.channel, a.action, a.record_type, a.record_id, a.fields, a.request_id,
	count(*) over ()
from audit_log a
left join users u on u.id = a.actor_id
%s
order by a.at desc, a.id desc
limit ? offset ?`

// FindAuditEntries implements maillon.AuditService.
func (s *Store) FindAuditEntries(ctx context.Context, actor maillon.Actor, f maillon.AuditFilter) (entries []maillon.AuditEntry, total int, err error) {
	defer wrap(&err, "FindAuditEntries")
	if err := actor.Check(); err != nil {
		return nil, 0, err
	}
	if !actor.CanAdminStructure(actor.StructureID) || actor.StructureID == 0 {
		return nil, 0, maillon.Forbidden()
	}
	var w whereBuilder
	w.add("a.structure_id = ?", actor.StructureID)
	if f.ActorID != 0 {
		w.add("a.actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("a.action = ?", string(f.Action))
	}
	if !f.From.IsZero() {
		w.add("a.at >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("a.at < ?", f.To)
	}
	limit := pageLimit(f.Limit, 50, 500)
	offset := max(f.Offset, 0)
	err = s.read(ctx, func(t *tx) error {
		return t.many(ctx, fmt.Sprintf(findAuditEntries, w.String()), append(w.args, limit, offset), func(r *sql.Rows) error {
			var e maillon.AuditEntry
			var ch, action, fields string
			if err := r.Scan(&e.ID, timeCol{&e.At}, scanID(&e.StructureID), scanID(&e.ActorID), &e.ActorName,
				&ch, &action, &e.RecordType, &e.RecordID, &fields, &e.RequestID, &total); err != nil {
				return err
			}
			e.Channel, e.Action = maillon.Channel(ch), maillon.AuditAction(action)
			if fields != "" {
				e.Fields = strings.Split(fields, ",")
			}
			entries = append(entries, e)
			return nil
		})
	})
	return entries, total, err
}

// PurgeAudit implements maillon.AuditService: it deletes entries older than
// the retention period, and records the purge itself.
func (s *Store) PurgeAudit(ctx context.Context, actor maillon.Actor, months int) (n int64, err error) {
	defer wrap(&err, "PurgeAudit")
	if !actor.Operator {
		return 0, maillon.Forbidden()
	}
	if months < maillon.AuditRetentionMinMonths || months > 36 {
		return 0, maillon.Errorf(maillon.ErrInvalid, "La durée de conservation du journal doit être comprise entre %d et 36 mois.", maillon.AuditRetentionMinMonths)
	}
	err = s.write(ctx, func(t *tx) error {
		cutoff := t.now.AddDate(0, -months, 0)
		n, err = t.exec(ctx, "delete from audit_log where at < ?", cutoff)
		if err != nil || n == 0 {
			return err
		}
		return t.audit(ctx, actor, auditRow{action: maillon.AuditAuditPurge, recordID: n})
	})
	return n, err
}

// wrap adds the method name to an error that is not a domain error; domain
// errors keep their safe message untouched.
func wrap(err *error, method string) {
	if *err == nil {
		return
	}
	if _, ok := (*err).(*maillon.Error); ok {
		return
	}
	*err = fmt.Errorf("store.%s: %w", method, *err)
}

// recordHistory lists who changed a record and when, from the audit log:
// the names of the fields changed, never their values.
func (t *tx) recordHistory(ctx context.Context, sid maillon.StructureID, recordType string, id int64, actions ...maillon.AuditAction) ([]maillon.AuditEntry, error) {
	args := []any{recordType, id, sid}
	marks := make([]string, len(actions))
	for i, a := range actions {
		marks[i] = "?"
		args = append(args, string(a))
	}
	var out []maillon.AuditEntry
	err := t.many(ctx, `select a.id, a.at, a.actor_id, coalesce(u.display_name, ''), a.channel, a.action, a.fields
		from audit_log a left join users u on u.id = a.actor_id
		where a.record_type = ? and a.record_id = ? and a.structure_id = ? and a.action in (`+strings.Join(marks, ", ")+`)
		order by a.at desc, a.id desc limit 100`, args, func(r *sql.Rows) error {
		var e maillon.AuditEntry
		var ch, action, fields string
		if err := r.Scan(&e.ID, timeCol{&e.At}, scanID(&e.ActorID), &e.ActorName, &ch, &action, &fields); err != nil {
			return err
		}
		e.Channel, e.Action = maillon.Channel(ch), maillon.AuditAction(action)
		if fields != "" {
			e.Fields = strings.Split(fields, ",")
		}
		out = append(out, e)
		return nil
	})
	return out, err
}
