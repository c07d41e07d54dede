// Command gramupload measures the memory that concurrent photo uploads
// cost the server. It starts the real API in this process on SQLite, built
// as gramd builds it (internal/app) with rate limits off and the UPLOAD_*
// settings taken from the environment, signs accounts up, sends -n uploads
// of one large image at the same moment, and reports the peak resident
// memory of the process and how each upload ended.
//
// The client side streams every request body from the one image file, so
// the process's memory is the server's, plus a few kilobytes per
// connection.
//
//	gramupload                         # 80 uploads of a 5000x4000 PNG of 19.95 MB, an account each
//	gramupload -accounts 1             # the same 80 from one account
//	UPLOAD_DECODE_BUDGET=128 gramupload -n 40
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gramupload:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	n, accounts   int
	width, height int
	image, kind   string
	timeout       time.Duration
}

func parseFlags(args []string, errOut io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("gramupload", flag.ContinueOnError)
	fs.SetOutput(errOut)
	fs.IntVar(&c.n, "n", 80, "uploads sent at once")
	fs.IntVar(&c.accounts, "accounts", 0, "accounts the uploads are spread over (0: one per upload)")
	fs.StringVar(&c.image, "image", "", "image to upload (default: a noisy PNG of -width x -height, generated once in the temp dir)")
	fs.IntVar(&c.width, "width", 5000, "width of the generated image")
	fs.IntVar(&c.height, "height", 4000, "height of the generated image")
	fs.StringVar(&c.kind, "kind", "post", "what is uploaded: post, story or avatar")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "longest wait for one upload's answer")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if _, known := endpoints[c.kind]; !known || c.n < 1 || c.accounts < 0 {
		return nil, fmt.Errorf("need -n >= 1, -accounts >= 0 and -kind post, story or avatar")
	}
	if c.accounts == 0 || c.accounts > c.n {
		c.accounts = c.n
	}
	if c.image == "" {
		c.image = filepath.Join(os.TempDir(), fmt.Sprintf("gramupload-%dx%d.png", c.width, c.height))
	}
	return c, nil
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	c, err := parseFlags(args, errOut)
	if err != nil {
		return err
	}
	img, err := openImage(c.image, c.width, c.height, errOut)
	if err != nil {
		return err
	}
	defer img.Close()
	dir, err := os.MkdirTemp("", "gramupload-data-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := startServer(ctx, dir)
	if err != nil {
		return err
	}
	defer srv.close()
	fmt.Fprintf(errOut, "signing up %d accounts\n", c.accounts)
	tokens, err := signUp(ctx, srv.base, c.accounts)
	if err != nil {
		return err
	}
	fmt.Fprintf(errOut, "sending %d uploads\n", c.n)
	r, err := measure(ctx, c, img, srv.base, tokens)
	if err != nil {
		return err
	}
	r.TempLeft = countFiles(srv.tempDir)
	r.write(out)
	return nil
}
