"""Each sought child's way home: the case, its rules, its people and its timeline."""
