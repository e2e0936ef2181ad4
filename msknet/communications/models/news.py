"""News: announcements and newsletters, their audiences and their sending."""
