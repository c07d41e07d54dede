package gram

import "context"

// msgNoRequest answers an approval, rejection or cancellation of a
// follow request that does not exist.
const msgNoRequest = "There is no such follow request."

// FollowRequests returns a page of the requests to follow u, newest
// first (a block deletes the requests between the two accounts).
func (s *Service) FollowRequests(ctx context.Context, u *User, page Page) (*EdgePage, error) {
	return s.edgePage(ctx, u.ID, page, s.store.FollowRequestsTo)
}

// ApproveFollowRequest makes the requester with that username a follower
// of u.
func (s *Service) ApproveFollowRequest(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, msgNoRequest)
	if err != nil {
		return nil, err
	}
	return t, storeErr(s.store.ApproveFollowRequest(ctx, t.ID, u.ID, s.now()), msgNoRequest, msgFollowExists)
}

// RejectFollowRequest deletes the request of the user with that username
// to follow u.
func (s *Service) RejectFollowRequest(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, msgNoRequest)
	if err != nil {
		return nil, err
	}
	return t, s.dropRequest(ctx, t.ID, u.ID)
}

// CancelFollowRequest withdraws u's request to follow the user with that
// username.
func (s *Service) CancelFollowRequest(ctx context.Context, u *User, username string) (*User, error) {
	t, err := s.edgeTarget(ctx, u, username, msgNoRequest)
	if err != nil {
		return nil, err
	}
	return t, s.dropRequest(ctx, u.ID, t.ID)
}

func (s *Service) dropRequest(ctx context.Context, requesterID, targetID string) error {
	found, err := s.store.DeleteFollowRequest(ctx, requesterID, targetID)
	if err == nil && !found {
		return Errorf(ENOTFOUND, msgNoRequest)
	}
	return err
}

// SetPrivate makes u's account private or public. Existing follows stay;
// pending requests stay too, for the owner to answer.
func (s *Service) SetPrivate(ctx context.Context, u *User, private bool) (*User, error) {
	out, err := s.store.UpdateUser(ctx, u.ID, func(u *User) error {
		u.Private, u.UpdatedAt = private, s.now()
		return nil
	})
	return out, storeErr(err, "User not found.", msgUserExists)
}
