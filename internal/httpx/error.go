package httpx

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"maillon"
)

// StatusOf maps an error to the HTTP status that describes it.
func StatusOf(err error) int {
	var mbe *http.MaxBytesError
	switch {
	case err == nil:
		return http.StatusOK
	case errors.As(err, &mbe):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, maillon.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, maillon.ErrInvalid):
		return http.StatusUnprocessableEntity
	case errors.Is(err, maillon.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, maillon.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, maillon.ErrUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, maillon.ErrTooMany):
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// PublicMessage is the French message a user may see for err: the domain
// error's safe message, or a generic one per status.
func PublicMessage(err error) string {
	status := StatusOf(err)
	if status == http.StatusInternalServerError {
		return "Une erreur inattendue s'est produite. Elle a été enregistrée ; réessayez dans un moment."
	}
	if status == http.StatusRequestEntityTooLarge {
		return "La requête est trop volumineuse."
	}
	return maillon.ErrorMessage(err, statusMessages[status])
}

// statusMessages are the messages of error kinds that reach PublicMessage
// without a domain message.
var statusMessages = map[int]string{
	http.StatusNotFound:            "La page ou l'élément demandé est introuvable.",
	http.StatusUnprocessableEntity: "Les informations envoyées ne sont pas valides.",
	http.StatusConflict:            "Cette action est en conflit avec des données existantes.",
	http.StatusForbidden:           "Vous n'avez pas les droits nécessaires pour cette action.",
	http.StatusUnauthorized:        "Vous devez vous connecter.",
	http.StatusTooManyRequests:     "Trop de requêtes : réessayez dans un moment.",
}

// SetRetryAfter adds Retry-After for throttling errors.
func SetRetryAfter(w http.ResponseWriter, err error) {
	var e *maillon.Error
	if errors.As(err, &e) && e.RetryAfterSeconds > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.RetryAfterSeconds))
	}
}

// JSONError is the body of every API error.
type JSONError struct {
	Error     string            `json:"error"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id"`
}

// WriteJSON writes v with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"encodage impossible"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// WriteJSONError writes err as a JSONError with its status.
func WriteJSONError(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	SetRetryAfter(w, err)
	body := JSONError{Error: PublicMessage(err), RequestID: RequestID(r.Context())}
	if status != http.StatusInternalServerError {
		body.Fields = maillon.FieldsOf(err)
	}
	WriteJSON(w, status, body)
}
