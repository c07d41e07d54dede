// Package openapitest checks the responses of the API against its OpenAPI
// description, for tests: the status must be documented for the operation
// (or fall under its default), the Content-Type must be one the
// description lists, documented headers must match their schemas, and a
// JSON body must match its schema. A URL the API does not route must be
// answered with the fail envelope, as the description says of unmatched
// paths and methods. It uses kin-openapi, which validates OpenAPI 3.1
// documents with a JSON Schema 2020-12 validator.
package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Validator checks responses against one OpenAPI document.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

// New loads spec (JSON or YAML), which must be a valid OpenAPI 3.1
// document.
func New(spec []byte) (*Validator, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("openapitest: load: %w", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, fmt.Errorf("openapitest: openapi %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapitest: validate: %w", err)
	}
	// The routes match any host: the document's server is relative.
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapitest: router: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Doc returns the loaded document.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Check validates res, the response to req whose body is body (nil when
// it was not read: only for bodies that are not JSON).
func (v *Validator) Check(req *http.Request, res *http.Response, body []byte) error {
	if req.Method == http.MethodOptions && req.Header.Get("Access-Control-Request-Method") != "" &&
		res.StatusCode == http.StatusNoContent {
		return nil // a CORS preflight, answered by the middleware for every route
	}
	route, params, err := v.router.FindRoute(routingRequest(req))
	if err != nil {
		return v.checkUnrouted(req, res, body, err)
	}
	ct := res.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ct); ct != "" && mt != "application/json" {
		return checkNotJSON(route, res)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(req.Context(), in); err != nil {
		return fmt.Errorf("%s %s (%s %s): %d %s: %w", req.Method, req.URL.Path, route.Method, route.Path, res.StatusCode, body, err)
	}
	return nil
}

// routingRequest is req as the router must see it: without a trailing
// slash (the API ignores it), with an escaped slash inside a segment kept
// inside it, and with a media key of several segments as one.
func routingRequest(req *http.Request) *http.Request {
	p := strings.NewReplacer("%2F", "_", "%2f", "_").Replace(req.URL.EscapedPath())
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
	}
	if p == "" {
		p = "/"
	}
	if rest, isMedia := strings.CutPrefix(p, "/media/"); isMedia && rest != "" {
		p = "/media/key"
	}
	u := *req.URL
	u.RawPath = ""
	if dec, err := url.PathUnescape(p); err == nil {
		u.Path = dec
	} else {
		u.Path = p
	}
	r := req.Clone(req.Context())
	r.URL = &u
	if r.Method == http.MethodHead {
		r.Method = http.MethodGet
	}
	return r
}

// checkNotJSON checks a response that is not JSON (a photo, an HTML page)
// against the content types the operation documents for its status; its
// body is not read.
func checkNotJSON(route *routers.Route, res *http.Response) error {
	resp := route.Operation.Responses.Status(res.StatusCode)
	if resp == nil {
		resp = route.Operation.Responses.Default()
	}
	ct := res.Header.Get("Content-Type")
	if resp == nil || resp.Value == nil || resp.Value.Content.Get(ct) == nil {
		return fmt.Errorf("%s %s: %d with Content-Type %q, which the description does not list", route.Method, route.Path, res.StatusCode, ct)
	}
	return nil
}

// checkUnrouted checks the answer to a request no operation describes: a
// 404 or 405 fail envelope as the API answers unknown URLs and methods,
// or another error envelope (a CORS refusal, a request that does not
// parse).
func (v *Validator) checkUnrouted(req *http.Request, res *http.Response, body []byte, routeErr error) error {
	where := req.Method + " " + req.URL.Path
	if errors.Is(routeErr, routers.ErrMethodNotAllowed) && res.StatusCode == http.StatusOK {
		return fmt.Errorf("%s: the description has no such operation, but it answered 200", where)
	}
	if res.StatusCode < 400 {
		return fmt.Errorf("%s: no operation in the description (%v), but it answered %d", where, routeErr, res.StatusCode)
	}
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt != "application/json" {
		return fmt.Errorf("%s: %d with Content-Type %q, want the JSON fail envelope", where, res.StatusCode, res.Header.Get("Content-Type"))
	}
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return fmt.Errorf("%s: %d body is not JSON: %v", where, res.StatusCode, err)
	}
	schema := v.doc.Components.Schemas["Error"]
	if schema == nil || schema.Value == nil {
		return errors.New("openapitest: the description has no Error schema")
	}
	if err := schema.Value.VisitJSON(value, openapi3.EnableJSONSchema2020(), openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("%s: %d %s does not match the Error envelope: %w", where, res.StatusCode, body, err)
	}
	return nil
}

// CheckRefusal checks the answer to a request that never reached the API's
// routes because it did not parse (net/http's refusals, rewritten by
// api.Listener): an error envelope, as the description's default
// responses say.
func (v *Validator) CheckRefusal(res *http.Response, body []byte) error {
	req := &http.Request{Method: "(unparsed)", URL: &url.URL{Path: "(unparsed)"}}
	return v.checkUnrouted(req, res, body, routers.ErrPathNotFound)
}

// Transport returns a RoundTripper that sends with base (nil: the
// default) and checks every response: a mismatch is the error of the
// round trip, so that the test's request fails with it. A JSON body is
// read and put back; other bodies are left to stream.
func (v *Validator) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{v: v, base: base}
}

type roundTripper struct {
	v    *Validator
	base http.RoundTripper
}

func (t roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := t.base.RoundTrip(req)
	if err != nil {
		return res, err
	}
	var body []byte
	if mt, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type")); mt == "application/json" || res.Header.Get("Content-Type") == "" {
		body, err = io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return nil, err
		}
		res.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err := t.v.Check(req, res, body); err != nil {
		res.Body.Close()
		return nil, fmt.Errorf("response does not match the OpenAPI description: %w", err)
	}
	return res, nil
}
