package command

import (
	"reflect"
	"testing"
)

// Text flags run on to the next flag, as they must for commands typed over
// ssh, which joins the words of a command and loses any quotes.
func TestTextFlagsRunToTheNextFlag(t *testing.T) {
	s := &spec{name: "t", flags: map[string]bool{"who": true, "item": true, "dots": true, "live": false},
		text: map[string]bool{"who": true, "item": true}}
	a, err := parseArgs(s, []string{"add", "3", "Publish", "a", "timetable", "--who", "Council,", "Library", "--item", "one", "two",
		"--dots", "5", "--item=three", "four", "--live"})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.value["who"]; got != "Council, Library" {
		t.Errorf("who = %q", got)
	}
	if got := a.values["item"]; !reflect.DeepEqual(got, []string{"one two", "three four"}) {
		t.Errorf("items = %q", got)
	}
	if a.value["dots"] != "5" || !a.set["live"] {
		t.Errorf("other flags: %v", a.value)
	}
	if got := a.pos; !reflect.DeepEqual(got, []string{"add", "3", "Publish", "a", "timetable"}) {
		t.Errorf("positionals = %q", got)
	}
}
