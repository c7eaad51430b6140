// Command mangen writes Keytray's man pages (keytray.1 and one page per
// command, keytray-get.1 …) from the same command definitions the program
// runs, so the pages never drift from `keytray help`. `make man` runs it.
//
//	go run ./cli/mangen -out dist/man -version 0.1.0
//
// The date on the pages comes from SOURCE_DATE_EPOCH when it is set (make
// sets it from the last commit), so two builds of one commit are identical.
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra/doc"

	"github.com/keytray/keytray/cli"
)

func main() {
	out := flag.String("out", "dist/man", "folder to write the pages to")
	version := flag.String("version", "", "the version the pages describe")
	flag.Parse()
	if err := write(*out, *version); err != nil {
		fmt.Fprintln(os.Stderr, "mangen:", err)
		os.Exit(1)
	}
}

func write(dir, version string) error {
	date, err := sourceDate()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	header := &doc.GenManHeader{
		Title:   "KEYTRAY",
		Section: "1",
		Date:    &date,
		Source:  "Keytray " + version,
		Manual:  "Keytray Manual",
	}
	return doc.GenManTree(cli.NewDocsCommand(), header, dir)
}

// sourceDate is SOURCE_DATE_EPOCH (reproducible builds), else now.
func sourceDate() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Now().UTC(), nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH %q is not a number of seconds", v)
	}
	return time.Unix(secs, 0).UTC(), nil
}
