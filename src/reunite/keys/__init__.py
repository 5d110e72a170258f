"""Ed25519 keys of the parties and of the mediator; signed lists, receipts and packages."""
