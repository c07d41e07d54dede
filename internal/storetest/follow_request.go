package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/instamern/gram/internal/gram"
)

var followRequestTests = []test{
	{"RequestFollow/RepeatNotNew", testRequestFollow},
	{"ApproveFollowRequest/Follows", testApproveFollowRequest},
	{"ApproveFollowRequest/ErrNotFound", testApproveMissing},
	{"DeleteFollowRequest/OK", testDeleteFollowRequest},
}

func testRequestFollow(t *testing.T, s gram.Store) {
	alice, bob, carol := NewUser(t, s, "alice"), NewUser(t, s, "bob"), NewUser(t, s, "carol")
	if created, err := s.RequestFollow(t.Context(), alice.ID, bob.ID, At(time.Second)); err != nil || !created {
		t.Fatalf("RequestFollow = %v, %v; want true, nil", created, err)
	}
	if created, err := s.RequestFollow(t.Context(), alice.ID, bob.ID, At(2*time.Second)); err != nil || created {
		t.Errorf("RequestFollow(repeat) = %v, %v; want false, nil", created, err)
	}
	noErr(t, "RequestFollow", errOf(s.RequestFollow(t.Context(), carol.ID, bob.ID, At(3*time.Second))))
	got, err := s.FollowRequestsTo(t.Context(), bob.ID, gram.Page{Limit: 10})
	noErr(t, "FollowRequestsTo", err)
	want := []gram.Edge{{UserID: carol.ID, CreatedAt: At(3 * time.Second)}, {UserID: alice.ID, CreatedAt: At(time.Second)}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FollowRequestsTo (-want +got):\n%s", diff)
	}
	// A request is not a follow.
	wantIDs(t, s.FollowerIDs, bob.ID, nil)
}

func testApproveFollowRequest(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	noErr(t, "RequestFollow", errOf(s.RequestFollow(t.Context(), alice.ID, bob.ID, At(time.Second))))
	noErr(t, "ApproveFollowRequest", s.ApproveFollowRequest(t.Context(), alice.ID, bob.ID, At(2*time.Second)))
	wantIDs(t, s.FollowerIDs, bob.ID, []string{alice.ID})
	got, err := s.FollowRequestsTo(t.Context(), bob.ID, gram.Page{Limit: 10})
	noErr(t, "FollowRequestsTo", err)
	if len(got) != 0 {
		t.Errorf("FollowRequestsTo after approval = %v; want none", got)
	}
	ties, err := s.Ties(t.Context(), alice.ID, bob.ID)
	noErr(t, "Ties", err)
	if ties != (gram.Ties{Follows: true}) {
		t.Errorf("Ties after approval = %+v; want a follow alone", ties)
	}
	// Approving twice finds no request.
	wantErr(t, "ApproveFollowRequest(again)", s.ApproveFollowRequest(t.Context(), alice.ID, bob.ID, At(3*time.Second)), gram.ErrNotFound)
}

func testApproveMissing(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	wantErr(t, "ApproveFollowRequest(none)", s.ApproveFollowRequest(t.Context(), alice.ID, bob.ID, T0), gram.ErrNotFound)
	wantIDs(t, s.FollowerIDs, bob.ID, nil)
}

func testDeleteFollowRequest(t *testing.T, s gram.Store) {
	alice, bob := NewUser(t, s, "alice"), NewUser(t, s, "bob")
	noErr(t, "RequestFollow", errOf(s.RequestFollow(t.Context(), alice.ID, bob.ID, At(time.Second))))
	if ok, err := s.DeleteFollowRequest(t.Context(), bob.ID, alice.ID); err != nil || ok {
		t.Errorf("DeleteFollowRequest(the other way) = %v, %v; want false, nil", ok, err)
	}
	if ok, err := s.DeleteFollowRequest(t.Context(), alice.ID, bob.ID); err != nil || !ok {
		t.Errorf("DeleteFollowRequest = %v, %v; want true, nil", ok, err)
	}
	if ok, err := s.DeleteFollowRequest(t.Context(), alice.ID, bob.ID); err != nil || ok {
		t.Errorf("DeleteFollowRequest(again) = %v, %v; want false, nil", ok, err)
	}
	wantIDs(t, s.FollowerIDs, bob.ID, nil)
}
