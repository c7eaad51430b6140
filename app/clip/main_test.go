package clip

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestMain(m *testing.M) {
	// Wording tests assert English; the test process may run in any locale.
	os.Setenv("LANGUAGE", "en")
	if err := lang.AddTranslationsFS(Translations, "translations"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
