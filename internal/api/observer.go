package api

import (
	"context"
	"net/http"
)

// Observer hears what the API serves, for monitoring (internal/metrics
// implements it). Its methods run on the request's goroutine and must be
// quick; a nil Config.Observer hears nothing.
type Observer interface {
	// Begin is called as a request arrives. The function it returns is
	// called once the request has been answered, with the pattern of the
	// route that served it ("" when none matched), the request's method
	// and the response's status.
	Begin() (end func(route, method string, status int))
	// Limited is called for each request a rate limit refuses, with the
	// limit's class: a route class (signup, reset, account, write, read),
	// login (attempts per IP and account), login_account and login_ip
	// (failed logins), reset_mail (reset mails per address), or uploads
	// (one account's photo uploads in flight).
	Limited(class string)
}

// noObserver is the Observer of a Config without one.
type noObserver struct{}

func (noObserver) Begin() func(string, string, int) { return func(string, string, int) {} }
func (noObserver) Limited(string)                   {}

// routeKey keys the request's *string where jsonMisses notes the route
// pattern that matched. The layers outside the mux need it: the mux sets
// Pattern only on its own copy of the request.
type routeKey struct{}

// withRouteNote returns r with a place for the matched route, and that
// place.
func withRouteNote(r *http.Request) (*http.Request, *string) {
	route := new(string)
	return r.WithContext(context.WithValue(r.Context(), routeKey{}, route)), route
}

// noteRoute records pattern as the route r matched.
func noteRoute(r *http.Request, pattern string) {
	if route, ok := r.Context().Value(routeKey{}).(*string); ok {
		*route = pattern
	}
}
