package app

import (
	"crypto/sha256"
	"time"
)

// The notice line at the bottom of the window says what the last action did.
// Some of what it says goes stale: "Copied … to the clipboard" once the
// clipboard is cleared or holds something else, "Revoked …" or "Removed …"
// once the key is back in the list. Such a notice carries a test for it, and
// goes away when the test says so. Row statuses ("checked 4 minutes ago")
// follow the clock through tick.

// noticePoll is how often the window looks at the clipboard while it says a
// key was copied (only then).
const noticePoll = 2 * time.Second

// tickEvery is how often relative times in the rows ("checked 4 minutes
// ago") are brought up to date.
const tickEvery = time.Minute

// say shows text on the notice line; stale, when not nil, says when the
// notice no longer holds (it is asked after each list load and, for
// clipboard notices, every noticePoll).
func (mw *mainWindow) say(text string, stale func() bool) {
	mw.notice.SetText(text)
	mw.noticeStale = stale
	mw.noticeGen++
	if mw.stopNoticePoll != nil {
		mw.stopNoticePoll()
		mw.stopNoticePoll = nil
	}
}

// sayCopied shows text for as long as the clipboard holds what was copied:
// the notice compares hashes, it keeps no copy of the secret.
func (mw *mainWindow) sayCopied(text, secret string) {
	sum := sha256.Sum256([]byte(secret))
	mw.say(text, func() bool {
		return sha256.Sum256([]byte(mw.app.Clipboard().Content())) != sum
	})
	mw.pollNotice(mw.noticeGen)
}

// sayGone shows text for as long as no key named name is listed.
func (mw *mainWindow) sayGone(text, name string) {
	mw.say(text, func() bool { return mw.entryIndex(name) >= 0 })
}

// pollNotice asks the notice's stale test again every noticePoll while
// notice gen is shown.
func (mw *mainWindow) pollNotice(gen int) {
	mw.stopNoticePoll = mw.after(noticePoll, func() {
		mw.stopNoticePoll = nil
		if gen != mw.noticeGen {
			return
		}
		if mw.checkNotice() {
			mw.pollNotice(gen)
		}
	})
}

// checkNotice clears the notice when it went stale; it reports whether the
// notice still stands (and has a test).
func (mw *mainWindow) checkNotice() bool {
	if mw.noticeStale == nil {
		return false
	}
	if mw.noticeStale() {
		mw.say("", nil)
		return false
	}
	return true
}

// startTicking brings the rows' relative times up to date every tickEvery,
// from the first time the window is shown on.
func (mw *mainWindow) startTicking() {
	if mw.ticking {
		return
	}
	mw.ticking = true
	var tick func()
	tick = func() {
		mw.list.Refresh() // rows whose "checked … ago" changed bind again
		mw.after(tickEvery, tick)
	}
	mw.after(tickEvery, tick)
}
