package seed

import "flag"

// Flags registers the dataset's size flags on fs, with c's values as the
// defaults.
func Flags(fs *flag.FlagSet, c *Config) {
	fs.IntVar(&c.Users, "users", c.Users, "number of users")
	fs.IntVar(&c.Posts, "posts", c.Posts, "number of posts")
	fs.IntVar(&c.Likes, "likes", c.Likes, "approximate number of likes (exponential per post)")
	fs.IntVar(&c.Comments, "comments", c.Comments, "approximate number of comments")
	fs.IntVar(&c.Follows, "follows", c.Follows, "number of follows (Zipf-skewed followees)")
	fs.IntVar(&c.Stories, "stories", c.Stories, "number of stories (some expired)")
	fs.Uint64Var(&c.Seed, "seed", c.Seed, "random seed (the same seed gives the same data)")
}
