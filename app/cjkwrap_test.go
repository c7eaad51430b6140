package app

import (
	"strings"
	"testing"
)

func TestBreakOpportunitiesKeepLatinWordsAndPunctuationWhole(t *testing.T) {
	for in, want := range map[string]string{
		"用Keytray保存": "用|Keytray|保|存",
		"运行age -d。":  "运|行|age -d。",
		"已将“{{.Name}}”复制到剪贴板。":          "已|将|“{{.Name}}”|复|制|到|剪|贴|板。",
		"{{.Count}}分钟后":                 "{{.Count}}|分|钟|后",
		"Open WebUI服务器（0.6.5）":          "Open WebUI|服|务|器|（0.6.5）",
		"Plain English stays as it is.": "Plain English stays as it is.",
	} {
		got := strings.ReplaceAll(breakOpportunities(in), string(breakMark), "|")
		if got != want {
			t.Errorf("%q\n got %q\nwant %q", in, got, want)
		}
	}
}
