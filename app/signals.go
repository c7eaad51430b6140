package app

import (
	"os"
	"os/signal"
	"syscall"
)

// quitSignals end the app the way its Quit does: the session manager's
// SIGTERM at log-out, `kill`, Ctrl+C or a closed terminal when started from
// one.
//
// Fyne's desktop driver catches SIGINT and SIGTERM itself and quits at once,
// without Keytray's clean-up; on X11, GLFW then hands the clipboard, a key
// on it included, to the clipboard manager if one runs, so the key outlives
// the app. Both listening would be a race (the signal reaches every channel,
// and whichever queues its quit on the UI goroutine first wins), so once the
// app has started Keytray takes the signals over: signal.Reset drops every
// earlier listener, Fyne's included, and then only Keytray's own listens.
// SIGHUP, which Fyne leaves alone, would otherwise end the process on the
// spot.
var quitSignals = []os.Signal{syscall.SIGTERM, os.Interrupt, syscall.SIGHUP}

// listenable returns those of sigs that the process was not started with
// ignored. nohup ignores SIGHUP, and a shell ignores SIGINT in background
// jobs; listening to such a signal would undo that choice (os/signal turns
// an ignored signal back on for Notify). Call it before Fyne's driver
// starts listening itself.
func listenable(sigs []os.Signal) []os.Signal {
	var out []os.Signal
	for _, s := range sigs {
		if !signal.Ignored(s) {
			out = append(out, s)
		}
	}
	return out
}

// takeOverSignals makes the first of sigs call quit (from its own
// goroutine), and only quit: earlier listeners no longer hear them. The
// signals get their default action back then, so that a second one ends a
// Keytray that is stuck. stop stops listening.
func takeOverSignals(quit func(), sigs ...os.Signal) (stop func()) {
	signal.Reset(sigs...)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
			signal.Reset(sigs...)
			quit()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
