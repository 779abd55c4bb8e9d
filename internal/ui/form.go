package ui

import (
	"sort"
	"strconv"
	"strings"
)

// Form carries what a form page needs to re-render after an error: the
// submitted values and the per-field messages, plus the order in which the
// fields appear, so the error summary lists them in reading order.
type Form struct {
	Values map[string]string
	Errors map[string]string
	Order  []string
}

// NewForm returns an empty form whose fields appear in order.
func NewForm(order ...string) *Form {
	return &Form{Values: map[string]string{}, Errors: map[string]string{}, Order: order}
}

// Get returns a submitted value.
func (f *Form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// SetAll sets the values of a multi-valued field (checkbox group).
func (f *Form) SetAll(name string, values []string) *Form {
	return f.Set(name, strings.Join(values, ","))
}

// Set sets a value. Invalid UTF-8 sent by a client is replaced before it
// is shown again, so a re-rendered form is always a valid page.
func (f *Form) Set(name, value string) *Form {
	f.Values[name] = strings.ToValidUTF8(value, "\uFFFD")
	return f
}

// HasErrors reports whether any field failed.
func (f *Form) HasErrors() bool { return f != nil && len(f.Errors) > 0 }

// SummaryItem is one line of the error summary.
type SummaryItem struct {
	ID, Message string
}

// Summary lists the errors in field order, each linking to its field.
func (f *Form) Summary() []SummaryItem {
	if f == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []SummaryItem
	for _, name := range f.Order {
		if msg, ok := f.Errors[name]; ok {
			out = append(out, SummaryItem{FieldID(name), msg})
			seen[name] = true
		}
	}
	var rest []string
	for name := range f.Errors {
		if !seen[name] {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, SummaryItem{FieldID(name), f.Errors[name]})
	}
	return out
}

// FieldID is the id attribute of a field's input.
func FieldID(name string) string { return "f-" + strings.ReplaceAll(name, "_", "-") }

// Option is one choice of a select or a radio group.
type Option struct {
	Value, Label, Hint string
}

// Field is what the input partials render.
type Field struct {
	Name, ID, Label, Type, Value, Error, Hint, Autocomplete, InputMode string
	Required, Multiline, Checked, Autofocus                            bool
	MaxLength, Rows                                                    int
	Options                                                            []Option
}

// Has reports whether v is among the field's selected values (the
// comma-separated Value of a checkbox group).
func (f Field) Has(v string) bool {
	for _, s := range strings.Split(f.Value, ",") {
		if s == v {
			return true
		}
	}
	return false
}

// DescribedBy lists the ids of the hint and the error, for
// aria-describedby.
func (f Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// makeField builds a Field from a form, a name, a label and options written
// as "key=value" or flags: required, multiline, autofocus, type=email,
// hint=…, autocomplete=…, max=120, rows=4, inputmode=numeric. Options of a
// select or radio group are passed as []Option.
func makeField(f *Form, name, label string, opts ...any) Field {
	fd := Field{Name: name, ID: FieldID(name), Label: label, Type: "text"}
	if f != nil {
		fd.Value = f.Values[name]
		fd.Error = f.Errors[name]
	}
	for _, o := range opts {
		switch v := o.(type) {
		case []Option:
			fd.Options = v
		case string:
			k, val, _ := strings.Cut(v, "=")
			switch k {
			case "required":
				fd.Required = true
			case "multiline":
				fd.Multiline = true
			case "autofocus":
				fd.Autofocus = true
			case "type":
				fd.Type = val
			case "hint":
				fd.Hint = val
			case "autocomplete":
				fd.Autocomplete = val
			case "inputmode":
				fd.InputMode = val
			case "max":
				fd.MaxLength, _ = strconv.Atoi(val)
			case "rows":
				fd.Rows, _ = strconv.Atoi(val)
			default:
				panic("ui: unknown field option " + v)
			}
		}
	}
	if fd.Type == "checkbox" {
		fd.Checked = fd.Value == "on" || fd.Value == "1" || fd.Value == "true"
	}
	return fd
}
