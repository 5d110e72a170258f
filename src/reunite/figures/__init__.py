"""The figures the world asks for: the mediator's dashboard, the briefing, public statistics."""
