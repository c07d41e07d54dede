package gram

import (
	"context"
	"time"
)

// Staff use cases. Moderators and admins list users and delete content;
// moderators suspend plain users; admins suspend anyone but themselves and
// change roles. Every action needs a reason and is written to the audit
// log in the same transaction as the change.

var (
	errNotStaff = Errorf(EFORBIDDEN, "Only moderators and admins can do that.")
	errNotAdmin = Errorf(EFORBIDDEN, "Only admins can do that.")
	// The staff API answers a malformed id with 400, not the 404 the
	// original's public endpoints give: it is a client bug, not a miss.
	errBadID = Errorf(EINVALID, "The id is not valid.")
)

// CLIActor is the actor of the gramd command line: an admin that is no
// user, so it may act on every account.
var CLIActor = &User{ID: ActorCLI, Username: ActorCLI, Role: RoleAdmin, Active: true}

// ErrSuspended refuses a suspended account's logins and tokens.
var ErrSuspended = Errorf(EFORBIDDEN, "Your account has been suspended. Please contact support.")

// canModerate reports whether actor may suspend or unsuspend target.
func canModerate(actor, target *User) bool {
	switch {
	case actor.ID == target.ID:
		return false
	case actor.IsAdmin():
		return true
	}
	return actor.IsStaff() && target.Role == RoleUser
}

// UserPage is one page of the staff user list.
type UserPage struct {
	Users []*User
	Next  Page
}

// ListUsers lists every account, suspended and deactivated ones too, whose
// username or email contains query, newest first; staff only.
func (s *Service) ListUsers(ctx context.Context, actor *User, query string, page Page) (*UserPage, error) {
	if !actor.IsStaff() {
		return nil, errNotStaff
	}
	query = truncate(NormalizeUsername(query), 64)
	page = s.clampPage(page, s.cfg.FeedLimit)
	users, err := s.store.ListUsers(ctx, query, page)
	if err != nil {
		return nil, err
	}
	next := nextPage(users, page, func(u *User) (time.Time, string) { return u.CreatedAt, u.ID })
	return &UserPage{Users: users, Next: next}, nil
}

// Suspend hides the account and ends its sessions; its logins are refused
// until it is unsuspended.
func (s *Service) Suspend(ctx context.Context, actor *User, targetID, reason string) (*User, error) {
	return s.moderate(ctx, actor, targetID, reason, AuditSuspend, func(u *User, reason string) error {
		if u.Suspended() {
			return Errorf(ECONFLICT, "That account is already suspended.")
		}
		u.SuspendedAt, u.SuspendedBy, u.SuspendReason = s.now(), actor.ID, reason
		u.Active = false // hidden wherever deactivated accounts are
		return nil
	})
}

// Unsuspend lets the account log in again. It stays hidden, like a
// deactivated account, until its next login (its sessions all ended).
func (s *Service) Unsuspend(ctx context.Context, actor *User, targetID, reason string) (*User, error) {
	return s.moderate(ctx, actor, targetID, reason, AuditUnsuspend, func(u *User, _ string) error {
		if !u.Suspended() {
			return Errorf(ECONFLICT, "That account is not suspended.")
		}
		u.SuspendedAt, u.SuspendedBy, u.SuspendReason = time.Time{}, "", ""
		return nil
	})
}

// moderate checks the actor may act on the target (inside the store's
// transaction, so a concurrent role change cannot slip in between) and
// applies change with an audit entry; the target's sessions end.
func (s *Service) moderate(ctx context.Context, actor *User, targetID, reason, action string, change func(u *User, reason string) error) (*User, error) {
	if !actor.IsStaff() {
		return nil, errNotStaff
	}
	reason, err := cleanReason(reason)
	if err != nil {
		return nil, err
	}
	if !ValidID(targetID) {
		return nil, errBadID
	}
	e := s.audit(actor, action, "user", targetID, "", reason)
	u, err := s.store.ModerateUser(ctx, targetID, func(u *User) error {
		if !canModerate(actor, u) {
			return Errorf(EFORBIDDEN, "You cannot %s that account.", verbOf(action))
		}
		if err := change(u, reason); err != nil {
			return err
		}
		u.UpdatedAt = s.now()
		return nil
	}, e)
	return u, storeErr(err, "User not found.", msgUserExists)
}

func verbOf(action string) string {
	switch action {
	case AuditSuspend:
		return "suspend"
	case AuditUnsuspend:
		return "unsuspend"
	}
	return "change the role of"
}

// SetRole changes a user's role; admins only, never their own. The
// target's sessions end, so a changed privilege takes a new login.
func (s *Service) SetRole(ctx context.Context, actor *User, targetID, role, reason string) (*User, error) {
	if !actor.IsAdmin() {
		return nil, errNotAdmin
	}
	if !ValidRole(role) {
		return nil, Errorf(EINVALID, "The role must be user, moderator or admin.")
	}
	reason, err := cleanReason(reason)
	if err != nil {
		return nil, err
	}
	if actor.ID == targetID {
		return nil, Errorf(EFORBIDDEN, "You cannot change your own role.")
	}
	if !ValidID(targetID) {
		return nil, errBadID
	}
	e := s.audit(actor, AuditRole, "user", targetID, "", reason)
	u, err := s.store.ModerateUser(ctx, targetID, func(u *User) error {
		if u.Role == role {
			return Errorf(ECONFLICT, "That user is already %s %s.", article(role), role)
		}
		e.Detail = u.Role + " -> " + role
		u.Role, u.UpdatedAt = role, s.now()
		return nil
	}, e)
	return u, storeErr(err, "User not found.", msgUserExists)
}

func article(role string) string {
	if role == RoleAdmin {
		return "an"
	}
	return "a"
}

// SetRoleByUsername is SetRole for the command line, which names users.
func (s *Service) SetRoleByUsername(ctx context.Context, actor *User, username, role, reason string) (*User, error) {
	u, err := s.store.UserByUsername(ctx, NormalizeUsername(username))
	if err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	return s.SetRole(ctx, actor, u.ID, role, reason)
}

// staffReason checks a staff deletion: the actor is staff, the id is
// well-formed and a reason is given.
func staffReason(actor *User, id, reason string) (string, error) {
	if !actor.IsStaff() {
		return "", errNotStaff
	}
	if !ValidID(id) {
		return "", errBadID
	}
	return cleanReason(reason)
}

// ModerateDeletePost deletes any post, with a reason; staff only.
func (s *Service) ModerateDeletePost(ctx context.Context, actor *User, id, reason string) error {
	reason, err := staffReason(actor, id, reason)
	if err != nil {
		return err
	}
	return s.deletePost(ctx, actor, id, reason)
}

// ModerateDeleteComment deletes any comment, with a reason; staff only.
func (s *Service) ModerateDeleteComment(ctx context.Context, actor *User, id, reason string) error {
	reason, err := staffReason(actor, id, reason)
	if err != nil {
		return err
	}
	return s.deleteComment(ctx, actor, id, reason)
}

// ModerateDeleteStory deletes any story, with a reason; staff only.
func (s *Service) ModerateDeleteStory(ctx context.Context, actor *User, id, reason string) error {
	reason, err := staffReason(actor, id, reason)
	if err != nil {
		return err
	}
	return s.deleteStory(ctx, actor, id, reason)
}

// publicDeleteReason is recorded when staff delete someone else's content
// through the owners' delete endpoints, which take no reason: the action
// is still audited, never silent.
const publicDeleteReason = "(no reason given: deleted through the owner's endpoint)"

// contentAudit returns the audit entry of a deletion of content owned by
// ownerID, or nil when the owner deletes their own content through the
// owners' endpoint (reason "").
func (s *Service) contentAudit(actor *User, ownerID, action, targetType, targetID, reason string) *AuditEntry {
	if reason == "" {
		if actor.ID == ownerID {
			return nil
		}
		reason = publicDeleteReason
	}
	return s.audit(actor, action, targetType, targetID, "owner "+ownerID, reason)
}

// CreateAdmin creates an admin account from the command line: the signup
// rules apply, no welcome mail is sent, and the promotion is audited.
func (s *Service) CreateAdmin(ctx context.Context, in SignupInput, reason string) (*User, error) {
	u, err := s.newAccount(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateUser(ctx, u, nil); err != nil {
		return nil, storeErr(err, "User not found.", msgUserExists)
	}
	return s.SetRole(ctx, CLIActor, u.ID, RoleAdmin, reason)
}
