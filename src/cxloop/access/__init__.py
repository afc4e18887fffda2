"""Access: users, passwords, API and write keys, web sessions and the audit log."""
