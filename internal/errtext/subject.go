package errtext

import "errors"

// subject is what an error was about: the sentence names it.
type subject struct {
	name   string // entry name
	path   string // file
	server string // base URL
	adding bool   // the key in question is not stored yet (add)
	admin  bool   // the account is an admin of the server
}

// subjectError attaches a subject to an error without changing its kinds.
type subjectError struct {
	subject
	err error
}

func (e *subjectError) Error() string { return e.err.Error() }
func (e *subjectError) Unwrap() error { return e.err }

// subjectOf merges every subject attached along err's chain (outermost wins).
func subjectOf(err error) subject {
	var s subject
	for e := err; e != nil; e = errors.Unwrap(e) {
		if se, ok := e.(*subjectError); ok {
			s.name = orDefault(s.name, se.name)
			s.path = orDefault(s.path, se.path)
			s.server = orDefault(s.server, se.server)
			s.adding = s.adding || se.adding
			s.admin = s.admin || se.admin
		}
	}
	return s
}

func attach(err error, s subject) error {
	if err == nil {
		return nil
	}
	return &subjectError{s, err}
}

// WithName says err is about the entry called name. Nil stays nil.
func WithName(err error, name string) error { return attach(err, subject{name: name}) }

// WithPath says err is about the file at path. Nil stays nil.
func WithPath(err error, path string) error { return attach(err, subject{path: path}) }

// WithServer says err is about the server at url. Nil stays nil.
func WithServer(err error, url string) error { return attach(err, subject{server: url}) }

// WhileAdding says err is about a key that is not stored (yet). Nil stays nil.
func WhileAdding(err error) error { return attach(err, subject{adding: true}) }

// ForAdmin says err happened to an admin of the server, where the front end
// knows the account's role: the sentence then says what the admin can do
// instead of what to ask an admin. Nil stays nil.
func ForAdmin(err error) error { return attach(err, subject{admin: true}) }

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
