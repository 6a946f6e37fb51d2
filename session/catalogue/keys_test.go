package catalogue

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Every key the code prints is in the catalogue, with as many arguments
// as its English has placeholders, and every key in the catalogue is
// printed somewhere: a key is written whole, as a string, where it is
// printed (never made of pieces), so that reading the code finds it. The
// functions that take a key and then its arguments (printing it, making a
// message or an error of it) are named in keyed.
func TestEveryKeyIsInTheCatalogueAndUsed(t *testing.T) {
	c := Default()
	used := map[string]bool{}
	fset := token.NewFileSet()
	// This package's own tests print keys that are not in it on purpose.
	here := filepath.Join("..", "..", "session", "catalogue")
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != "../.." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || filepath.Dir(path) == here && strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.BasicLit:
				if x.Kind == token.STRING {
					if s, err := strconv.Unquote(x.Value); err == nil && c.Args(s) >= 0 {
						used[s] = true
					}
				}
			case *ast.CallExpr:
				name := ""
				switch f := x.Fun.(type) {
				case *ast.SelectorExpr:
					name = f.Sel.Name
				case *ast.Ident:
					name = f.Name
				}
				switch where, ok := keyed[name]; {
				case !ok:
					return true
				case where != "" && (!strings.HasPrefix(path, where) || strings.HasSuffix(path, "_test.go")):
					return true // another function of that name
				}
				// The key is the call's first string; its arguments follow it.
				for i, arg := range x.Args {
					lit, ok := arg.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					key, _ := strconv.Unquote(lit.Value)
					switch want := c.Args(key); {
					case want < 0:
						t.Errorf("%s: key %q is not in the catalogue", fset.Position(x.Pos()), key)
					case x.Ellipsis == token.NoPos && len(x.Args)-1-i != want:
						t.Errorf("%s: %q is given %d arguments; its English has %d placeholders: %q", fset.Position(x.Pos()), key, len(x.Args)-1-i, want, c.English(key))
					}
					break
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range c.Keys() {
		if !used[key] {
			t.Errorf("the catalogue's %q is printed nowhere", key)
		}
	}
}

// keyed are the functions called with a key of the catalogue, then the
// arguments of its message: printers' T, catalogue.Msg, Err and ErrOf
// everywhere, and, in the code (not the tests) of the folder named,
// session's refusals and the command language's answers and usage errors.
var keyed = map[string]string{
	"T": "", "Msg": "", "Err": "", "ErrOf": "",
	"Forbidden": "../../session/", "requireFacilitator": "../../session/", "notOnAStep": "../../session/",
	"say": "../../session/command/", "do": "../../session/command/", "usage": "../../session/command/",
	"usageErr": "../../session/command/", "needText": "../../session/command/",
}
