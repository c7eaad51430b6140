package cli

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// table prints records in columns two spaces apart, the last column
// unpadded: what text/tabwriter makes of them, sized in one pass and written
// in another. tabwriter's cell-by-cell buffering was a sixth of
// `keytray list` with 1,000 keys.
type table struct {
	cols   int
	cells  []string // row after row
	widths []int    // in runes, per column
}

func newTable(rows int, header ...string) *table {
	t := &table{cols: len(header), cells: make([]string, 0, (rows+1)*len(header)), widths: make([]int, len(header))}
	t.add(header...)
	return t
}

// add appends a row of exactly as many cells as the header has.
func (t *table) add(cells ...string) {
	if len(cells) != t.cols {
		panic("table: row of the wrong width")
	}
	for i, c := range cells {
		t.widths[i] = max(t.widths[i], utf8.RuneCountInString(c))
	}
	t.cells = append(t.cells, cells...)
}

func (t *table) write(w io.Writer) error {
	out := bufio.NewWriter(w)
	for i, c := range t.cells {
		out.WriteString(c)
		col := i % t.cols
		if col == t.cols-1 {
			out.WriteByte('\n')
			continue
		}
		out.WriteString(strings.Repeat(" ", t.widths[col]-utf8.RuneCountInString(c)+2))
	}
	return out.Flush()
}
