package maillon

// ImportOrientation is an orientation as a bulk import writes it: the
// orientation at its current status and, when one was made, its latest
// partner link. The store draws the link's token and keeps only its hash,
// as for a link made through the service: nobody can answer an imported
// link.
type ImportOrientation struct {
	// Orientation.ID is set by the import. StructureID, PersonID,
	// PartnerName, PartnerContact, Reason, SharedItems, SharedText, Mode,
	// Status, ClosureReason, ClosureText, ExpectedOn, TransmittedAt,
	// OutcomeAt, OutcomeSource, CreatedBy and CreatedAt are read.
	Orientation Orientation
	// Link is nil without a partner link; CreatedAt, ExpiresAt,
	// RevokedAt, UsedAt and CreatedBy are read.
	Link *PartnerLink
}

// CheckImport checks the codes and the consistency of an imported
// orientation, so that an import cannot store what the status machine
// would not reach.
func (io *ImportOrientation) CheckImport() error {
	var fe FieldErrors
	o := &io.Orientation
	if o.StructureID <= 0 {
		fe.Add("structure_id", "Indiquez la structure.")
	}
	if o.CreatedAt.IsZero() || o.CreatedAt.Year() < 2000 {
		fe.Add("created_at", "Indiquez une date à partir de l'an 2000.")
	}
	if o.PartnerName == "" {
		fe.Add("partner_name", "Indiquez le partenaire.")
	}
	if o.Reason == "" {
		fe.Add("reason", "Indiquez le motif de l'orientation.")
	}
	if !OrientationModes.Valid(o.Mode) {
		fe.Add("mode", "Code inconnu : "+o.Mode)
	}
	if !OrientationStatuses.Valid(o.Status) {
		fe.Add("status", "Code inconnu : "+o.Status)
	}
	items, unknown := SharedItems.CleanSet(o.SharedItems)
	if unknown {
		fe.Add("shared_items", "Code inconnu dans les informations partagées.")
	}
	for _, it := range items {
		if o.PersonID == 0 && (it == "identite" || it == "coordonnees") {
			fe.Add("shared_items", "Une orientation anonyme ne peut partager ni identité ni coordonnées.")
		}
	}
	o.SharedItems = items
	switch o.Status {
	case OrientationRefusee:
		if !RefusalReasons.Valid(o.ClosureReason) {
			fe.Add("reason", "Code inconnu : "+o.ClosureReason)
		}
	case OrientationSansSuite:
		if !NoFollowReasons.Valid(o.ClosureReason) {
			fe.Add("reason", "Code inconnu : "+o.ClosureReason)
		}
	default:
		if o.ClosureReason != "" {
			fe.Add("reason", "Seule une orientation refusée ou sans suite a un motif de clôture.")
		}
	}
	closed := OrientationClosed(o.Status)
	switch {
	case closed && (o.OutcomeAt.IsZero() || !OutcomeSources.Valid(o.OutcomeSource)):
		fe.Add("source", "Une orientation close a une date d'issue et une source connues.")
	case !closed && (!o.OutcomeAt.IsZero() || o.OutcomeSource != ""):
		fe.Add("source", "Une orientation ouverte n'a pas d'issue.")
	case o.Status == OrientationTransmise && o.TransmittedAt.IsZero():
		fe.Add("status", "Une orientation transmise a une date de transmission.")
	case o.Status == OrientationProposee && !o.TransmittedAt.IsZero():
		fe.Add("status", "Une orientation proposée n'a pas été transmise.")
	}
	if !o.TransmittedAt.IsZero() && o.TransmittedAt.Before(o.CreatedAt) ||
		!o.OutcomeAt.IsZero() && o.OutcomeAt.Before(o.CreatedAt) {
		fe.Add("status", "Les étapes d'une orientation suivent sa saisie.")
	}
	if l := io.Link; l != nil {
		switch {
		case l.CreatedAt.Before(o.CreatedAt) || !l.ExpiresAt.After(l.CreatedAt):
			fe.Add("link", "Un lien suit la saisie de l'orientation et expire après sa création.")
		case o.Status == OrientationProposee:
			fe.Add("link", "Une orientation avec un lien de réponse a été transmise.")
		case !l.UsedAt.IsZero() && o.OutcomeSource != "partenaire_lien":
			fe.Add("link", "Un lien utilisé a rapporté l'issue.")
		}
	} else if o.OutcomeSource == "partenaire_lien" {
		fe.Add("link", "Une issue rapportée par le lien suppose un lien.")
	}
	return fe.Err()
}
