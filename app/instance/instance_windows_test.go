//go:build windows

package instance

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func testEndpoint(t *testing.T) string {
	return fmt.Sprintf(`\\.\pipe\keytray-test-%s-%d`, t.Name(), time.Now().UnixNano())
}

func TestDefaultPath(t *testing.T) {
	got := DefaultPath()
	if !strings.HasPrefix(got, `\\.\pipe\keytray-instance-S-1-`) {
		t.Errorf("DefaultPath() = %q, want a pipe named after the user's SID", got)
	}
}
