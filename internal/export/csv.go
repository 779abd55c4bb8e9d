package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"

	"maillon"
)

// csvWriter writes one table as CSV: a byte-order mark so that
// spreadsheets read UTF-8, CRLF line ends and quotes as RFC 4180 says.
type csvWriter struct {
	buf    *bufio.Writer
	w      *csv.Writer
	cols   []maillon.ExportColumn
	record []string
	begun  bool
	rows   int
}

func newCSV(w io.Writer, sep rune) *csvWriter {
	buf := bufio.NewWriterSize(w, 64<<10)
	cw := csv.NewWriter(buf)
	if sep != 0 {
		cw.Comma = sep
	}
	cw.UseCRLF = true
	return &csvWriter{buf: buf, w: cw}
}

// errOneTable is a programming error: forms refuse several tables in CSV.
var errOneTable = errors.New("export: a CSV file holds one table")

func (c *csvWriter) Begin(_ *maillon.ExportTable, cols []maillon.ExportColumn) error {
	if c.begun {
		return errOneTable
	}
	c.begun, c.cols = true, cols
	c.record = make([]string, len(cols))
	if _, err := c.buf.WriteString("\uFEFF"); err != nil {
		return err
	}
	for i, col := range cols {
		c.record[i] = col.Name
	}
	return c.w.Write(c.record)
}

func (c *csvWriter) Row(values []any) error {
	for i, col := range c.cols {
		s := text(col, values[i])
		if col.Type == maillon.ExportText {
			s = Guard(s)
		}
		c.record[i] = s
	}
	c.rows++
	return c.w.Write(c.record)
}

func (c *csvWriter) Rows() int { return c.rows }

func (c *csvWriter) Close() error {
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}
