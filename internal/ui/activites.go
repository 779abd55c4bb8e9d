package ui

import "maillon"

// init adds the vocabularies of collective actions to the lists templates
// may label codes from, in the module's own file.
func init() {
	for name, cs := range map[string]maillon.Choices{
		"activite_kind": maillon.ActiviteKinds, "activite_status": maillon.ActiviteStatuses,
		"participation": maillon.ParticipationLevels, "accessibility": maillon.AccessibilityItems,
		"com_channel": maillon.CommunicationChannels, "indicator": maillon.ObjectiveIndicators,
		"presence": maillon.Presences, "decision": maillon.ActiviteDecisions, "gender_label": maillon.Genders,
	} {
		choiceLists[name] = cs
	}
}
