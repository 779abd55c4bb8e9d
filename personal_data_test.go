package maillon

import (
	"testing"
	"time"
)

// Technical reports and information items raise the personal-data
// warning, and pass once the box is ticked.
func TestPersonalDataWarningOnTechAndInfo(t *testing.T) {
	now := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	tech := TechReportInput{Category: "ascenseur", Location: "Bâtiment C", PartnerName: "Bailleur", PartnerKind: "bailleur",
		Description: "Panne signalée par Mme Durand, 06 12 34 56 78."}
	if _, err := tech.Validate(now); !PersonalDataWarning(err) || FieldsOf(err)["description"] == "" {
		t.Errorf("tech report: %v", err)
	}
	tech.Confirmed = true
	if _, err := tech.Validate(now); err != nil {
		t.Errorf("confirmed tech report: %v", err)
	}
	info := InfoInput{Title: "Permanence", Content: "Contact : jean.dupont@exemple.fr", Level: InfoStructure}
	if _, err := info.Validate(now); !PersonalDataWarning(err) || FieldsOf(err)["content"] == "" {
		t.Errorf("info content: %v", err)
	}
	info.Content = "Le mardi, sans rendez-vous."
	info.Title = "Permanence de Sophie Marchand"
	if _, err := info.Validate(now); !PersonalDataWarning(err) || FieldsOf(err)["title"] == "" {
		t.Errorf("info title: %v", err)
	}
	info.Confirmed = true
	if _, err := info.Validate(now); err != nil {
		t.Errorf("confirmed info: %v", err)
	}
}
