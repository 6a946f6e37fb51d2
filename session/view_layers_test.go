package session_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// The front ends render views and never reach into a snapshot's raw
// state: in tui, its line mode and session/report, a snapshot is only ever
// turned into a view (or asked how recent it is). Each front end reads
// typed text as a command in one file: the screen's command line
// (model.go, where keys send typed commands instead), line mode's session
// (linemode.go).
func TestFrontEndsRenderViews(t *testing.T) {
	allowed := []string{"ViewFor", "ViewAs", "Seq"}
	runs := map[string]struct {
		file string
		uses []string
	}{
		"../tui":          {"/model.go", []string{"Split", "Run", "Env"}},
		"../tui/linemode": {"/linemode.go", []string{"Run", "Env", "Name", "MaxLineBytes"}},
		"report":          {"", nil},
	}
	for _, dir := range []string{"../tui", "../tui/linemode", "report"} {
		commandFile, uses := runs[dir].file, runs[dir].uses
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, pkg := range pkgs {
			for name, file := range pkg.Files {
				for _, imp := range file.Imports {
					if imp.Path.Value == `"moot/session/command"` && (commandFile == "" || !strings.HasSuffix(name, commandFile)) {
						t.Errorf("%s imports session/command: a front end draws views, and only %q runs commands", name, commandFile)
					}
				}
				snapshots := snapshotNames(file)
				ast.Inspect(file, func(n ast.Node) bool {
					sel, ok := n.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if x, ok := sel.X.(*ast.Ident); ok && x.Name == "command" && !slices.Contains(uses, sel.Sel.Name) {
						t.Errorf("%s: command.%s: only the command line runs commands, and nothing else there is for drawing", fset.Position(sel.Pos()), sel.Sel.Name)
					}
					if sel.Sel.Name == "run" && dir == "../tui" && !strings.HasSuffix(name, "/model.go") {
						t.Errorf("%s: a key runs a command line: it sends a typed command to the Hub instead (Model.do)", fset.Position(sel.Pos()))
					}
					if isSnapshot(sel.X, snapshots) && !slices.Contains(allowed, sel.Sel.Name) {
						t.Errorf("%s: .%s on a snapshot: front ends draw views (ViewFor, ViewAs), never a snapshot's raw state", fset.Position(sel.Pos()), sel.Sel.Name)
					}
					return true
				})
			}
		}
	}
}

// snapshotNames are the names a file gives snapshots: fields and
// parameters of type *session.Snapshot, and variables set from a call of
// Snapshot().
func snapshotNames(file *ast.File) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Field:
			if star, ok := n.Type.(*ast.StarExpr); ok {
				if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "Snapshot" {
					for _, id := range n.Names {
						names[id.Name] = true
					}
				}
			}
		case *ast.AssignStmt:
			for i, rhs := range n.Rhs {
				if call, ok := rhs.(*ast.CallExpr); ok && i < len(n.Lhs) {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Snapshot" {
						if id, ok := n.Lhs[i].(*ast.Ident); ok {
							names[id.Name] = true
						}
					}
				}
			}
		}
		return true
	})
	return names
}

// isSnapshot tells whether an expression is a snapshot: a name given to
// one, a field of that name (msg.Snapshot), or a call of Snapshot().
func isSnapshot(x ast.Expr, names map[string]bool) bool {
	switch x := x.(type) {
	case *ast.Ident:
		return names[x.Name]
	case *ast.SelectorExpr:
		return names[x.Sel.Name]
	case *ast.CallExpr:
		sel, ok := x.Fun.(*ast.SelectorExpr)
		return ok && sel.Sel.Name == "Snapshot"
	}
	return false
}
