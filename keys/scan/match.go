package scan

import (
	"bytes"

	"github.com/keytray/keytray/keys/credential"
)

// Match is one secret found in a buffer.
type Match struct {
	Offset, Len int
	Kind        credential.Kind // APIKey or SessionJWT
	JWT         *credential.JWTInfo
}

// Open WebUI's key form: "sk-" and 32 lowercase hex digits.
const keyHexLen = 32

var (
	keyPrefix = []byte("sk-")
	jwtPrefix = []byte("eyJ") // base64url of `{"`: every JWT header and payload starts so
)

// Find returns the Open WebUI API keys and session tokens in data, in order.
// A key is "sk-" and 32 lowercase hex digits standing alone (not part of a
// longer word, so other vendors' sk-… keys are left alone); a session token
// is three base64url parts whose header and claims are JSON and say HS256
// and an Open WebUI user id.
func Find(data []byte) []Match {
	var ms []Match
	for i := 0; ; {
		j := bytes.Index(data[i:], keyPrefix)
		if j < 0 {
			break
		}
		at := i + j
		end := at + len(keyPrefix) + keyHexLen
		if end <= len(data) && (at == 0 || !wordByte(data[at-1])) && allHex(data[at+len(keyPrefix):end]) &&
			(end == len(data) || !wordByte(data[end])) {
			ms = append(ms, Match{Offset: at, Len: end - at, Kind: credential.APIKey})
			i = end
			continue
		}
		i = at + 1
	}
	keysFound := len(ms)
	for i := 0; ; {
		j := bytes.Index(data[i:], jwtPrefix)
		if j < 0 {
			break
		}
		at := i + j
		if n, info := jwtAt(data, at); n > 0 {
			ms = append(ms, Match{Offset: at, Len: n, Kind: credential.SessionJWT, JWT: info})
			i = at + n
			continue
		}
		i = at + 1
	}
	if keysFound > 0 && len(ms) > keysFound {
		sortMatches(ms)
	}
	return ms
}

func sortMatches(ms []Match) {
	// Insertion sort: there are a handful per file.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Offset < ms[j-1].Offset; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}

// jwtAt is the length of the Open WebUI session token starting at at, or 0.
func jwtAt(data []byte, at int) (int, *credential.JWTInfo) {
	if at > 0 && (b64(data[at-1]) || data[at-1] == '.') {
		return 0, nil
	}
	p := at
	for part := 0; part < 3; part++ {
		start := p
		for p < len(data) && b64(data[p]) {
			p++
			if p-at > credential.MaxInput {
				return 0, nil
			}
		}
		if part < 2 {
			if p == start || p >= len(data) || data[p] != '.' {
				return 0, nil
			}
			if part == 0 && !bytes.HasPrefix(data[p+1:], jwtPrefix) {
				return 0, nil
			}
			p++
		}
	}
	if p < len(data) && data[p] == '.' {
		return 0, nil // four parts: not a JWT
	}
	r := credential.Classify(string(data[at:p]))
	if r.Kind != credential.SessionJWT || r.JWT == nil || !r.JWT.OpenWebUI {
		return 0, nil
	}
	return p - at, r.JWT
}

func allHex(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func b64(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}
