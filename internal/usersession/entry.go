//go:build linux

package usersession

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// Entry is a GNOME app's text field with keyboard focus: zenity's entry
// dialog, a GTK Wayland client, driven with the session's virtual keyboard.
// It is how a test copies and pastes as a person does in a GNOME app.
type Entry struct {
	kbd  *Keyboard
	cmd  *exec.Cmd
	out  bytes.Buffer
	done chan struct{} // closed when zenity has exited, with err set
	err  error
}

// OpenEntry opens an entry dialog and waits until it has keyboard focus: it
// types and copies a probe text until an X11 client reads it from the
// clipboard (Mutter relays the Wayland clipboard to X11), so keys typed
// before the dialog had focus cannot go missing unnoticed.
func (s *Session) OpenEntry(kbd *Keyboard) (*Entry, error) {
	e := &Entry{kbd: kbd, done: make(chan struct{})}
	e.cmd = s.Command("zenity", "--entry", "--title", "Entry", "--text", "Text")
	e.cmd.Env = append(e.cmd.Env, "GDK_BACKEND=wayland")
	e.cmd.Stdout = &e.out
	if err := e.cmd.Start(); err != nil {
		return nil, fmt.Errorf("zenity: %w", err)
	}
	go func() { e.err = e.cmd.Wait(); close(e.done) }()
	deadline := time.Now().Add(startTimeout)
	for i := 0; ; i++ {
		probe := fmt.Sprintf("entry-ready-%d", i)
		if err := e.Copy(probe); err != nil {
			e.Close()
			return nil, err
		}
		if got, err := s.ReadX11Clipboard(); err == nil && got == probe {
			return e, nil
		}
		select {
		case <-e.done:
			return nil, fmt.Errorf("zenity ended before it had focus: %v", e.err)
		default:
		}
		if time.Now().After(deadline) {
			e.Close()
			return nil, fmt.Errorf("the entry dialog did not get keyboard focus within %v", startTimeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Copy replaces the field's text with text and copies it (Ctrl+A, typing,
// Ctrl+A, Ctrl+C).
func (e *Entry) Copy(text string) error {
	return errors.Join(e.kbd.Chord(KeyControl, 'a'), e.kbd.Type(text), e.kbd.Chord(KeyControl, 'a'), e.kbd.Chord(KeyControl, 'c'))
}

// Paste replaces the field's text with the clipboard's (Ctrl+A, Ctrl+V),
// presses Return and returns what the dialog then printed: the pasted text.
// The dialog is closed after.
func (e *Entry) Paste() (string, error) {
	if err := errors.Join(e.kbd.Chord(KeyControl, 'a'), e.kbd.Chord(KeyControl, 'v'), e.kbd.Chord(KeyReturn)); err != nil {
		e.Close()
		return "", err
	}
	select {
	case <-e.done:
		err := e.err
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 1 {
			err = nil // zenity: an empty entry on some versions
		}
		return strings.TrimSuffix(e.out.String(), "\n"), err
	case <-time.After(startTimeout):
		e.Close()
		return "", fmt.Errorf("the entry dialog did not close within %v of Return", startTimeout)
	}
}

// Close ends the dialog if it is still open.
func (e *Entry) Close() {
	select {
	case <-e.done:
	default:
		_ = e.cmd.Process.Kill()
		<-e.done
	}
}

// ReadX11Clipboard is what an X11 client (xclip, as the session's user)
// reads from the CLIPBOARD selection. A read that gets no answer within 2 s
// is an error: an owner that never answers would otherwise hang it.
func (s *Session) ReadX11Clipboard() (string, error) {
	cmd := s.Command("xclip", "-o", "-selection", "clipboard")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return "", fmt.Errorf("xclip -o: %v: %s", err, strings.TrimSpace(errb.String()))
		}
		return out.String(), nil
	case <-time.After(2 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return "", errors.New("xclip -o: no answer from the clipboard's owner within 2 s")
	}
}
