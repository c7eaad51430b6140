// Command floor-fyne is the benchmark floor for the desktop app: a minimal
// Fyne window with one label and a system tray menu with one item. Keytray's
// start-up time, memory and idle CPU are judged against this floor, measured
// side by side on the same machine, because Fyne and the GL driver alone cost
// far more than Keytray's own code (about 145 MB RSS under Xvfb with software GL).
//
// Usage: floor-fyne [-hidden]   (-hidden: tray only, as `keytray --hidden`)
package main

import (
	"flag"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

func main() {
	hidden := flag.Bool("hidden", false, "start in the tray only")
	flag.Parse()
	a := app.NewWithID("io.github.keytray.floor")
	w := a.NewWindow("Floor")
	if d, ok := a.(desktop.App); ok {
		d.SetSystemTrayMenu(fyne.NewMenu("Floor", fyne.NewMenuItem("Open Floor", w.Show)))
	}
	w.SetContent(widget.NewLabel("Floor"))
	if *hidden {
		a.Run()
		return
	}
	w.ShowAndRun()
}
