package maillon

import "time"

// NoteID identifies a note on a person's file.
type NoteID int64

// Note is a dated, factual note on a person's file. A private note is
// visible to its author only, never to coordinators or administrators.
type Note struct {
	ID         NoteID
	PersonID   PersonID
	AuthorID   UserID
	AuthorName string
	Text       string
	Private    bool
	CreatedAt  time.Time
}

// NoteInput adds a note.
type NoteInput struct {
	Text    string
	Private bool
}

// Validate cleans the input.
func (in *NoteInput) Validate() error {
	var fe FieldErrors
	v, msg := CleanText(in.Text, MaxLongTextLen, true)
	switch {
	case msg != "":
		fe.Add("text", msg)
	case v == "":
		fe.Add("text", "Écrivez la note.")
	}
	in.Text = v
	return fe.Err()
}

// FactualHint is shown next to every free-text field about people (CNIL
// délibération 2021-028: appreciations objective, factual, non-excessive).
const FactualHint = "Écrivez des faits, sans jugement ni information sans rapport avec l'accompagnement : la personne peut demander à lire son dossier."
