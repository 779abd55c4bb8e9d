package maillon

import "testing"

func TestAuditActionsHaveLabels(t *testing.T) {
	actions := AuditActions()
	if len(actions) != len(auditLabels) {
		t.Errorf("AuditActions() lists %d actions, %d have labels: every labelled action must be listed for filters", len(actions), len(auditLabels))
	}
	seen := map[AuditAction]bool{}
	labels := map[string]AuditAction{}
	for _, a := range actions {
		if seen[a] {
			t.Errorf("action %q listed twice", a)
		}
		seen[a] = true
		if !a.Valid() {
			t.Errorf("action %q is listed but not valid", a)
		}
		l := a.Label()
		if l == "" || l == string(a) {
			t.Errorf("action %q has no French label", a)
		}
		if other, ok := labels[l]; ok {
			t.Errorf("actions %q and %q share the label %q", a, other, l)
		}
		labels[l] = a
	}
}

func TestUnknownAuditAction(t *testing.T) {
	a := AuditAction("nothing.known")
	if a.Valid() {
		t.Error("an unknown action is valid")
	}
	if a.Label() != "nothing.known" {
		t.Errorf("Label() = %q, want the raw action", a.Label())
	}
}

func TestAuditEntryActorLabel(t *testing.T) {
	tests := []struct {
		name  string
		entry AuditEntry
		want  string
	}{
		{"named user", AuditEntry{ActorID: 4, ActorName: "Samira Benali", Channel: ChannelWeb}, "Samira Benali"},
		{"deleted or unnamed user", AuditEntry{ActorID: 4, Channel: ChannelAPI}, "Compte n° 4"},
		{"scheduled job", AuditEntry{Channel: ChannelJob}, "Tâche automatique"},
		{"operator", AuditEntry{Channel: ChannelCLI}, "Opérateur (ligne de commande)"},
		{"failed login of an unknown e-mail", AuditEntry{Channel: ChannelWeb}, "Inconnu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.entry.ActorLabel(); got != tt.want {
				t.Fatalf("ActorLabel() = %q, want %q", got, tt.want)
			}
		})
	}
}
