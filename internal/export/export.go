package export

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"maillon"
)

// Writer is a sink that writes a file. Close finishes the file (the XLSX
// is only complete then); it does not close the underlying io.Writer.
type Writer interface {
	maillon.ExportSink
	Close() error
	// Rows counts the data rows written, all tables together.
	Rows() int
}

// New returns the writer of o.Format on w.
func New(w io.Writer, o maillon.ExportOptions) (Writer, error) {
	switch o.Format {
	case "csv":
		return newCSV(w, o.Separator), nil
	case "xlsx":
		return newXLSX(w, o), nil
	}
	return nil, fmt.Errorf("export: unknown format %q", o.Format)
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	if format == "xlsx" {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Dates and times are ISO 8601: a day as 2026-03-04, an instant in Paris
// time with its offset.
const (
	dayLayout  = "2006-01-02"
	timeLayout = "2006-01-02T15:04:05-07:00"
)

// text formats a value as CSV text, by column type; nil is an empty cell.
func text(c maillon.ExportColumn, v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case bool:
		return yesNo(v)
	case time.Time:
		if v.IsZero() {
			return ""
		}
		if c.Type == maillon.ExportDate {
			return maillon.InParis(v).Format(dayLayout)
		}
		return maillon.InParis(v).Format(timeLayout)
	}
	return fmt.Sprint(v)
}

func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

// Guard keeps a spreadsheet from reading a text cell as a formula: a cell
// starting with = + - @ (or a tab or carriage return, which some
// spreadsheets skip before one) gets a leading apostrophe, as OWASP
// advises against CSV injection. Numbers are never text cells, so
// negative figures stay numbers.
func Guard(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}
