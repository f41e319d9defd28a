"""What protects people before anything is published: small-cell suppression, the linked-table audit, the identifier scan."""
