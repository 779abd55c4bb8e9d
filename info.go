package maillon

import (
	"context"
	"strings"
	"time"
)

// InfoID identifies a shared information item (fiche d'information).
type InfoID int64

// Confidentiality levels of information items, from the narrowest.
const (
	InfoEquipe     = "equipe"
	InfoStructure  = "structure"
	InfoReseau     = "reseau"
	InfoPublic     = "public"
	InfoProposed   = "proposee"
	InfoPublished  = "publiee"
	MaxInfoThemes  = 5
	MaxFeedEntries = 100
)

// InfoLevels is the closed list of confidentiality levels.
var InfoLevels = Choices{
	{InfoEquipe, "Équipe de médiation"},
	{InfoStructure, "Toute la structure"},
	{InfoReseau, "Réseau partenaire (flux privé)"},
	{InfoPublic, "Public (flux ouvert)"},
}

// InfoStatuses: a mediator's item is a proposal until a coordinator
// validates it.
var InfoStatuses = Choices{{InfoProposed, "Proposée, à valider"}, {InfoPublished, "Publiée"}}

// Info is a shared information item: a piece of practical knowledge
// (a permanence's new hours, a scheme's conditions) with its source,
// validity, themes, area and confidentiality level.
type Info struct {
	ID          InfoID
	StructureID StructureID
	Title       string
	Content     string
	Source      string
	Link        string
	ValidFrom   time.Time // Paris midnight; zero: from publication
	ValidUntil  time.Time // last valid day; zero: no end
	ReviewOn    time.Time // zero: no review planned
	Themes      []string
	Area        AreaRef // zero: the whole territory
	AreaName    string
	Level       string
	Status      string
	TeamID      TeamID // the author's team, which reads "équipe" items
	AuthorID    UserID
	AuthorName  string
	ValidatedBy UserID
	// Replaces is the published item a proposal would update; zero for
	// a new item.
	Replaces  InfoID
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Expired reports whether the item's validity ended before now.
func (i *Info) Expired(now time.Time) bool {
	return !i.ValidUntil.IsZero() && !InParis(now).Before(i.ValidUntil.AddDate(0, 0, 1))
}

// ToReview reports whether the review date has come.
func (i *Info) ToReview(now time.Time) bool {
	return !i.ReviewOn.IsZero() && !InParis(now).Before(i.ReviewOn)
}

// Proposed reports whether the item waits for validation.
func (i *Info) Proposed() bool { return i.Status == InfoProposed }

// LevelLabel is the level's French label.
func (i *Info) LevelLabel() string { return InfoLevels.Label(i.Level) }

// ThemeLabels are the themes' French labels.
func (i *Info) ThemeLabels() []string { return Themes.Labels(i.Themes) }

// InfoInput is an item as the form sends it.
type InfoInput struct {
	Title, Content, Source, Link string
	ValidFrom, ValidUntil        string // yyyy-mm-dd, optional
	ReviewOn                     string // yyyy-mm-dd, optional
	Themes                       []string
	Area                         AreaRef
	Level                        string
	// Replaces names the published item a mediator proposes to update.
	Replaces InfoID

	// Confirmed is the box "J'ai vérifié : pas de donnée personnelle",
	// shown after the title or content raised the warning.
	Confirmed bool
}

// InfoFields are the form fields, in form order.
var InfoFields = []string{"title", "content", VeilleConfirmField, "source", "link", "level", "themes", "place", "valid_from", "valid_until", "review_on"}

// InfoDates are the validated dates of an input.
type InfoDates struct {
	ValidFrom, ValidUntil, ReviewOn time.Time
}

// Validate cleans the input and returns its dates.
func (in *InfoInput) Validate(now time.Time) (InfoDates, error) {
	var fe FieldErrors
	var d InfoDates
	in.Title = requiredText(&fe, "title", "le titre de la fiche", in.Title, MaxShortTextLen)
	in.Content = requiredText2(&fe, "content", "le contenu de la fiche", in.Content, MaxLongTextLen)
	in.Source = optionalText(&fe, "source", in.Source, MaxShortTextLen, false)
	in.Link = optionalText(&fe, "link", in.Link, 500, false)
	if in.Link != "" && !(strings.HasPrefix(in.Link, "https://") || strings.HasPrefix(in.Link, "http://")) || strings.ContainsAny(in.Link, " <>\"") {
		fe.Add("link", "Le lien doit être une adresse web complète, commençant par https://.")
	}
	if !InfoLevels.Valid(in.Level) {
		fe.Add("level", "Choisissez à qui la fiche est destinée.")
	}
	themes, unknown := Themes.CleanSet(in.Themes)
	switch {
	case unknown:
		fe.Add("themes", "Choisissez les thèmes dans la liste.")
	case len(themes) > MaxInfoThemes:
		fe.Add("themes", "Choisissez au plus 5 thèmes.")
	}
	in.Themes = themes
	day := func(field, v string) time.Time {
		if strings.TrimSpace(v) == "" {
			return time.Time{}
		}
		t, err := ParseDay(v, now)
		if err != nil {
			fe.Add(field, "Indiquez la date au format jj/mm/aaaa.")
		}
		return t
	}
	d.ValidFrom = day("valid_from", in.ValidFrom)
	d.ValidUntil = day("valid_until", in.ValidUntil)
	d.ReviewOn = day("review_on", in.ReviewOn)
	if !d.ValidFrom.IsZero() && !d.ValidUntil.IsZero() && d.ValidUntil.Before(d.ValidFrom) {
		fe.Add("valid_until", "La fin de validité ne peut pas précéder son début.")
	}
	// An item is shared, up to the public: it names no one.
	checkPersonalData(&fe, "content", in.Content, in.Confirmed)
	if fe["content"] == "" {
		checkPersonalData(&fe, "title", in.Title, in.Confirmed)
	}
	return d, fe.Err()
}

// requiredText2 is requiredText for a multi-line field.
func requiredText2(fe *FieldErrors, field, label, value string, max int) string {
	v, msg := CleanText(value, max, true)
	if msg != "" {
		fe.Add(field, msg)
		return v
	}
	if v == "" {
		fe.Add(field, "Indiquez "+label+".")
	}
	return v
}

// InfoFilter selects items in the list.
type InfoFilter struct {
	Level   string
	Theme   string
	Area    AreaRef
	Expired bool // the expired items instead of the current ones
	// From and To select, for the digest, the items created or updated in
	// [From, To).
	From, To time.Time
}

// FeedTokenID identifies a network feed token.
type FeedTokenID int64

// FeedToken is a secret URL of the network feed given to a partner. Only
// its SHA-256 is stored; it can be revoked.
type FeedToken struct {
	ID        FeedTokenID
	Label     string
	CreatedAt time.Time
	CreatedBy string
	RevokedAt time.Time
	LastUsed  time.Time
}

// Feed is what an Atom feed shows: the structure and its current items.
type Feed struct {
	StructureID   StructureID
	StructureName string
	Level         string
	Items         []Info
	Updated       time.Time
}

// InfoService manages information items and their feeds. Members read
// the items of their structure, "équipe" items only within the author's
// team (coordinators and administrators read them all); coordinators and
// administrators write and validate; mediators propose.
type InfoService interface {
	// CreateInfo records an item: published when a coordinator or an
	// administrator writes it, a proposal when a mediator does. A
	// mediator proposes an update of a published item by naming it in
	// Replaces.
	CreateInfo(ctx context.Context, actor Actor, in InfoInput) (*Info, error)
	// UpdateInfo changes an item (coordinators, admins; a mediator only
	// their own proposal).
	UpdateInfo(ctx context.Context, actor Actor, id InfoID, in InfoInput) error
	// ValidateInfo publishes a proposal (coordinators, admins) and
	// returns the published item: the proposal itself, or the item it
	// updates, into which it is copied before being deleted.
	ValidateInfo(ctx context.Context, actor Actor, id InfoID) (InfoID, error)
	// MarkInfoReviewed records a review and the next review date, within
	// three years (coordinators, admins).
	MarkInfoReviewed(ctx context.Context, actor Actor, id InfoID, next string) error
	FindInfo(ctx context.Context, actor Actor, id InfoID) (*Info, error)
	FindInfos(ctx context.Context, actor Actor, f InfoFilter) ([]Info, error)
	// FindInfosToReview lists proposals and items whose review date has
	// come (coordinators, admins).
	FindInfosToReview(ctx context.Context, actor Actor) ([]Info, error)
	// CreateFeedToken makes a network feed URL token, shown once
	// (admins).
	CreateFeedToken(ctx context.Context, actor Actor, label string) (string, error)
	RevokeFeedToken(ctx context.Context, actor Actor, id FeedTokenID) error
	FindFeedTokens(ctx context.Context, actor Actor) ([]FeedToken, error)
	// FindPublicFeed gives the public items of a structure named by its
	// ID (no actor: the feed is public).
	FindPublicFeed(ctx context.Context, id StructureID) (*Feed, error)
	// FindNetworkFeed resolves a network token (no actor: the token is
	// the credential) into the réseau and public items; every use is
	// audited. Unknown or revoked tokens are ErrNotFound.
	FindNetworkFeed(ctx context.Context, token, requestID string) (*Feed, error)
}

// FeedTokenLabelLen bounds a token's label (the partner's name).
const FeedTokenLabelLen = MaxNameLen

// ValidateFeedLabel cleans a feed token's label.
func ValidateFeedLabel(label string) (string, error) {
	var fe FieldErrors
	v := requiredText(&fe, "label", "le partenaire destinataire du flux", label, FeedTokenLabelLen)
	return v, fe.Err()
}
