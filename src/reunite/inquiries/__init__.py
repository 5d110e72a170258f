"""Information requests: the mediator asks a party about children; its liaison answers."""
