package store

import (
	"context"
	"database/sql"

	"maillon"
)

const settingDemo = "demo"

// Instance implements maillon.InstanceService.
func (s *Store) Instance(ctx context.Context) (info maillon.InstanceInfo, err error) {
	defer wrap(&err, "Instance")
	err = s.read(ctx, func(t *tx) error {
		var demo sql.NullString
		err := t.one(ctx, `select
			(select count(*) from structures),
			(select count(*) from users),
			(select value from instance_settings where key = ?)`,
			[]any{settingDemo}, &info.Structures, &info.Users, &demo)
		info.Demo = demo.String == "1"
		return err
	})
	return info, err
}

// ClaimDemo implements maillon.InstanceService: the first caller inserts
// the demo flag and gets true.
func (s *Store) ClaimDemo(ctx context.Context, actor maillon.Actor) (claimed bool, err error) {
	defer wrap(&err, "ClaimDemo")
	if !actor.Operator {
		return false, maillon.Forbidden()
	}
	err = s.write(ctx, func(t *tx) error {
		n, err := t.exec(ctx, `insert into instance_settings (key, value) values (?, '1')
			on conflict (key) do nothing`, settingDemo)
		claimed = n == 1
		return err
	})
	return claimed, err
}

// Setup implements maillon.InstanceService.
func (s *Store) Setup(ctx context.Context, in maillon.SetupInput) (u *maillon.User, err error) {
	defer wrap(&err, "Setup")
	if err := in.Validate(); err != nil {
		return nil, err
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return nil, err
	}
	actor := maillon.Actor{Channel: maillon.ChannelWeb, RequestID: in.RequestID}
	err = s.write(ctx, func(t *tx) error {
		var users int
		if err := t.one(ctx, "select count(*) from users", nil, &users); err != nil {
			return err
		}
		if users > 0 {
			return maillon.NotFound("Page")
		}
		st := maillon.StructureInput{Name: in.StructureName, Holidays: maillon.HolidaysMetropole}
		sid, err := t.insertStructure(ctx, st, maillon.DefaultOfficeHours())
		if err != nil {
			return err
		}
		uin := maillon.UserInput{Email: in.AdminEmail, DisplayName: in.AdminName, Role: maillon.RoleAdmin}
		u, err = t.insertUser(ctx, sid, uin, hash)
		if err != nil {
			return err
		}
		actor.UserID, actor.StructureID = u.ID, sid
		return t.audit(ctx, actor, auditRow{action: maillon.AuditSetup, recordType: "structure", recordID: int64(sid)})
	})
	return u, err
}
