package report

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Text people wrote makes no link in Markdown, GitHub's bare-text links
// included; cmark-gfm (GitHub's renderer) says so where it is installed,
// and must be in CI (MOOT_CI=1).
func TestTextMakesNoLinkInMarkdown(t *testing.T) {
	texts := []string{
		"see www.example.org today",
		"WWW.EXAMPLE.ORG",
		"https://evil.example/path?q=1 and http://x.org",
		"ftp://files.example.org",
		"mail ada@example.org or mailto:ada@example.org",
		"xmpp:ada@example.org/home",
		"[link](http://x) <http://y> ![img](http://z)",
		"<a href=\"http://x\">x</a>",
	}
	var md strings.Builder
	for _, s := range texts {
		md.WriteString("- " + escape(s, inText) + "\n")
	}
	if strings.Contains(md.String(), "www.example") || strings.Contains(md.String(), "https://") {
		t.Fatalf("a bare link is left as is:\n%s", md.String())
	}
	path, err := exec.LookPath("cmark-gfm")
	if err != nil {
		if os.Getenv("MOOT_CI") != "" {
			t.Fatal("cmark-gfm is not installed, and CI needs it")
		}
		t.Skip("cmark-gfm is not installed")
	}
	cmd := exec.Command(path, "-e", "autolink", "-e", "table", "-e", "strikethrough")
	cmd.Stdin = strings.NewReader(md.String())
	html, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(html), "<a ") || strings.Contains(string(html), "<img") {
		t.Fatalf("the Markdown makes a link:\n%s\n%s", md.String(), html)
	}
	for _, s := range []string{"www.example.org", "https://evil.example/path?q=1", "ada@", "example.org"} {
		if !strings.Contains(string(html), s) {
			t.Errorf("%q does not show as written:\n%s", s, html)
		}
	}
}

func TestDefuseTakesOnlyPlainNumbersAsNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"-12":       "-12",
		"+3.5":      "+3.5",
		"-1e5":      "-1e5",
		"-.5":       "-.5",
		"plain":     "plain",
		"-Inf":      "'-Inf",
		"+NaN":      "'+NaN",
		"-Infinity": "'-Infinity",
		"+0x1p3":    "'+0x1p3",
		"-0x1F":     "'-0x1F",
		"+1_000":    "'+1_000",
		"=1+1":      "'=1+1",
		"@SUM(A1)":  "'@SUM(A1)",
		"-2+3":      "'-2+3",
		"\t=cmd":    "'\t=cmd",
		"+":         "'+",
	} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q, want %q", in, got, want)
		}
		if got := Undefuse(defuse(in)); got != in {
			t.Errorf("Undefuse(defuse(%q)) = %q", in, got)
		}
	}
}
