package gram

// outboxMail renders a mail of kind for u, ready to go into the outbox
// with the state change it announces.
func (s *Service) outboxMail(kind string, u *User, data MailData) (*OutboxMail, error) {
	return s.outboxMailTo(kind, u.Email, u, data)
}

func (s *Service) outboxMailTo(kind, to string, u *User, data MailData) (*OutboxMail, error) {
	data.Firstname, data.Username = u.Firstname, u.Username
	m, err := s.Mail.Render(kind, to, data)
	if err != nil {
		return nil, err
	}
	now := s.now()
	m.ID = NewID(now)
	return &OutboxMail{Message: m, CreatedAt: now, NextAttemptAt: now}, nil
}
