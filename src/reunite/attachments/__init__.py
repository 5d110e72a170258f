"""Evidence and attachments: photos, identity documents, biographies, medical and
psychological reports carried by records and cases, checked by content and stored by hash."""
