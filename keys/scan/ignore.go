package scan

import (
	"path"
	"strings"
)

// ignoreFile is one .gitignore: the common subset of gitignore(5) — patterns
// with * ? [..], "!" negation, a trailing "/" for directories only, a
// leading or inner "/" anchoring the pattern to the file's folder, and "**"
// for any number of folders.
type ignoreFile struct {
	dir   string // the folder holding it, slash-separated, relative to the scan root ("" = root)
	rules []rule
}

type rule struct {
	negate, dirOnly, anchored bool
	segs                      []string
}

func parseIgnore(dir, text string) *ignoreFile {
	f := &ignoreFile{dir: dir}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if line == "" || line[0] == '#' {
			continue
		}
		// Trailing spaces are ignored unless escaped.
		for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
			line = line[:len(line)-1]
		}
		var r rule
		switch {
		case strings.HasPrefix(line, "!"):
			r.negate, line = true, line[1:]
		case strings.HasPrefix(line, `\!`), strings.HasPrefix(line, `\#`):
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			r.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		r.anchored = strings.Contains(line, "/")
		line = strings.TrimPrefix(line, "/")
		r.segs = strings.Split(line, "/")
		f.rules = append(f.rules, r)
	}
	return f
}

// match reports whether the file's rules decide about rel (relative to the
// scan root): matched says a rule applied, excluded what the last one said.
func (f *ignoreFile) match(rel string, isDir bool) (matched, excluded bool) {
	if f.dir != "" {
		if !strings.HasPrefix(rel, f.dir+"/") {
			return false, false
		}
		rel = rel[len(f.dir)+1:]
	}
	segs := strings.Split(rel, "/")
	for _, r := range f.rules {
		if r.dirOnly && !isDir {
			continue
		}
		var ok bool
		if r.anchored {
			ok = matchSegs(r.segs, segs)
		} else {
			ok = matchSeg(r.segs[0], segs[len(segs)-1])
		}
		if ok {
			matched, excluded = true, !r.negate
		}
	}
	return matched, excluded
}

func matchSegs(pat, segs []string) bool {
	if len(pat) == 0 {
		return len(segs) == 0
	}
	if pat[0] == "**" {
		if len(pat) == 1 {
			return len(segs) > 0 // "dir/**": everything inside
		}
		for i := 0; i <= len(segs); i++ {
			if matchSegs(pat[1:], segs[i:]) {
				return true
			}
		}
		return false
	}
	return len(segs) > 0 && matchSeg(pat[0], segs[0]) && matchSegs(pat[1:], segs[1:])
}

func matchSeg(pat, name string) bool {
	ok, err := path.Match(pat, name)
	return ok && err == nil
}

// ignored says whether rel is excluded by the .gitignore files in effect
// (outermost first: a deeper file's rule wins, as in git).
func ignored(files []*ignoreFile, rel string, isDir bool) bool {
	excluded := false
	for _, f := range files {
		if m, ex := f.match(rel, isDir); m {
			excluded = ex
		}
	}
	return excluded
}
