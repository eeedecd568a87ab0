//go:build !wasip1

package abi

// These tests hold the Go declarations to the contract: they read
// include/wasisock_abi.h and include/wasisock.h, and Go's own wasip1 errno
// table, so they run natively (go test ./internal/abi), where the source
// tree and GOROOT are at hand.

import (
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

const includeDir = "../../../../include"

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// headerDefines is every "#define WASISOCK_NAME <integer>" of the header,
// by NAME.
func headerDefines(t *testing.T) map[string]int64 {
	re := regexp.MustCompile(`(?m)^#define WASISOCK_(\w+) \(?(-?(?:0x[0-9a-fA-F]+|[0-9]+))u?\b`)
	defs := map[string]int64{}
	for _, m := range re.FindAllStringSubmatch(readFile(t, filepath.Join(includeDir, "wasisock_abi.h"))+
		readFile(t, filepath.Join(includeDir, "wasisock.h")), -1) {
		v, err := strconv.ParseInt(m[2], 0, 64)
		if err != nil {
			t.Fatalf("#define WASISOCK_%s %s: %v", m[1], m[2], err)
		}
		defs[m[1]] = v
	}
	return defs
}

// goConstants is every constant declared with a literal value in this
// package's non-test files.
func goConstants(t *testing.T) map[string]int64 {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]int64{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					expr, sign := vs.Values[i], int64(1)
					if u, ok := expr.(*ast.UnaryExpr); ok && u.Op == token.SUB {
						expr, sign = u.X, -1
					}
					lit, ok := expr.(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s: constant %s is not a literal", fset.Position(id.Pos()), id.Name)
					}
					v, _ := constant.Int64Val(constant.MakeFromLiteral(lit.Value, lit.Kind, 0))
					consts[id.Name] = sign * v
				}
			}
		}
	}
	return consts
}

func TestConstantsMatchHeader(t *testing.T) {
	defs := headerDefines(t)
	consts := goConstants(t)
	if len(consts) < 40 {
		t.Fatalf("found only %d Go constants", len(consts))
	}
	for name, v := range consts {
		hv, ok := defs[name]
		switch {
		case !ok:
			t.Errorf("%s: no WASISOCK_%s in the headers", name, name)
		case hv != v:
			t.Errorf("%s = %#x, the header says %#x", name, v, hv)
		}
	}
}

// An import row of WASISOCK_IMPORT_LIST: its parameters' names and kinds.
type importRow struct {
	names, kinds []string
}

// importList is the typed import list of wasisock.h, by name, and which
// parameter kinds are guest pointers (a size in WASISOCK_PARAM_KIND_LIST).
func importList(t *testing.T) (rows map[string]importRow, pointer map[string]bool) {
	h := readFile(t, filepath.Join(includeDir, "wasisock.h"))
	start := strings.Index(h, "#define WASISOCK_IMPORT_LIST(")
	if start < 0 {
		t.Fatal("wasisock.h: no WASISOCK_IMPORT_LIST")
	}
	list := h[start:]
	list = strings.ReplaceAll(list[:strings.Index(list, "\n\n")], "\\\n", " ")
	rows = map[string]importRow{}
	rowRe := regexp.MustCompile(`XX\((sock_\w+),\s*([0-9]+),\s*[0-9]+,\s*\(((?:\(\w+,\s*\w+\),?\s*)*)\)\)`)
	paramRe := regexp.MustCompile(`\((\w+),\s*(\w+)\)`)
	for _, m := range rowRe.FindAllStringSubmatch(list, -1) {
		var row importRow
		for _, p := range paramRe.FindAllStringSubmatch(m[3], -1) {
			row.kinds = append(row.kinds, p[1])
			row.names = append(row.names, p[2])
		}
		if n, _ := strconv.Atoi(m[2]); n != len(row.names) {
			t.Fatalf("wasisock.h: %s has %d parameters and %d kinds", m[1], n, len(row.names))
		}
		rows[m[1]] = row
	}
	if len(rows) == 0 {
		t.Fatal("wasisock.h: no rows parsed in WASISOCK_IMPORT_LIST")
	}
	pointer = map[string]bool{}
	kindRe := regexp.MustCompile(`(?m)^#define WASISOCK__KIND_\w+\(XX\) XX\((\w+), (\w+),`)
	for _, m := range kindRe.FindAllStringSubmatch(h, -1) {
		pointer[m[1]] = m[2] != "0"
	}
	return rows, pointer
}

// camel is a C parameter name in Go's style: name_len -> nameLen.
func camel(name string) string {
	parts := strings.Split(name, "_")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
	}
	return strings.Join(parts, "")
}

// Each //go:wasmimport declaration has its row's parameters, in order, by
// name, with unsafe.Pointer exactly where the kind is a guest pointer.
func TestImportsMatchImportList(t *testing.T) {
	rows, pointer := importList(t)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "imports_wasip1.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, decl := range f.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Doc == nil || fd.Body != nil {
			continue
		}
		var module, name string
		for _, c := range fd.Doc.List {
			if fields := strings.Fields(c.Text); len(fields) == 3 && fields[0] == "//go:wasmimport" {
				module, name = fields[1], fields[2]
			}
		}
		if module != "wasisock" {
			t.Errorf("%s: imported from %q, not wasisock", fd.Name.Name, module)
			continue
		}
		seen++
		row, ok := rows[name]
		if !ok {
			t.Errorf("%s: %s is not in WASISOCK_IMPORT_LIST", fd.Name.Name, name)
			continue
		}
		var names, types []string
		for _, p := range fd.Type.Params.List {
			for _, id := range p.Names {
				names = append(names, id.Name)
				types = append(types, typeName(p.Type))
			}
		}
		if len(names) != len(row.names) {
			t.Errorf("%s: %d parameters, the list has %d", name, len(names), len(row.names))
			continue
		}
		for i := range names {
			want := "uint32 or int32"
			okType := types[i] == "uint32" || types[i] == "int32"
			if pointer[row.kinds[i]] {
				want, okType = "unsafe.Pointer", types[i] == "unsafe.Pointer"
			}
			if names[i] != camel(row.names[i]) || !okType {
				t.Errorf("%s: parameter %d is %s %s, the list says %s (%s): want %s %s",
					name, i, names[i], types[i], row.names[i], row.kinds[i], camel(row.names[i]), want)
			}
		}
		if r := fd.Type.Results; r == nil || len(r.List) != 1 || typeName(r.List[0].Type) != "uint32" {
			t.Errorf("%s: the result must be one uint32 (a WASI errno)", name)
		}
	}
	// A subset: the package declares the calls it uses, so a new row in
	// the contract needs no Go change until Go uses it.
	if seen < 15 {
		t.Errorf("found only %d //go:wasmimport declarations", seen)
	}
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return typeName(e.X) + "." + e.Sel.Name
	}
	return "?"
}

// On wasip1, syscall.Errno values are WASI errno numbers.  The package
// relies on that to return the host's codes as syscall.Errno unchanged;
// this checks it against the Go toolchain at hand.
func TestSyscallErrnoIsWASIErrno(t *testing.T) {
	wasi := map[string]int64{}
	re := regexp.MustCompile(`XX\(([0-9]+), (\w+), "`)
	for _, m := range re.FindAllStringSubmatch(readFile(t, filepath.Join(includeDir, "wasisock_abi.h")), -1) {
		wasi["E"+m[2]], _ = strconv.ParseInt(m[1], 10, 64)
	}
	goTable := readFile(t, filepath.Join(runtime.GOROOT(), "src", "syscall", "tables_wasip1.go"))
	reGo := regexp.MustCompile(`(?m)^\s+(E\w+)\s+Errno = ([0-9]+)$`)
	checked := 0
	for _, m := range reGo.FindAllStringSubmatch(goTable, -1) {
		v, _ := strconv.ParseInt(m[2], 10, 64)
		if w, ok := wasi[m[1]]; ok {
			checked++
			if w != v {
				t.Errorf("syscall.%s is %d, WASI's %s is %d", m[1], v, m[1], w)
			}
		}
	}
	if checked < 70 {
		t.Errorf("compared only %d errno values", checked)
	}
}
