package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/instamern/gram/internal/openapi"
	"github.com/instamern/gram/internal/testenv"
)

// The docs page is checked the way a reader sees it: the real binary
// serves it, and headless Chromium (Debian's chromium) loads it with every
// host but localhost unresolvable, dumps the DOM and takes a screenshot.

const shotW, shotH = 1280, 2000

// TestE2E_DocsInChromium: /docs is an HTML page with a policy that lets
// nothing load; in Chromium it has a section for every operation of the
// description, and its screenshot is the styled page, not a blank one.
func TestE2E_DocsInChromium(t *testing.T) {
	chromium := testenv.NeedCommand(t, "chromium")
	g := startGramd(t, "")
	url := g.base + "/docs"
	checkDocsResponse(t, url)

	dom := runChromium(t, chromium, "--dump-dom", url)
	checkDocsDOM(t, dom)

	shot := filepath.Join(os.TempDir(), "gram-docs-screenshot.png")
	_ = os.Remove(shot)
	runChromium(t, chromium, "--screenshot="+shot, url)
	t.Logf("screenshot of %s: %s", url, shot)
	checkScreenshot(t, shot)
}

// checkDocsResponse: 200, text/html in UTF-8, the page's own strict
// policy, and nothing in the page that points off the page.
func checkDocsResponse(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET /docs: %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	csp := res.Header.Get("Content-Security-Policy")
	if csp != openapi.DocsCSP() || !strings.HasPrefix(csp, "default-src 'none';") || strings.Contains(csp, "unsafe") || strings.Contains(csp, "http") {
		t.Errorf("Content-Security-Policy %q, want the page's own (%q), allowing no source", csp, openapi.DocsCSP())
	}
	if m := regexp.MustCompile(`(?i)<(script|link|img|iframe|object)\b|(src|href)="(https?:)?//`).Find(body); m != nil {
		t.Errorf("the page loads or links outside itself: %s", m)
	}
}

// runChromium runs headless Chromium on url with one action flag and
// returns its standard output. Every host but localhost is made
// unresolvable: the page must render offline.
func runChromium(t *testing.T, chromium, action, url string) []byte {
	t.Helper()
	profile, err := os.MkdirTemp("", "gram-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost", "--user-data-dir="+profile,
		"--window-size=1280,2000", "--hide-scrollbars", action, url)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", action, err, stderr.Bytes())
	}
	return stdout.Bytes()
}

// checkDocsDOM: the page Chromium built has one operation section per
// operation of the description, headed "METHOD /path".
func checkDocsDOM(t *testing.T, dom []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	headings := map[string]bool{}
	var visit func(n *html.Node, inOp bool)
	visit = func(n *html.Node, inOp bool) {
		if n.Type == html.ElementNode {
			if n.Data == "article" && strings.Contains(" "+attrOf(n, "class")+" ", " op ") {
				inOp = true
			}
			if inOp && n.Data == "h3" {
				headings[strings.Join(strings.Fields(nodeText(n)), " ")] = true
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c, inOp)
		}
	}
	visit(doc, false)

	var spec struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openapi.JSON(), &spec); err != nil {
		t.Fatal(err)
	}
	n := 0
	for path, item := range spec.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				n++
				if op := strings.ToUpper(method) + " " + path; !headings[op] {
					t.Errorf("the page has no section headed %q", op)
				}
			}
		}
	}
	if n < 40 || len(headings) != n {
		t.Errorf("%d operation sections for %d operations in the description", len(headings), n)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func nodeText(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(nodeText(c))
	}
	return b.String()
}

// checkScreenshot: the PNG has the window's size; the contents column has
// the style sheet's panel colour (so the policy let the style apply); and
// every band of the main column, down to the bottom, has text on it.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != shotW || b.Dy() != shotH {
		t.Fatalf("screenshot is %dx%d, want %dx%d", b.Dx(), b.Dy(), shotW, shotH)
	}
	panel := color.RGBA{0xf5, 0xf7, 0xf9, 0xff} // --panel of docs.css, light scheme
	toc := regionStats(img, image.Rect(0, 0, 300, shotH))
	if toc.dominant != panel || toc.share < 0.5 {
		t.Errorf("contents column: dominant colour %v on %.0f%%, want the panel colour %v: the style sheet did not apply", toc.dominant, 100*toc.share, panel)
	}
	regions := []image.Rectangle{image.Rect(0, 0, 300, shotH/4)} // the contents are shorter than the page
	for y := 0; y < shotH; y += shotH / 4 {
		regions = append(regions, image.Rect(360, y, 1240, y+shotH/4))
	}
	for _, r := range regions {
		if s := regionStats(img, r); 1-s.share < 0.01 {
			t.Errorf("region %v is blank: %.2f%% of it differs from its background", r, 100*(1-s.share))
		}
	}
	if n := regionStats(img, img.Bounds()).colours; n < 64 {
		t.Errorf("the screenshot has %d distinct colours; a rendered page has many more", n)
	}
}

type stats struct {
	dominant color.RGBA
	share    float64 // of the region's pixels that have the dominant colour
	colours  int
}

func regionStats(img image.Image, r image.Rectangle) stats {
	counts := map[color.RGBA]int{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	var s stats
	top := 0
	for c, n := range counts {
		if n > top {
			s.dominant, top = c, n
		}
	}
	s.share, s.colours = float64(top)/float64(r.Dx()*r.Dy()), len(counts)
	return s
}
