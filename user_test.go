package maillon_test

import (
	"strings"
	"testing"

	"maillon"
)

func validUser() maillon.UserInput {
	return maillon.UserInput{
		Email:       " Samira.Benali@Mediaction.FR ",
		DisplayName: " Samira Benali ",
		Role:        maillon.RoleMediateur,
		Password:    "une longue phrase de passe",
	}
}

func TestUserInputValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*maillon.UserInput)
		want   map[string]string
	}{
		{"valid input", func(*maillon.UserInput) {}, nil},
		{"with a team", func(in *maillon.UserInput) { in.TeamID = 4 }, nil},
		{"temporary password", func(in *maillon.UserInput) {
			in.Password, in.MustChangePassword = maillon.TemporaryPassword(), true
		}, nil},
		{"e-mail missing", func(in *maillon.UserInput) { in.Email = "  " },
			map[string]string{"email": "Indiquez une adresse e-mail."}},
		{"e-mail with a display name", func(in *maillon.UserInput) { in.Email = "Samira <samira@exemple.fr>" },
			map[string]string{"email": "adresse e-mail valide"}},
		{"name missing", func(in *maillon.UserInput) { in.DisplayName = "" },
			map[string]string{"display_name": "Indiquez le nom affiché."}},
		{"name too long", func(in *maillon.UserInput) { in.DisplayName = strings.Repeat("n", 121) },
			map[string]string{"display_name": "trop long"}},
		{"role missing", func(in *maillon.UserInput) { in.Role = "" },
			map[string]string{"role": "Choisissez un rôle dans la liste."}},
		{"operator is not a role", func(in *maillon.UserInput) { in.Role = "operateur" },
			map[string]string{"role": "Choisissez un rôle"}},
		{"negative team", func(in *maillon.UserInput) { in.TeamID = -1 },
			map[string]string{"team_id": "Choisissez une équipe dans la liste."}},
		{"password too short", func(in *maillon.UserInput) { in.Password = "court" },
			map[string]string{"password": "au moins 12 caractères"}},
		{"password is the e-mail, whatever its case", func(in *maillon.UserInput) { in.Password = "SAMIRA.BENALI@MEDIACTION.FR" },
			map[string]string{"password": "adresse e-mail"}},
		{"password is the cleaned name", func(in *maillon.UserInput) { in.Password = "samira benali" },
			map[string]string{"password": "votre nom"}},
		{"everything missing", func(in *maillon.UserInput) { *in = maillon.UserInput{} },
			map[string]string{"email": "Indiquez", "display_name": "Indiquez", "role": "Choisissez", "password": "12 caractères"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validUser()
			tt.modify(&in)
			assertFields(t, in.Validate(), tt.want)
		})
	}
}

func TestUserInputValidateCleans(t *testing.T) {
	in := validUser()
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Email != "samira.benali@mediaction.fr" || in.DisplayName != "Samira Benali" {
		t.Fatalf("cleaned input: e-mail %q, name %q", in.Email, in.DisplayName)
	}
}

func TestUserUpdateValidate(t *testing.T) {
	ptr := func(s string) *string { return &s }
	role := func(r maillon.Role) *maillon.Role { return &r }
	team := func(id maillon.TeamID) *maillon.TeamID { return &id }
	tests := []struct {
		name string
		upd  maillon.UserUpdate
		want map[string]string
	}{
		{"nothing to change", maillon.UserUpdate{}, nil},
		{"new name", maillon.UserUpdate{DisplayName: ptr("Samira B.")}, nil},
		{"no team", maillon.UserUpdate{TeamID: team(0)}, nil},
		{"blank name", maillon.UserUpdate{DisplayName: ptr("  ")}, map[string]string{"display_name": "Indiquez le nom affiché."}},
		{"unknown role", maillon.UserUpdate{Role: role("chef")}, map[string]string{"role": "Choisissez un rôle"}},
		{"negative team", maillon.UserUpdate{TeamID: team(-2)}, map[string]string{"team_id": "Choisissez une équipe"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertFields(t, tt.upd.Validate(), tt.want)
		})
	}
	t.Run("name is trimmed", func(t *testing.T) {
		upd := maillon.UserUpdate{DisplayName: ptr(" Samira B. ")}
		if err := upd.Validate(); err != nil || *upd.DisplayName != "Samira B." {
			t.Fatalf("Validate() = %v, name %q", err, *upd.DisplayName)
		}
	})
}

func TestRoles(t *testing.T) {
	labels := map[string]bool{}
	for _, r := range maillon.Roles {
		if !r.Valid() {
			t.Errorf("role %q is listed but not valid", r)
		}
		if r.Label() == string(r) || r.Description() == "" {
			t.Errorf("role %q lacks a French label or description", r)
		}
		if labels[r.Label()] {
			t.Errorf("role label %q is used twice", r.Label())
		}
		labels[r.Label()] = true
	}
	if maillon.Role("operateur").Valid() || maillon.Role("").Valid() || maillon.Role("Admin").Valid() {
		t.Error("an unknown role is valid")
	}
}

func TestSetupInputValidate(t *testing.T) {
	valid := func() maillon.SetupInput {
		return maillon.SetupInput{
			StructureName: " Médiaction ",
			AdminName:     " Hélène Martin ",
			AdminEmail:    " Helene.Martin@Mediaction.fr ",
			Password:      "une longue phrase de passe",
		}
	}
	tests := []struct {
		name   string
		modify func(*maillon.SetupInput)
		want   map[string]string
	}{
		{"valid input", func(*maillon.SetupInput) {}, nil},
		{"structure name missing", func(in *maillon.SetupInput) { in.StructureName = "" },
			map[string]string{"structure_name": "Indiquez le nom de la structure."}},
		{"admin name missing", func(in *maillon.SetupInput) { in.AdminName = "" },
			map[string]string{"admin_name": "Indiquez votre nom."}},
		{"admin e-mail invalid", func(in *maillon.SetupInput) { in.AdminEmail = "helene" },
			map[string]string{"admin_email": "adresse e-mail valide"}},
		{"password is the admin's name without accents", func(in *maillon.SetupInput) { in.Password = "HELENEMARTIN" },
			map[string]string{"password": "votre nom"}},
		{"password contains the e-mail local part", func(in *maillon.SetupInput) { in.Password = "helene.martin!!" },
			map[string]string{"password": "adresse e-mail"}},
		{"common password", func(in *maillon.SetupInput) { in.Password = "Azertyuiop123" },
			map[string]string{"password": "trop courant"}},
		{"everything missing", func(in *maillon.SetupInput) { *in = maillon.SetupInput{} },
			map[string]string{"structure_name": "Indiquez", "admin_name": "Indiquez", "admin_email": "Indiquez", "password": "12 caractères"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := valid()
			tt.modify(&in)
			assertFields(t, in.Validate(), tt.want)
		})
	}
	t.Run("values are cleaned", func(t *testing.T) {
		in := valid()
		if err := in.Validate(); err != nil {
			t.Fatal(err)
		}
		if in.StructureName != "Médiaction" || in.AdminName != "Hélène Martin" || in.AdminEmail != "helene.martin@mediaction.fr" {
			t.Fatalf("cleaned input = %+v", in)
		}
	})
}

func TestInstanceNeedsSetup(t *testing.T) {
	if !(maillon.InstanceInfo{}).NeedsSetup() {
		t.Error("an empty instance does not need set-up")
	}
	if (maillon.InstanceInfo{Structures: 1, Users: 1}).NeedsSetup() {
		t.Error("an instance with a user still needs set-up")
	}
}
