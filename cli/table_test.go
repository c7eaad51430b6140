package cli

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/tabwriter"
)

// table prints what tabwriter (padding 2) prints for the same rows.
func TestTableMatchesTabwriter(t *testing.T) {
	rows := [][]string{
		{"NAME", "SERVER", "STATUS"},
		{"work", "https://ai.example.com", "valid 3m ago"},
		{"ключ", "https://b", "unchecked"},
		{"a-much-longer-name", "", "rejected 2d ago"},
		{"x", "https://日本.example", ""},
	}
	tb := newTable(len(rows)-1, rows[0]...)
	var want bytes.Buffer
	tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(rows[0], "\t"))
	for _, r := range rows[1:] {
		tb.add(r...)
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := tb.write(&got); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("table:\n%s\ntabwriter:\n%s", got.String(), want.String())
	}
}

func TestTableRefusesRaggedRows(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a row with too few cells was accepted")
		}
	}()
	newTable(1, "A", "B").add("only one")
}
