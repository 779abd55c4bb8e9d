package ui

import (
	"reflect"
	"testing"
)

func TestFormSummaryOrder(t *testing.T) {
	f := NewForm("email", "display_name", "role")
	f.Errors["role"] = "Choisissez un rôle."
	f.Errors["zeta"] = "Erreur zeta."
	f.Errors["email"] = "Indiquez une adresse e-mail."
	f.Errors["alpha_field"] = "Erreur alpha."
	want := []SummaryItem{
		{"f-email", "Indiquez une adresse e-mail."},
		{"f-role", "Choisissez un rôle."},
		{"f-alpha-field", "Erreur alpha."},
		{"f-zeta", "Erreur zeta."},
	}
	// Map order is random: repeat to catch an order that is right by chance.
	for range 20 {
		if got := f.Summary(); !reflect.DeepEqual(got, want) {
			t.Fatalf("Summary() = %v, want %v", got, want)
		}
	}
}

func TestFormNilAndEmpty(t *testing.T) {
	var f *Form
	if f.Get("email") != "" || f.HasErrors() || f.Summary() != nil {
		t.Fatal("a nil form must read as empty")
	}
	g := NewForm("email").Set("email", "samira@exemple.fr")
	if g.Get("email") != "samira@exemple.fr" || g.HasErrors() || len(g.Summary()) != 0 {
		t.Fatalf("form = %+v", g)
	}
	g.Errors["email"] = "Indiquez une adresse e-mail."
	if !g.HasErrors() {
		t.Fatal("HasErrors() = false with an error")
	}
}

func TestFieldID(t *testing.T) {
	tests := map[string]string{
		"email":             "f-email",
		"display_name":      "f-display-name",
		"hours_lundi":       "f-hours-lundi",
		"audit_from_date_x": "f-audit-from-date-x",
	}
	for name, want := range tests {
		if got := FieldID(name); got != want {
			t.Errorf("FieldID(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestMakeField(t *testing.T) {
	form := NewForm()
	form.Set("email", "samira@exemple").Set("notes", "ligne").Set("active", "on").Set("agree", "off")
	form.Errors["email"] = "Indiquez une adresse e-mail valide."
	roles := []Option{{Value: "admin", Label: "Administration"}, {Value: "mediateur", Label: "Médiation", Hint: "Saisit son activité."}}
	tests := []struct {
		name  string
		form  *Form
		field string
		label string
		opts  []any
		want  Field
	}{
		{"defaults", nil, "display_name", "Nom affiché", nil,
			Field{Name: "display_name", ID: "f-display-name", Label: "Nom affiché", Type: "text"}},
		{"value and error come from the form", form, "email", "Adresse e-mail", []any{"required", "type=email", "autocomplete=email", "max=254"},
			Field{Name: "email", ID: "f-email", Label: "Adresse e-mail", Type: "email", Value: "samira@exemple",
				Error: "Indiquez une adresse e-mail valide.", Required: true, Autocomplete: "email", MaxLength: 254}},
		{"hint may contain an equals sign", nil, "siret", "SIRET", []any{"hint=14 chiffres, clé = Luhn", "inputmode=numeric", "autofocus"},
			Field{Name: "siret", ID: "f-siret", Label: "SIRET", Type: "text", Hint: "14 chiffres, clé = Luhn", InputMode: "numeric", Autofocus: true}},
		{"multiline with rows", form, "notes", "Notes", []any{"multiline", "rows=6", "max=5000"},
			Field{Name: "notes", ID: "f-notes", Label: "Notes", Type: "text", Value: "ligne", Multiline: true, Rows: 6, MaxLength: 5000}},
		{"options of a select", nil, "role", "Rôle", []any{roles, "required"},
			Field{Name: "role", ID: "f-role", Label: "Rôle", Type: "text", Options: roles, Required: true}},
		{"checked checkbox", form, "active", "Actif", []any{"type=checkbox"},
			Field{Name: "active", ID: "f-active", Label: "Actif", Type: "checkbox", Value: "on", Checked: true}},
		{"unchecked checkbox", form, "agree", "J'accepte", []any{"type=checkbox"},
			Field{Name: "agree", ID: "f-agree", Label: "J'accepte", Type: "checkbox", Value: "off"}},
		{"checked only for checkboxes", form, "active", "Actif", nil,
			Field{Name: "active", ID: "f-active", Label: "Actif", Type: "text", Value: "on"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := makeField(tt.form, tt.field, tt.label, tt.opts...)
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("makeField() = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestMakeFieldUnknownOptionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("an unknown option did not panic: a typo in a template must not pass silently")
		}
	}()
	makeField(nil, "email", "Adresse e-mail", "requird")
}

func TestDescribedBy(t *testing.T) {
	tests := []struct {
		name string
		f    Field
		want string
	}{
		{"nothing", Field{ID: "f-email"}, ""},
		{"hint only", Field{ID: "f-email", Hint: "Votre adresse professionnelle."}, "f-email-hint"},
		{"error only", Field{ID: "f-email", Error: "Indiquez une adresse."}, "f-email-error"},
		{"hint then error", Field{ID: "f-email", Hint: "h", Error: "e"}, "f-email-hint f-email-error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.DescribedBy(); got != tt.want {
				t.Fatalf("DescribedBy() = %q, want %q", got, tt.want)
			}
		})
	}
}
