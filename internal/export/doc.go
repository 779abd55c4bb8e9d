// Package export writes the per-fact exports of maillon.ExportService to
// files: CSV (UTF-8 with a byte-order mark, RFC 4180, guarded against
// formula injection) and XLSX (one sheet per table and a "Définitions"
// sheet, written with excelize's stream writer). Both write rows as they
// come, so that an export of a million rows takes the memory of one.
//
// It imports maillon, excelize and the standard library, and never
// reaches internal/store (TestImportRules): the web UI and the command
// line pass a writer to the service as its sink.
package export
